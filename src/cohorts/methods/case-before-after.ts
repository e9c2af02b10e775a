/**
 * Support cases (見守りケース) as a per-student intervention. For the students of the population for whom a
 * case was opened (in a school year of the population, at a school of it), the monthly outcome relative to the
 * month the case was opened (−window … +window), and the mean of the months before (−window … −1) against the
 * months after (+1 … +window) with a paired 95% confidence interval. The opening month itself is shown but
 * belongs to neither side: the case was opened somewhere inside it.
 *
 * The cases live in the control plane; the service reads only (pseudonym, school, school year, opening day) of
 * each and binds them as lists into this run's query (queries/cohorts/case-before-after): nothing about a case
 * is written to the warehouse, and no note or responsible person is read at all.
 */
import { INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { interval } from '../../analysis/stats.js';
import { sqlFile } from '../../warehouse/sql-files.js';
import type { CaseOutcome } from '../case-analysis.js';
import { type CohortMethod, NO_GROUPS } from './cohort-method.js';
import { about, count, dimension, estimateColumns, type PlannedTable, round } from './method-tables.js';

const SQL = { studentMonths: sqlFile('cohorts/case-before-after/student-months') };

interface StudentMonth {
  student_key: bigint | number;
  school_code: string;
  relative_month: number;
  required_days: number;
  absent_days: number;
}

const valueOf = (row: StudentMonth, outcome: CaseOutcome): number =>
  outcome === 'absence_days' ? row.absent_days : (row.required_days - row.absent_days) / row.required_days;

export const caseBeforeAfter: CohortMethod<'case_before_after'> = {
  method: 'case_before_after',
  needs: () => ({ attendance: true, scores: false, app: false }),
  groups: () => NO_GROUPS,
  async plan({ analysis, cohort, services }) {
    const window = analysis.window ?? 6;
    const openings = await services.caseOpenings({
      statuses: analysis.statuses ?? [],
      agencies: analysis.agencies ?? [],
    });
    const rows = await cohort.all<StudentMonth>(
      SQL.studentMonths,
      {
        students: listValue(openings.map((o) => o.student)),
        schools: listValue(openings.map((o) => o.schoolCode)),
        case_years: listValue(openings.map((o) => o.academicYear)),
        opened: listValue(openings.map((o) => o.openedOn)),
        window,
      },
      {
        students: LIST(VARCHAR),
        schools: LIST(VARCHAR),
        case_years: LIST(INTEGER),
        opened: LIST(VARCHAR),
        window: INTEGER,
      },
    );
    return caseTables(rows, analysis.outcome, window);
  },
};

/** The per-month table and the before/after table from the students' monthly rows. */
export function caseTables(
  rows: StudentMonth[],
  outcome: CaseOutcome,
  window: number,
): { planned: Record<string, PlannedTable>; summary: Record<string, unknown> } {
  const months = new Map<number, { students: number; schools: Set<string>; sum: number }>();
  const students = new Map<string, { before: number[]; after: number[]; schools: Set<string> }>();
  for (const row of rows) {
    const value = valueOf(row, outcome);
    const month = months.get(row.relative_month) ?? { students: 0, schools: new Set<string>(), sum: 0 };
    month.students += 1;
    month.schools.add(row.school_code);
    month.sum += value;
    months.set(row.relative_month, month);
    if (row.relative_month === 0) continue;
    const key = String(row.student_key);
    const student = students.get(key) ?? { before: [], after: [], schools: new Set<string>() };
    (row.relative_month < 0 ? student.before : student.after).push(value);
    student.schools.add(row.school_code);
    students.set(key, student);
  }
  const byMonth: PlannedTable = {
    columns: ['relative_month', 'students', 'schools', 'student_mean'],
    rows: [...months.entries()]
      .sort(([a], [b]) => a - b)
      .map(([relative_month, m]) => ({
        relative_month,
        students: m.students,
        schools: m.schools.size,
        student_mean: round(m.sum / m.students),
      })),
    spec: {
      columns: { relative_month: dimension, students: count, schools: dimension, student_mean: about('students') },
      unit: 'area',
      schools: 'schools',
    },
  };
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  const all = [...students.values()];
  const side = (pick: (s: (typeof all)[number]) => number | null) => {
    const values: number[] = [];
    const schools = new Set<string>();
    for (const s of all) {
      const v = pick(s);
      if (v === null) continue;
      values.push(v);
      s.schools.forEach((c) => schools.add(c));
    }
    return { ...meanInterval(values), students: values.length, schools: schools.size };
  };
  const sides = [
    { side: 'before', ...side((s) => (s.before.length ? mean(s.before) : null)) },
    { side: 'after', ...side((s) => (s.after.length ? mean(s.after) : null)) },
    {
      side: 'difference',
      ...side((s) => (s.before.length && s.after.length ? mean(s.after) - mean(s.before) : null)),
    },
  ];
  const beforeAfter: PlannedTable = {
    columns: ['side', 'students', 'schools', ...estimateColumns],
    rows: sides.map((s) => ({
      side: s.side,
      students: s.students,
      schools: s.schools,
      estimate: round(s.estimate),
      se: round(s.se),
      lower: round(s.lower),
      upper: round(s.upper),
    })),
    spec: {
      columns: {
        side: dimension,
        students: count,
        schools: dimension,
        estimate: about('students'),
        se: about('students'),
        lower: about('students'),
        upper: about('students'),
      },
      unit: 'area',
      schools: 'schools',
    },
  };
  return {
    planned: { before_after: beforeAfter, by_month: byMonth },
    summary: { outcome, window, level: 0.95, openingMonth: 'excluded from before and after' },
  };
}

/** The mean of per-student values with a t interval (n − 1 degrees of freedom); NaN limits below two students. */
function meanInterval(values: number[]): { estimate: number; se: number; lower: number; upper: number } {
  const n = values.length;
  if (n === 0) return { estimate: NaN, se: NaN, lower: NaN, upper: NaN };
  const m = values.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { estimate: m, se: NaN, lower: NaN, upper: NaN };
  const variance = values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1);
  const result = interval(m, Math.sqrt(variance / n), n - 1);
  return { estimate: m, se: result.se, lower: result.lower, upper: result.upper };
}
