import type { DisclosureSettings, Row, TableSpec } from './disclosure.types.js';

/**
 * A table spec or settings that cannot be honoured. This is a programming error in the caller
 * (a metric described wrongly), not a bad request: it must fail loudly rather than publish a
 * table whose protection silently does not apply.
 */
export class DisclosureSpecError extends Error {
  constructor(message: string) {
    super(`disclosure control: ${message}`);
    this.name = 'DisclosureSpecError';
  }
}

export interface RateColumn {
  name: string;
  numerator: string;
  denominator: string;
  scale: number;
}

export interface StatisticColumn {
  name: string;
  students: string;
  range?: { min: number; max: number };
}

/** A checked spec, with the columns sorted by what control does to them. */
export interface TablePlan {
  unit: 'area' | 'school';
  schools: string | undefined;
  dimensions: string[];
  counts: string[];
  rates: RateColumn[];
  statistics: StatisticColumn[];
  totals: { dimension: string; totalValue: string | number }[];
}

const isWholeAtLeast = (value: unknown, min: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min;

export function checkSettings(settings: DisclosureSettings): void {
  if (!isWholeAtLeast(settings.maxRedactedCount, 0))
    throw new DisclosureSpecError(
      `maxRedactedCount must be a whole number ≥ 0, got ${String(settings.maxRedactedCount)}`,
    );
  if (!isWholeAtLeast(settings.rounding, 1))
    throw new DisclosureSpecError(`rounding must be a whole number ≥ 1, got ${String(settings.rounding)}`);
  if (!isWholeAtLeast(settings.minSchools, 0))
    throw new DisclosureSpecError(`minSchools must be a whole number ≥ 0, got ${String(settings.minSchools)}`);
}

export function planTable(spec: TableSpec): TablePlan {
  const plan: TablePlan = {
    unit: spec.unit,
    schools: spec.schools,
    dimensions: [],
    counts: [],
    rates: [],
    statistics: [],
    totals: spec.totals ?? [],
  };
  for (const [name, role] of Object.entries(spec.columns)) {
    if (role.kind === 'dimension') plan.dimensions.push(name);
    else if (role.kind === 'count') plan.counts.push(name);
    else if (role.kind === 'rate')
      plan.rates.push({ name, numerator: role.numerator, denominator: role.denominator, scale: role.scale ?? 1 });
    else if (role.kind === 'statistic') plan.statistics.push({ name, students: role.students, range: role.range });
    else throw new DisclosureSpecError(`column "${name}" has an unknown role ${JSON.stringify(role)}`);
  }
  const isCount = (name: string) => plan.counts.includes(name);
  for (const rate of plan.rates) {
    if (!isCount(rate.numerator))
      throw new DisclosureSpecError(`rate column "${rate.name}": numerator "${rate.numerator}" is not a count column`);
    if (!isCount(rate.denominator))
      throw new DisclosureSpecError(
        `rate column "${rate.name}": denominator "${rate.denominator}" is not a count column`,
      );
    if (!Number.isFinite(rate.scale) || rate.scale <= 0)
      throw new DisclosureSpecError(`rate column "${rate.name}": scale must be a positive number`);
  }
  for (const statistic of plan.statistics) {
    if (!isCount(statistic.students))
      throw new DisclosureSpecError(
        `statistic column "${statistic.name}": students "${statistic.students}" is not a count column`,
      );
    const range = statistic.range;
    if (range && !(Number.isFinite(range.min) && Number.isFinite(range.max) && range.min < range.max))
      throw new DisclosureSpecError(`statistic column "${statistic.name}": range needs finite min < max`);
  }
  if (spec.unit !== 'area' && spec.unit !== 'school')
    throw new DisclosureSpecError(`unit must be 'area' or 'school', got ${JSON.stringify(spec.unit)}`);
  if (spec.unit === 'area' && !spec.schools)
    throw new DisclosureSpecError(`an 'area' table needs a "schools" column naming how many schools each row covers`);
  if (spec.schools !== undefined) {
    const role = Object.hasOwn(spec.columns, spec.schools) ? spec.columns[spec.schools] : undefined;
    if (role && role.kind !== 'dimension')
      throw new DisclosureSpecError(
        `the schools column "${spec.schools}" passes through unchanged, so it cannot have the role "${role.kind}"`,
      );
  }
  for (const entry of plan.totals) {
    if (!plan.dimensions.includes(entry.dimension))
      throw new DisclosureSpecError(`totals: "${entry.dimension}" is not a dimension column`);
    if (entry.dimension === spec.schools)
      throw new DisclosureSpecError(`totals: "${entry.dimension}" is the schools column, not a dimension of the table`);
  }
  return plan;
}

/** Every column of every row must have a role, and every count must be a number of students. */
export function checkRows(rows: readonly Row[], spec: TableSpec, plan: TablePlan): void {
  const required = [...plan.dimensions, ...plan.counts, ...plan.statistics.map((s) => s.name)];
  rows.forEach((row, index) => {
    for (const name of Object.keys(row)) {
      if (!Object.hasOwn(spec.columns, name) && name !== plan.schools)
        throw new DisclosureSpecError(`column "${name}" (row ${index}) has no role in the table spec`);
    }
    for (const name of required) {
      if (!Object.hasOwn(row, name)) throw new DisclosureSpecError(`row ${index} lacks column "${name}"`);
    }
    if (plan.schools !== undefined && !Object.hasOwn(row, plan.schools))
      throw new DisclosureSpecError(`row ${index} lacks the schools column "${plan.schools}"`);
    for (const name of plan.counts) {
      const value = row[name];
      if (value !== null && !isWholeAtLeast(value, 0))
        throw new DisclosureSpecError(
          `count column "${name}" (row ${index}) holds ${JSON.stringify(value)}, not a whole number of students`,
        );
    }
  });
}
