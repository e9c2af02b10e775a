/** Options of the demo generator, checked once before anything is written. */

export interface DemoOptions {
  schools: number;
  /** Students enrolled in the last academic year (exact). */
  students: number;
  years: number;
  seed: number;
  outDir: string;
  /** Default 2025 = FY2025, April 2025 – March 2026. */
  lastAcademicYear?: number;
  /** `exceptions` (default): only days that are not plain `present`; `full`: every school day. */
  attendance?: 'exceptions' | 'full';
  /** Default true; false gives no programme effect and no high-growth schools. */
  plantedEffects?: boolean;
}

export type NormalizedDemoOptions = Required<DemoOptions>;

/** A bad option, naming it (the CLI maps `option` to its flag). */
export class DemoOptionsError extends Error {
  constructor(
    readonly option: keyof DemoOptions,
    message: string,
  ) {
    super(`Invalid demo option "${option}": ${message}`);
    this.name = 'DemoOptionsError';
  }
}

function integerIn(option: keyof DemoOptions, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new DemoOptionsError(option, `must be a whole number, got ${JSON.stringify(value)}`);
  }
  if (value < min || value > max) throw new DemoOptionsError(option, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Checks every option and fills in the defaults. */
export function normalizeDemoOptions(options: DemoOptions): NormalizedDemoOptions {
  // Two schools at least: one elementary and the junior high its pupils move on to.
  const schools = integerIn('schools', options.schools, 2, 20_000);
  const students = integerIn('students', options.students, 1, 10_000_000);
  if (students < schools * 10) {
    throw new DemoOptionsError(
      'students',
      `must be at least 10 per school (${schools * 10} for ${schools} schools), got ${students}`,
    );
  }
  if (students > schools * 2_000) {
    throw new DemoOptionsError(
      'students',
      `must be at most 2,000 per school on average (${schools * 2_000} for ${schools} schools), got ${students}`,
    );
  }
  const years = integerIn('years', options.years, 1, 12);
  const seed = integerIn('seed', options.seed, 0, 0xffffffff);
  const lastAcademicYear = integerIn('lastAcademicYear', options.lastAcademicYear ?? 2025, 2000, 2098);
  if (lastAcademicYear - years + 1 < 2000) {
    throw new DemoOptionsError(
      'years',
      `reaches back before FY2000 (first year would be FY${lastAcademicYear - years + 1})`,
    );
  }
  const attendance = options.attendance ?? 'exceptions';
  if (attendance !== 'exceptions' && attendance !== 'full') {
    throw new DemoOptionsError('attendance', `must be "exceptions" or "full", got ${JSON.stringify(attendance)}`);
  }
  const plantedEffects = options.plantedEffects ?? true;
  if (typeof plantedEffects !== 'boolean')
    throw new DemoOptionsError('plantedEffects', `must be true or false, got ${JSON.stringify(plantedEffects)}`);
  if (typeof options.outDir !== 'string' || options.outDir.trim() === '') {
    throw new DemoOptionsError('outDir', 'must be a folder path');
  }
  return { schools, students, years, seed, outDir: options.outDir, lastAcademicYear, attendance, plantedEffects };
}
