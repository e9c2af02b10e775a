/**
 * The school-level panel the DiD methods and the funnel plot work on: the population's figures per
 * school and period (queries/cohorts/school-panel/school-periods.sql), a programme's schools with the
 * year each first took part (programme-schools.sql), and the tables both DiD designs publish.
 */
import { INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { DomainError } from '../../common/domain-error.js';
import type { ColumnRole, TableSpec } from '../../disclosure/disclosure.types.js';
import { sqlFile } from '../../warehouse/sql-files.js';
import type { DidOutcome } from '../cohort-definition.js';
import type { CohortSession } from '../cohort-warehouse.js';
import { cohortAnalysisNotPossible } from '../cohorts.errors.js';
import { about, type AggregateRow, count, dimension, type PlannedTable, round } from './method-tables.js';
import { type AnalysisOf, type CohortMethod, type MethodName, needsOfOutcomes, NO_GROUPS } from './cohort-method.js';

const SQL = {
  schoolPeriods: sqlFile('cohorts/school-panel/school-periods'),
  programmeSchools: sqlFile('cohorts/school-panel/programme-schools'),
};

/** A school of a programme: the school year it first took part, and the asked years it takes part in. */
export interface ProgrammeSchool {
  school_code: string;
  first_year: number;
  years: number[];
}

/** The aggregate per school and period (no totals): b1 is the school. */
export function schoolPeriods(cohort: CohortSession): Promise<AggregateRow[]> {
  return cohort.all<AggregateRow>(SQL.schoolPeriods);
}

export function programmeSchools(
  cohort: CohortSession,
  programme: string,
  years: number[],
): Promise<ProgrammeSchool[]> {
  return cohort.all<ProgrammeSchool>(
    SQL.programmeSchools,
    { programme, years: listValue(years) },
    { programme: VARCHAR, years: LIST(INTEGER) },
  );
}

/** The value of an outcome in an aggregate row, and the count of students it is about. */
function outcomeOf(row: AggregateRow, outcome: DidOutcome): { value: number | null; students: number } {
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

/** Per school and period: the outcome, from an aggregate broken down by school. */
export interface SchoolPeriod {
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
export function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw cohortAnalysisNotPossible((error as Error).message);
  }
}

/** Treated vs comparison (or adoption cohort) means of the school values per period. */
export function trendsTable(panel: SchoolPeriod[], armOf: (school: string) => string | null): PlannedTable {
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

/** The spec of an effect table: estimates about the students of both arms, published when each arm has enough schools. */
export const effectSpec = (extra: Record<string, ColumnRole>): TableSpec => ({
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

/** What a programme evaluation's tables are built from: the school panel and the schools in the programme. */
export type ProgrammeTables<M extends MethodName> = (
  analysis: AnalysisOf<M>,
  rows: AggregateRow[],
  programmeSchools: ProgrammeSchool[],
) => { tables: Record<string, PlannedTable>; summary: Record<string, unknown> };

/**
 * A method that compares schools in a programme with the others on the school panel (the two DiD designs):
 * the same needs (the analysis's outcome beside the definition's), no groups, and the panel and the
 * programme's schools read the same way; `programmeOf` gives the programme and outcome of the analysis.
 */
export function programmeMethod<M extends MethodName>(
  method: M,
  programmeOf: (analysis: AnalysisOf<M>) => { programme: string; outcome: DidOutcome },
  tables: ProgrammeTables<M>,
): CohortMethod<M> {
  return {
    method,
    needs: (definition, analysis) =>
      needsOfOutcomes(
        [...definition.outcomes, programmeOf(analysis).outcome],
        (definition.derivedOutcomes?.length ?? 0) > 0,
      ),
    groups: () => NO_GROUPS,
    async plan({ definition, analysis, cohort }) {
      const { tables: planned, summary } = tables(
        analysis,
        await schoolPeriods(cohort),
        await programmeSchools(cohort, programmeOf(analysis).programme, definition.population.academicYears),
      );
      return { planned, summary };
    },
  };
}
