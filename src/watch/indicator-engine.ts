import {
  BOOLEAN,
  DATE,
  DuckDBDateValue,
  INTEGER,
  LIST,
  listValue,
  VARCHAR,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { WarehouseSession } from '../warehouse/warehouse.js';
import { INDICATOR_BINDINGS, type IndicatorDefinition } from './indicator-catalogue.js';

/** The thresholds in force: indicator id → parameter → value (defaults, overridden by the board's settings). */
export type Thresholds = Record<string, Record<string, number | string>>;

/** One indicator that fired for one student. */
export interface FiredIndicator {
  schoolCode: string;
  student: string;
  indicatorId: string;
  value: number | null;
  /** YYYY-MM-DD */
  since: string | null;
  /** The student's urgency: the sum of the weights of every indicator that fired for them. */
  urgency: number;
}

/** 年度: April to March. */
export function academicYearOf(isoDate: string): number {
  const [year, month] = isoDate.split('-').map(Number);
  return month >= 4 ? year : year - 1;
}

export function dateValue(isoDate: string): DuckDBDateValue {
  const [year, month, day] = isoDate.split('-').map(Number);
  return DuckDBDateValue.fromParts({ year, month, day });
}

/**
 * The students an indicator may flag, read once for every indicator of a run: the year's enrolments in the
 * schools asked for, with the compact numbers the daily rows carry (school_refs, student_refs; null for a student
 * without daily rows). Indicator files
 * join it (`watch_students`) instead of joining pseudonyms and codes each on their own.
 */
export const WATCH_STUDENTS_CTE = `watch_students AS MATERIALIZED (
  SELECT e.school_code, e.student_pid, e.homeroom_id, s.school_ref, r.student_ref
  FROM enrolments e
  LEFT JOIN school_refs s ON s.school_code = e.school_code
  LEFT JOIN student_refs r ON r.student_pid = e.student_pid
  WHERE e.academic_year = $academic_year
    AND ($schools::VARCHAR[] IS NULL OR e.school_code IN (SELECT unnest($schools::VARCHAR[])))
)`;

/** One indicator's query on its own (its parameters as in its file), with the students it may flag. */
export const standaloneIndicatorSql = (sql: string): string => `WITH ${WATCH_STUDENTS_CTE}
SELECT * FROM (
${sql}
)`;

/**
 * Every indicator of the catalogue as one set-based query: each file's query becomes a common table
 * expression (its parameters renamed `$p<k>_<name>` so two indicators can hold different thresholds of the
 * same name), their rows are stacked, and a student is on the list when an indicator that flags `alone`
 * fired, or two that flag `with_another` did. Every value is bound.
 */
export function watchListSql(indicators: readonly IndicatorDefinition[]): string {
  const ctes = indicators.map((indicator, k) => {
    const sql = indicator.sql.replace(/\$([a-z_]+)\b/g, (whole, name: string) =>
      (INDICATOR_BINDINGS as readonly string[]).includes(name) ? whole : `$p${k}_${name}`,
    );
    return `i${k} AS (\n${sql}\n)`;
  });
  const fired = indicators
    .map(
      (_, k) =>
        `SELECT school_code, student_pid, CAST($k${k}_id AS VARCHAR) AS indicator_id, CAST(value AS DOUBLE) AS value, CAST(since AS DATE) AS since, CAST($k${k}_alone AS BOOLEAN) AS alone, CAST($k${k}_urgency AS INTEGER) AS weight FROM i${k}`,
    )
    .join('\nUNION ALL\n');
  return `WITH ${WATCH_STUDENTS_CTE},
${ctes.join(',\n')},
fired AS (
${fired}
),
flagged AS (
  SELECT school_code, student_pid, CAST(sum(weight) AS INTEGER) AS urgency
  FROM fired
  GROUP BY school_code, student_pid
  HAVING bool_or(alone) OR count(*) FILTER (WHERE NOT alone) >= 2
)
SELECT f.school_code, f.student_pid, f.indicator_id, f.value, CAST(f.since AS VARCHAR) AS since, g.urgency
FROM fired f JOIN flagged g ON g.school_code = f.school_code AND g.student_pid = f.student_pid`;
}

export function watchListParams(
  indicators: readonly IndicatorDefinition[],
  thresholds: Thresholds,
  asOf: string,
  schools: string[] | null,
): { params: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
  const params: Record<string, DuckDBValue> = {
    as_of: dateValue(asOf),
    academic_year: academicYearOf(asOf),
    schools: schools ? listValue(schools) : null,
  };
  const types: Record<string, DuckDBType> = { as_of: DATE, academic_year: INTEGER, schools: LIST(VARCHAR) };
  indicators.forEach((indicator, k) => {
    params[`k${k}_id`] = indicator.id;
    params[`k${k}_alone`] = indicator.flags === 'alone';
    params[`k${k}_urgency`] = indicator.urgency;
    Object.assign(types, { [`k${k}_id`]: VARCHAR, [`k${k}_alone`]: BOOLEAN, [`k${k}_urgency`]: INTEGER });
    for (const parameter of indicator.parameters) {
      const value = thresholds[indicator.id]?.[parameter.name] ?? parameter.default;
      params[`p${k}_${parameter.name}`] = parameter.type === 'integer' ? Number(value) : String(value);
      types[`p${k}_${parameter.name}`] = parameter.type === 'integer' ? INTEGER : VARCHAR;
    }
  });
  return { params, types };
}

/** Computes the watch list as of a date for some schools (null = all), on a session of the caller's. */
export async function computeWatchList(
  session: WarehouseSession,
  indicators: readonly IndicatorDefinition[],
  thresholds: Thresholds,
  asOf: string,
  schools: string[] | null,
): Promise<FiredIndicator[]> {
  const { params, types } = watchListParams(indicators, thresholds, asOf, schools);
  const rows = await session.all<{
    school_code: string;
    student_pid: string;
    indicator_id: string;
    value: number | null;
    since: string | null;
    urgency: number;
  }>(watchListSql(indicators), params, types);
  return rows.map((row) => ({
    schoolCode: row.school_code,
    student: row.student_pid,
    indicatorId: row.indicator_id,
    value: row.value,
    since: row.since,
    urgency: row.urgency,
  }));
}
