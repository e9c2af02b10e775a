/**
 * Value-added (Leckie & Goldstein): each student's score against what their prior-year score predicts
 * (queries/cohorts/value-added/residuals.sql), school effects shrunk by empirical Bayes
 * (src/analysis/value-added.ts); once published, what a flagged school does differently: its programmes
 * (school-programmes.sql) and its learning-app use against the municipality's.
 */
import { INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { shrinkSchoolEffects } from '../../analysis/value-added.js';
import type { ColumnRole, Row } from '../../disclosure/disclosure.types.js';
import { sqlFile } from '../../warehouse/sql-files.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { MetricsService } from '../../metrics/metrics.service.js';
import { cohortAnalysisNotPossible } from '../cohorts.errors.js';
import { type CohortMethod, NO_GROUPS } from './cohort-method.js';
import { about, count, dimension, estimateCells, estimateColumns, type PlannedTable, round } from './method-tables.js';
import { guarded } from './school-panel.js';

const SQL = {
  residuals: sqlFile('cohorts/value-added/residuals'),
  schoolProgrammes: sqlFile('cohorts/value-added/school-programmes'),
};

const APP_MINUTES_METRIC = 'learning.app_minutes_per_student_week';

/** Per school: students with a prior and a current score, their mean residual and the within-school sum of squares. */
interface SchoolResidualRow {
  school_code: string;
  students: number;
  mean_residual: number;
  within_ss: number;
}

export const valueAdded: CohortMethod<'value_added'> = {
  method: 'value_added',
  needs: (_definition, analysis) => ({ attendance: false, scores: true, app: false, years: [analysis.academicYear] }),
  groups: () => NO_GROUPS,
  async plan({ definition, analysis, cohort, services }) {
    const residuals = await cohort.all<SchoolResidualRow>(
      SQL.residuals,
      { year: analysis.academicYear, subjects: listValue(definition.subjects ?? []) },
      { year: INTEGER, subjects: LIST(VARCHAR) },
    );
    const { tables, summary } = valueAddedTables(analysis, residuals);
    return {
      planned: tables,
      summary,
      afterDisclosure: async (published, control) => {
        published.good_practice = control(await goodPractice(services, analysis.academicYear, published.schools.rows));
      },
    };
  },
};

/** Value-added: EB-shrunk school effects; `profileOf` adds what a flagged school does differently. */
function valueAddedTables(
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

/** Flagged schools (after disclosure) with their programmes and app use against every school's. */
async function goodPractice(
  services: { warehouse: Warehouse; metrics: MetricsService },
  academicYear: number,
  schools: Row[],
): Promise<PlannedTable> {
  const flagged = schools.filter((r) => r.flagged === true);
  const codes = flagged.map((r) => String(r.school));
  const programmes = await services.warehouse.all<{ school_code: string; programmes: string[] }>(
    SQL.schoolProgrammes,
    { year: academicYear, schools: listValue(codes) },
    { year: INTEGER, schools: LIST(VARCHAR) },
  );
  const app = await services.metrics.values(APP_MINUTES_METRIC, { academicYear });
  return goodPracticeTable(
    flagged.map((r) => ({
      school: String(r.school),
      students: Number(r.students),
      estimate: r.estimate as number | null,
      lower: r.lower as number | null,
      upper: r.upper as number | null,
    })),
    new Map(programmes.map((r) => [r.school_code, r.programmes])),
    new Map(app.map((v) => [v.schoolCode, v.value])),
  );
}

/** What a flagged school does differently: its programmes and its learning-app use against the municipality's. */
function goodPracticeTable(
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
