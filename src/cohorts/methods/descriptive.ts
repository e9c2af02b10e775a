/**
 * Descriptive comparison: per group (the analyst's choice), period (year or month) and up to two
 * breakdowns, with 'all' totals for each breakdown, every outcome's parts (SQL:
 * queries/cohorts/descriptive/aggregate.sql) and the analyst's derived outcomes (means computed in the
 * locked sandbox over the cohort's rows).
 */
import { VARCHAR } from '@duckdb/node-api';
import type { ColumnRole, Row } from '../../disclosure/disclosure.types.js';
import { sqlFile } from '../../warehouse/sql-files.js';
import { AnalystSandbox } from '../analyst-sandbox.js';
import { type CohortDefinition, derivedStudentsColumn, type Outcome } from '../cohort-definition.js';
import type { CohortSession } from '../cohort-warehouse.js';
import { type CohortMethod, needsOfOutcomes } from './cohort-method.js';
import { about, type AggregateRow, count, dimension, type PlannedTable, round } from './method-tables.js';

const SQL = { aggregate: sqlFile('cohorts/descriptive/aggregate') };

type DerivedMeans = Map<string, Record<string, number | null>>;

export const descriptive: CohortMethod<'descriptive'> = {
  method: 'descriptive',
  needs: (definition) => needsOfOutcomes(definition.outcomes, (definition.derivedOutcomes?.length ?? 0) > 0),
  groups: (definition) => definition.groups!,
  async plan({ definition, cohort, services, signal }) {
    const breakdowns = definition.breakdowns ?? [];
    const rows = await cohort.all<AggregateRow>(
      SQL.aggregate,
      { b1: breakdowns[0] ?? null, b2: breakdowns[1] ?? null },
      { b1: VARCHAR, b2: VARCHAR },
    );
    const derived: DerivedMeans = definition.derivedOutcomes?.length
      ? await derivedMeans(definition, cohort, services.config.analyst, signal)
      : new Map<string, Record<string, number | null>>();
    return {
      planned: { descriptive: descriptiveTable(definition, rows, derived) },
      summary: { timeGrain: definition.timeGrain },
    };
  },
};

/** Analyst expressions, evaluated in the locked sandbox over the cohort's rows: each outcome's mean and its count. */
async function derivedMeans(
  definition: CohortDefinition,
  cohort: CohortSession,
  limits: { memoryLimit: string; timeoutMs: number },
  signal: AbortSignal | undefined,
): Promise<DerivedMeans> {
  const sandbox = await AnalystSandbox.open({ memoryLimit: limits.memoryLimit });
  try {
    await sandbox.load(await cohort.sandboxRows());
    const breakdowns = definition.breakdowns ?? [];
    const outcomes = definition.derivedOutcomes!;
    const rows = await sandbox.means(outcomes, [breakdowns[0] ?? null, breakdowns[1] ?? null], {
      timeoutMs: limits.timeoutMs,
      signal,
    });
    const columns = outcomes.flatMap((d) => [d.name, derivedStudentsColumn(d.name)]);
    return new Map(
      rows.map((r) => [
        keyOf(r as { grp: unknown; period: unknown; b1: unknown; b2: unknown }),
        Object.fromEntries(columns.map((c) => [c, (r[c] as number | null) ?? null])),
      ]),
    );
  } finally {
    sandbox.close();
  }
}

/** The key that joins a derived outcome's aggregate to the descriptive row. */
function keyOf(r: { grp: unknown; period: unknown; b1: unknown; b2: unknown }): string {
  return `${String(r.grp)}|${String(r.period)}|${String(r.b1)}|${String(r.b2)}`;
}

/** Descriptive comparison: per group, period and breakdown, with 'all' totals for each breakdown. */
function descriptiveTable(
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
