import { DATE, INTEGER, LIST, listValue, VARCHAR, type DuckDBValue } from '@duckdb/node-api';
import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service.js';
import { sqlFile } from '../warehouse/sql-files.js';
import { Warehouse, type WarehouseSession } from '../warehouse/warehouse.js';
import { dateValue } from '../watch/indicator-engine.js';
import type { AttendancePeriod, HomeroomAttendance } from './dashboards.types.js';

const SQL = {
  asOf: sqlFile('dashboards/attendance-as-of'),
  byHomeroom: sqlFile('dashboards/by-homeroom'),
  figures: sqlFile('dashboards/homeroom-figures'),
  months: sqlFile('dashboards/absences-by-month'),
  students: sqlFile('dashboards/homeroom-students'),
  homerooms: sqlFile('dashboards/homerooms'),
};

/** 出席率: the metric whose own SQL gives every attendance rate of the dashboards. */
export const RATE_METRIC = 'attendance.rate';

const TYPES = {
  school: VARCHAR,
  academic_year: INTEGER,
  as_of: DATE,
  students: LIST(VARCHAR),
  schools: LIST(VARCHAR),
  min_days: INTEGER,
  homerooms: LIST(VARCHAR),
};
type Name = keyof typeof TYPES;

/** The values and types of the parameters a statement names (DuckDB refuses a bound value the text does not use). */
function bind(sql: string, values: Partial<Record<Name, DuckDBValue>>) {
  const named = (Object.keys(TYPES) as Name[]).filter((name) => new RegExp(`\\$${name}\\b`).test(sql));
  return {
    params: Object.fromEntries(named.map((name) => [name, values[name] ?? null])),
    types: Object.fromEntries(named.map((name) => [name, TYPES[name]])),
  };
}

/** Counts and rates that DuckDB gives as bigint or double, as numbers (a rate of no required day stays null). */
const num = (value: unknown): number => (typeof value === 'bigint' ? Number(value) : Number(value ?? 0));

export interface PeriodQuery {
  schoolCode: string;
  academicYear: number;
  asOf: string;
  /** The students counted (pseudonyms); null = every enrolled student. */
  students: string[] | null;
  minDays: number;
}

/**
 * Attendance to date for the dashboards, from the warehouse. Every rate is the metric catalogue's
 * `attendance.rate` SQL, run unchanged over the year's student rows counted up to the date
 * (queries/dashboards/attendance-as-of.sql, bound under the name of the table the metric reads): per school as it
 * is, per homeroom with the homeroom in place of the school code. Absence days and the students at or over a
 * number of days are sums over the same rows.
 */
@Injectable()
export class DashboardAttendance {
  constructor(
    @Inject(Warehouse) private readonly warehouse: Warehouse,
    private readonly metrics: MetricsService,
  ) {}

  /** The metric's SQL over the as-of rows, per school (`byHomeroom` false) or per homeroom. */
  private metricSql(id: string, byHomeroom: boolean): string {
    const metric = this.metrics.get(id);
    if (!/^SELECT\b/i.test(metric.sql))
      throw new Error(`metric ${id} must be a single select statement to run over the dashboards' rows`);
    return byHomeroom
      ? `WITH as_of_rows AS (${SQL.asOf}), student_year_attendance AS (${SQL.byHomeroom}) ${metric.sql}`
      : `WITH student_year_attendance AS (${SQL.asOf}) ${metric.sql}`;
  }

  /** A school year's attendance up to a date: per homeroom and for all of them together. */
  async period(query: PeriodQuery): Promise<AttendancePeriod> {
    const values: Partial<Record<Name, DuckDBValue>> = {
      school: query.schoolCode,
      academic_year: query.academicYear,
      as_of: dateValue(query.asOf),
      students: query.students ? listValue(query.students) : null,
      schools: null,
      min_days: query.minDays,
    };
    const run = <T extends Record<string, unknown>>(session: WarehouseSession, sql: string) => {
      const { params, types } = bind(sql, values);
      return session.all<T>(sql, params, types);
    };
    const figuresSql = `WITH student_year_attendance AS (${SQL.asOf}) ${SQL.figures}`;
    const [figures, schoolRate, homeroomRates, months] = await this.warehouse.read(async (session) => [
      await run<{
        homeroom_id: string;
        title: string | null;
        grades: string[] | null;
        students: number;
        school_days: number;
        absent_days: number;
        students_over: number;
      }>(session, figuresSql),
      await run<{ school_code: string; value: number | null }>(session, this.metricSql(RATE_METRIC, false)),
      await run<{ school_code: string; value: number | null }>(session, this.metricSql(RATE_METRIC, true)),
      await run<{ month: string; absences: number }>(session, SQL.months),
    ]);
    const rateOf = new Map(homeroomRates.map((row) => [row.school_code, row.value === null ? null : num(row.value)]));
    const homerooms: HomeroomAttendance[] = figures.map((row) => ({
      homeroomId: row.homeroom_id || null,
      title: row.title,
      grade: row.grades?.length === 1 ? row.grades[0] : null,
      students: num(row.students),
      schoolDays: num(row.school_days),
      absentDays: num(row.absent_days),
      studentsOver: num(row.students_over),
      rate: rateOf.get(row.homeroom_id) ?? null,
    }));
    const sum = (pick: (row: HomeroomAttendance) => number) => homerooms.reduce((total, row) => total + pick(row), 0);
    return {
      academicYear: query.academicYear,
      asOf: query.asOf,
      minDays: query.minDays,
      homerooms,
      total: {
        students: sum((row) => row.students),
        schoolDays: Math.max(0, ...homerooms.map((row) => row.schoolDays)),
        absentDays: sum((row) => row.absentDays),
        studentsOver: sum((row) => row.studentsOver),
        rate: schoolRate[0]?.value === null || schoolRate[0] === undefined ? null : num(schoolRate[0].value),
      },
      months: months.map((row) => ({ month: row.month, absences: num(row.absences) })),
    };
  }

  /** The students of some homerooms of a school in a year (pseudonyms). */
  async studentsOf(schoolCode: string, academicYear: number, homerooms: string[]): Promise<string[]> {
    const { params, types } = bind(SQL.students, {
      school: schoolCode,
      academic_year: academicYear,
      homerooms: listValue(homerooms),
    });
    const rows = await this.warehouse.all<{ student_pid: string }>(SQL.students, params, types);
    return rows.map((row) => row.student_pid);
  }

  /** The homerooms of a school in a year, by title. */
  async homerooms(schoolCode: string, academicYear: number): Promise<{ homeroomId: string; title: string }[]> {
    const { params, types } = bind(SQL.homerooms, { school: schoolCode, academic_year: academicYear });
    const rows = await this.warehouse.all<{ homeroom_id: string; title: string }>(SQL.homerooms, params, types);
    return rows.map((row) => ({ homeroomId: row.homeroom_id, title: row.title }));
  }
}
