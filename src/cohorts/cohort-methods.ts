/**
 * From the cohort's aggregates to the tables of each method, each with the disclosure spec that says
 * what its columns are (counts of students, rates, statistics about students). The statistics come
 * from src/analysis; this file only shapes their input and output.
 */
import { did2x2 } from '../analysis/did.js';
import { callawaySantAnna, type Comparison } from '../analysis/staggered-did.js';
import { funnelLimits, funnelPlot, type FunnelUnit } from '../analysis/funnel.js';
import { shrinkSchoolEffects } from '../analysis/value-added.js';
import { DomainError } from '../common/domain-error.js';
import type { ColumnRole, Row, TableSpec } from '../disclosure/disclosure.types.js';
import {
  type Breakdown,
  type CohortDefinition,
  derivedStudentsColumn,
  type DidOutcome,
  type Outcome,
} from './cohort-definition.js';
import type { AggregateRow, ProgrammeSchool, SchoolResidualRow } from './cohort-warehouse.js';
import { cohortAnalysisNotPossible } from './cohorts.errors.js';

export interface PlannedTable {
  columns: string[];
  rows: Row[];
  spec: TableSpec;
}

const dimension: ColumnRole = { kind: 'dimension' };
const count: ColumnRole = { kind: 'count' };
const about = (students: string): ColumnRole => ({ kind: 'statistic', students });

/** The value of an outcome in an aggregate row, and the count of students it is about. */
export function outcomeOf(row: AggregateRow, outcome: DidOutcome): { value: number | null; students: number } {
  switch (outcome) {
    case 'attendance_rate':
      return { value: row.attendance_rate, students: row.attendance_students };
    case 'absence_days':
      return { value: row.absence_days, students: row.attendance_students };
    case 'long_term_absence':
      return {
        value: row.attendance_students > 0 ? row.long_term_absent / row.attendance_students : null,
        students: row.attendance_students,
      };
    case 'assessment_score':
      return { value: row.assessment_score, students: row.assessed };
    case 'app_minutes':
      return { value: row.app_minutes, students: row.students };
  }
}

const round = (value: number | null | undefined, digits = 6): number | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));

/** Descriptive comparison: per group, period and breakdown, with 'all' totals for each breakdown. */
export function descriptiveTable(
  definition: CohortDefinition,
  rows: AggregateRow[],
  derived: Map<string, Record<string, number | null>>,
): PlannedTable {
  const breakdowns = definition.breakdowns ?? [];
  const columns: Record<string, ColumnRole> = { group: dimension, period: dimension };
  for (const b of breakdowns) columns[b] = dimension;
  columns.students = count;
  columns.schools = dimension;
  const outcomes = new Set<Outcome>(definition.outcomes);
  if (outcomes.has('attendance_rate') || outcomes.has('absence_days') || outcomes.has('long_term_absence'))
    columns.attendance_students = count;
  if (outcomes.has('attendance_rate')) columns.attendance_rate = about('attendance_students');
  if (outcomes.has('absence_days')) columns.absence_days = about('attendance_students');
  if (outcomes.has('long_term_absence')) {
    columns.long_term_absent = count;
    columns.long_term_absence_rate = {
      kind: 'rate',
      numerator: 'long_term_absent',
      denominator: 'attendance_students',
    };
  }
  if (outcomes.has('assessment_score')) {
    columns.assessed = count;
    columns.assessment_score = about('assessed');
  }
  if (outcomes.has('app_minutes')) columns.app_minutes = about('students');
  for (const d of definition.derivedOutcomes ?? []) {
    columns[derivedStudentsColumn(d.name)] = count;
    columns[d.name] = { kind: 'statistic', students: derivedStudentsColumn(d.name), range: d.range };
  }

  const yearly = definition.timeGrain !== 'month';
  const out: Row[] = rows.map((r) => {
    const row: Row = { group: r.grp, period: yearly ? Number(r.period) : r.period };
    breakdowns.forEach((b, i) => (row[b] = i === 0 ? r.b1 : r.b2));
    row.students = r.students;
    row.schools = r.schools;
    if ('attendance_students' in columns) row.attendance_students = r.attendance_students;
    if ('attendance_rate' in columns) row.attendance_rate = round(r.attendance_rate);
    if ('absence_days' in columns) row.absence_days = round(r.absence_days, 3);
    if ('long_term_absent' in columns) {
      row.long_term_absent = r.long_term_absent;
      row.long_term_absence_rate = null;
    }
    if ('assessed' in columns) {
      row.assessed = r.assessed;
      row.assessment_score = round(r.assessment_score, 3);
    }
    if ('app_minutes' in columns) row.app_minutes = round(r.app_minutes, 2);
    const extra = derived.get(keyOf(r));
    for (const d of definition.derivedOutcomes ?? []) {
      row[derivedStudentsColumn(d.name)] = extra?.[derivedStudentsColumn(d.name)] ?? 0;
      row[d.name] = extra?.[d.name] ?? null;
    }
    return row;
  });
  const perSchool = breakdowns.includes('school');
  return {
    columns: Object.keys(columns),
    rows: out,
    spec: {
      columns,
      unit: 'area',
      schools: 'schools',
      totals: breakdowns.map((b) => ({ dimension: b, totalValue: 'all' })),
      // A row of one school is that school's own figure, not an area aggregate (the 'all' rows are).
      ...(perSchool ? { isArea: (row: Row) => row.school === 'all' } : {}),
    },
  };
}

/** The key that joins a derived outcome's aggregate to the descriptive row. */
export function keyOf(r: { grp: unknown; period: unknown; b1: unknown; b2: unknown }): string {
  return `${String(r.grp)}|${String(r.period)}|${String(r.b1)}|${String(r.b2)}`;
}

/** Per school and period: the outcome, from an aggregate broken down by school. */
interface SchoolPeriod {
  school: string;
  period: number;
  value: number;
  students: number;
}

export function schoolPanel(rows: AggregateRow[], outcome: DidOutcome): SchoolPeriod[] {
  return rows
    .filter((r) => r.b1 !== 'all')
    .flatMap((r) => {
      const { value, students } = outcomeOf(r, outcome);
      return value === null ? [] : [{ school: r.b1, period: Number(r.period), value, students }];
    });
}

/** Runs a method, turning its input errors (too few schools, an empty cell) into a 422 naming the analysis. */
function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw cohortAnalysisNotPossible((error as Error).message);
  }
}

const estimateColumns = ['estimate', 'se', 'lower', 'upper'] as const;
function estimateCells(e: { estimate: number; se: number; lower: number; upper: number }, digits = 6): Row {
  return {
    estimate: round(e.estimate, digits),
    se: round(e.se, digits),
    lower: round(e.lower, digits),
    upper: round(e.upper, digits),
  };
}

/** Treated vs comparison (or adoption cohort) means of the school values per period. */
function trendsTable(panel: SchoolPeriod[], armOf: (school: string) => string | null): PlannedTable {
  const cells = new Map<string, { arm: string; period: number; sum: number; schools: number; students: number }>();
  for (const p of panel) {
    const arm = armOf(p.school);
    if (arm === null) continue;
    const key = `${arm}|${p.period}`;
    const cell = cells.get(key) ?? { arm, period: p.period, sum: 0, schools: 0, students: 0 };
    cell.sum += p.value;
    cell.schools += 1;
    cell.students += p.students;
    cells.set(key, cell);
  }
  const rows = [...cells.values()]
    .sort((a, b) => a.arm.localeCompare(b.arm) || a.period - b.period)
    .map((c) => ({
      arm: c.arm,
      period: c.period,
      schools: c.schools,
      students: c.students,
      mean: round(c.sum / c.schools),
    }));
  return {
    columns: ['arm', 'period', 'schools', 'students', 'mean'],
    rows,
    spec: {
      columns: { arm: dimension, period: dimension, schools: dimension, students: count, mean: about('students') },
      unit: 'area',
      schools: 'schools',
    },
  };
}

const effectSpec = (extra: Record<string, ColumnRole>): TableSpec => ({
  columns: {
    ...extra,
    estimate: about('students'),
    se: about('students'),
    lower: about('students'),
    upper: about('students'),
    df: dimension,
    treated_schools: dimension,
    comparison_schools: dimension,
    students: count,
    min_arm_schools: dimension,
  },
  unit: 'area',
  schools: 'min_arm_schools',
});

/** 2×2 DiD: in the programme in every post year and no pre year, vs in it in none of those years. */
export function did2x2Tables(
  analysis: { programme: string; outcome: DidOutcome; preYears: number[]; postYears: number[] },
  rows: AggregateRow[],
  programmeSchools: ProgrammeSchool[],
): { tables: Record<string, PlannedTable>; summary: Record<string, unknown> } {
  const window = [...analysis.preYears, ...analysis.postYears];
  const inProgramme = new Map(programmeSchools.map((p) => [p.school_code, p.years]));
  const armOf = (school: string): string | null => {
    const years = inProgramme.get(school) ?? [];
    if (analysis.postYears.every((y) => years.includes(y)) && !analysis.preYears.some((y) => years.includes(y)))
      return 'treated';
    if (!window.some((y) => years.includes(y))) return 'comparison';
    return null;
  };
  const panel = schoolPanel(rows, analysis.outcome);
  const observations = panel
    .filter((p) => window.includes(p.period) && armOf(p.school) !== null)
    .map((p) => ({
      school: p.school,
      treated: armOf(p.school) === 'treated',
      post: analysis.postYears.includes(p.period),
      value: p.value,
    }));
  const result = guarded(() => did2x2(observations));
  const students = panel
    .filter((p) => window.includes(p.period) && armOf(p.school) !== null)
    .reduce((s, p) => s + p.students, 0);
  const effect: Row = {
    ...estimateCells(result),
    df: result.df,
    treated_schools: result.treatedSchools,
    comparison_schools: result.comparisonSchools,
    students,
    min_arm_schools: Math.min(result.treatedSchools, result.comparisonSchools),
  };
  const excluded = new Set(panel.filter((p) => armOf(p.school) === null).map((p) => p.school)).size;
  return {
    tables: {
      effect: {
        columns: [...estimateColumns, 'df', 'treated_schools', 'comparison_schools', 'students', 'min_arm_schools'],
        rows: [effect],
        spec: effectSpec({}),
      },
      trends: trendsTable(panel, armOf),
    },
    summary: {
      design: '2x2',
      outcome: analysis.outcome,
      preYears: analysis.preYears,
      postYears: analysis.postYears,
      cells: result.cells,
      excludedSchools: excluded,
      level: 0.95,
    },
  };
}

/** Staggered adoption: Callaway & Sant'Anna group-time effects, overall and by years since adoption. */
export function staggeredTables(
  analysis: { programme: string; outcome: DidOutcome; comparison?: Comparison },
  rows: AggregateRow[],
  programmeSchools: ProgrammeSchool[],
): { tables: Record<string, PlannedTable>; summary: Record<string, unknown> } {
  const comparison = analysis.comparison ?? 'never_treated';
  const panel = schoolPanel(rows, analysis.outcome);
  const first = new Map(programmeSchools.map((p) => [p.school_code, p.first_year]));
  const firstTreated = new Map<string, number | null>(panel.map((p) => [p.school, first.get(p.school) ?? null]));
  const result = guarded(() =>
    callawaySantAnna(
      panel.map((p) => ({ school: p.school, period: p.period, value: p.value })),
      firstTreated,
      { comparison },
    ),
  );
  const studentsAt = new Map(panel.map((p) => [`${p.school}|${p.period}`, p.students]));
  const groupStudents = (group: number, period: number): number =>
    [...firstTreated]
      .filter(([, g]) => g === group)
      .reduce((s, [school]) => s + (studentsAt.get(`${school}|${period}`) ?? 0), 0);

  const groupTime = result.groupTime.map((g) => ({
    group: g.group,
    period: g.period,
    event_time: g.eventTime,
    ...estimateCells(g),
    df: g.df,
    treated_schools: g.treatedSchools,
    comparison_schools: g.comparisonSchools,
    students: groupStudents(g.group, g.period),
    min_arm_schools: Math.min(g.treatedSchools, g.comparisonSchools),
  }));
  const cellsAt = (filter: (g: (typeof groupTime)[number]) => boolean) => {
    const cells = groupTime.filter(filter);
    return {
      treated: cells.reduce((s, g) => s + g.treated_schools, 0),
      comparison: cells.length ? Math.min(...cells.map((g) => g.comparison_schools)) : 0,
      students: cells.reduce((s, g) => s + g.students, 0),
    };
  };
  const overallCells = cellsAt((g) => g.event_time >= 0);
  // The overall effect's treated schools: those of the groups with a cell after adoption (counted once).
  const postGroups = new Set(groupTime.filter((g) => g.event_time >= 0).map((g) => g.group));
  const overallTreated = [...firstTreated.values()].filter((g) => g !== null && postGroups.has(g)).length;
  const effects: Row[] = [
    {
      effect: 'overall',
      event_time: null,
      ...estimateCells(result.overall),
      df: result.overall.df,
      treated_schools: overallTreated,
      comparison_schools: overallCells.comparison,
      students: overallCells.students,
      min_arm_schools: Math.min(overallTreated, overallCells.comparison),
    },
    ...result.eventStudy.map((e) => {
      const cells = cellsAt((g) => g.event_time === e.eventTime);
      return {
        effect: 'event_time',
        event_time: e.eventTime,
        ...estimateCells(e),
        df: e.df,
        treated_schools: cells.treated,
        comparison_schools: cells.comparison,
        students: cells.students,
        min_arm_schools: Math.min(cells.treated, cells.comparison),
      };
    }),
  ];
  const armOf = (school: string): string | null => {
    const g = firstTreated.get(school);
    if (result.excluded.some((x) => x.school === school)) return null;
    return g === null || g === undefined ? 'never' : `adopted_${g}`;
  };
  return {
    tables: {
      effects: {
        columns: [
          'effect',
          'event_time',
          ...estimateColumns,
          'df',
          'treated_schools',
          'comparison_schools',
          'students',
          'min_arm_schools',
        ],
        rows: effects,
        spec: effectSpec({ effect: dimension, event_time: dimension }),
      },
      group_time: {
        columns: [
          'group',
          'period',
          'event_time',
          ...estimateColumns,
          'df',
          'treated_schools',
          'comparison_schools',
          'students',
          'min_arm_schools',
        ],
        rows: groupTime,
        spec: effectSpec({ group: dimension, period: dimension, event_time: dimension }),
      },
      trends: trendsTable(panel, armOf),
    },
    summary: {
      design: 'staggered',
      estimator: 'Callaway & Sant’Anna (2021)',
      outcome: analysis.outcome,
      comparison,
      basePeriod: result.basePeriod,
      excludedSchools: result.excluded.length,
      level: 0.95,
    },
  };
}

/** Funnel plot data for a school-level rate in one year. */
export function funnelTables(
  analysis: { outcome: 'long_term_absence' | 'attendance_rate'; academicYear: number },
  rows: AggregateRow[],
): {
  tables: Record<string, PlannedTable>;
  summary: Record<string, unknown>;
  afterDisclosure: (tables: Record<string, { rows: Row[] }>) => void;
} {
  const perSchool = rows.filter(
    (r) => r.b1 !== 'all' && Number(r.period) === analysis.academicYear && r.attendance_students > 0,
  );
  const lta = analysis.outcome === 'long_term_absence';
  const units: FunnelUnit[] = perSchool
    .map((r) => ({
      school: r.b1,
      numerator: lta ? r.long_term_absent : (r.attended_days ?? 0),
      denominator: lta ? r.attendance_students : (r.required_days ?? 0),
    }))
    .filter((u) => u.denominator > 0);
  const result = guarded(() => funnelPlot(units));
  const students = new Map(perSchool.map((r) => [r.b1, r]));
  const columns: Record<string, ColumnRole> = { school: dimension, students: count };
  if (lta) {
    columns.long_term_absent = count;
    columns.rate = { kind: 'rate', numerator: 'long_term_absent', denominator: 'students' };
  } else {
    columns.required_days = dimension;
    columns.rate = about('students');
  }
  for (const c of ['z', 'lower95', 'upper95', 'lower998', 'upper998', 'flag']) columns[c] = about('students');
  const out: Row[] = result.points.map((p) => {
    const r = students.get(p.school)!;
    const row: Row = { school: p.school, students: r.attendance_students };
    if (lta) row.long_term_absent = r.long_term_absent;
    else row.required_days = p.denominator;
    Object.assign(row, {
      rate: round(p.rate),
      z: round(p.z, 3),
      lower95: round(p.lower95),
      upper95: round(p.upper95),
      lower998: round(p.lower998),
      upper998: round(p.upper998),
      flag: p.flag,
    });
    return row;
  });
  return {
    tables: {
      schools: { columns: Object.keys(columns), rows: out, spec: { columns, unit: 'school' } },
      limits: {
        columns: ['denominator', 'lower95', 'upper95', 'lower998', 'upper998'],
        rows: result.curve.map((c) => ({
          denominator: Math.round(c.denominator),
          lower95: round(c.lower95),
          upper95: round(c.upper95),
          lower998: round(c.lower998),
          upper998: round(c.upper998),
        })),
        spec: {
          columns: {
            denominator: dimension,
            lower95: dimension,
            upper95: dimension,
            lower998: dimension,
            upper998: dimension,
          },
          unit: 'school',
        },
      },
    },
    summary: {
      outcome: analysis.outcome,
      academicYear: analysis.academicYear,
      target: round(result.target),
      overdispersion: result.overdispersion,
      phi: round(result.phi, 4),
      tau2: round(result.tau2, 8),
      denominator: lta ? 'students' : 'required days',
      method: 'Spiegelhalter (2005) funnel plot, 95% and 99.8% limits, additive random-effects overdispersion',
      limitsAtPublishedDenominator: lta,
    },
    // A school's limits at its exact number of students would give that number back (n follows from a
    // limit's width): where the denominator is students, draw them at the published (rounded) number.
    afterDisclosure: (published) => {
      if (!lta) return;
      for (const row of published.schools.rows) {
        const n = row.students;
        const limits = typeof n === 'number' && n > 0 ? funnelLimits(result, n) : null;
        for (const c of ['lower95', 'upper95', 'lower998', 'upper998'] as const)
          row[c] = limits ? round(limits[c]) : null;
      }
    },
  };
}

/** Value-added: EB-shrunk school effects; `profileOf` adds what a flagged school does differently. */
export function valueAddedTables(
  analysis: { academicYear: number },
  residuals: SchoolResidualRow[],
): { tables: Record<string, PlannedTable>; summary: Record<string, unknown>; flagged: string[] } {
  const units = residuals
    .filter((r) => r.students > 0)
    .map((r) => ({ school: r.school_code, n: r.students, meanResidual: r.mean_residual }));
  const N = units.reduce((s, u) => s + u.n, 0);
  if (units.length < 2 || N - units.length < 1)
    throw cohortAnalysisNotPossible(
      `value-added needs prior and current scores in at least two schools (found ${units.length})`,
    );
  const sigma2 = residuals.reduce((s, r) => s + r.within_ss, 0) / (N - units.length);
  const result = guarded(() => shrinkSchoolEffects(units, sigma2));
  const columns: Record<string, ColumnRole> = {
    school: dimension,
    students: count,
    raw: about('students'),
    shrinkage: about('students'),
    ...Object.fromEntries(estimateColumns.map((c) => [c, about('students')])),
    flagged: about('students'),
  };
  const rows: Row[] = result.effects.map((e) => ({
    school: e.school,
    students: e.n,
    raw: round(e.raw, 3),
    shrinkage: round(e.shrinkage, 4),
    ...estimateCells(e, 3),
    flagged: e.flagged,
  }));
  return {
    tables: { schools: { columns: Object.keys(columns), rows, spec: { columns, unit: 'school' } } },
    summary: {
      academicYear: analysis.academicYear,
      priorYear: analysis.academicYear - 1,
      sigma2: round(result.sigma2, 4),
      tau2: round(result.tau2, 4),
      method:
        'score in percent against the prior-year score (same subject, fitted per subject and grade); school effects shrunk by empirical Bayes (Leckie & Goldstein); flagged when the 95% interval sits above zero',
    },
    flagged: result.effects.filter((e) => e.flagged).map((e) => e.school),
  };
}

/** What a flagged school does differently: its programmes and its learning-app use against the municipality's. */
export function goodPracticeTable(
  flagged: { school: string; students: number; estimate: number | null; lower: number | null; upper: number | null }[],
  programmes: Map<string, string[]>,
  appMinutes: Map<string, number>,
): PlannedTable {
  const all = [...appMinutes.values()];
  const municipality = all.length ? all.reduce((a, b) => a + b, 0) / all.length : null;
  const rows: Row[] = flagged.map((f) => ({
    school: f.school,
    students: f.students,
    estimate: f.estimate,
    lower: f.lower,
    upper: f.upper,
    programmes: (programmes.get(f.school) ?? []).join('、'),
    app_minutes_per_student_week: round(appMinutes.get(f.school) ?? null, 1),
    all_schools_app_minutes_per_student_week: round(municipality, 1),
  }));
  const columns: Record<string, ColumnRole> = {
    school: dimension,
    students: count,
    estimate: about('students'),
    lower: about('students'),
    upper: about('students'),
    programmes: dimension,
    app_minutes_per_student_week: about('students'),
    all_schools_app_minutes_per_student_week: dimension,
  };
  return { columns: Object.keys(columns), rows, spec: { columns, unit: 'school' } };
}

export type { Breakdown };
