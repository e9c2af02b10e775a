/**
 * The warehouse side of a cohort run: builds the population in a temporary table on one reader
 * connection, with every value of the definition bound as a parameter (the SQL files in
 * queries/cohorts never change with the definition), and returns aggregates only. Nothing here
 * returns a student row.
 */
import { BOOLEAN, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { Inject, Injectable } from '@nestjs/common';
import { sqlFile } from '../warehouse/sql-files.js';
import { Warehouse, type WarehouseSession } from '../warehouse/warehouse.js';
import type { Breakdown, CohortDefinition } from './cohort-definition.js';

const SQL = {
  population: sqlFile('cohorts/population'),
  yearRows: sqlFile('cohorts/year-rows'),
  monthRows: sqlFile('cohorts/months'),
  aggregate: sqlFile('cohorts/aggregate'),
  schoolPeriods: sqlFile('cohorts/school-periods'),
  attrition: sqlFile('cohorts/attrition'),
  programmeSchools: sqlFile('cohorts/programme-schools'),
  valueAdded: sqlFile('cohorts/value-added'),
  schoolProgrammes: sqlFile('cohorts/school-programmes'),
};

const POPULATION_TYPES = {
  years: LIST(INTEGER),
  grades: LIST(VARCHAR),
  school_types: LIST(VARCHAR),
  school_codes: LIST(VARCHAR),
  programme: VARCHAR,
  participating: BOOLEAN,
  sexes: LIST(VARCHAR),
  special_needs: BOOLEAN,
  lta_prior: BOOLEAN,
  group_by: VARCHAR,
  group_programme: VARCHAR,
  subjects: LIST(VARCHAR),
  need_scores: BOOLEAN,
  need_app: BOOLEAN,
};

/** Which outcome sources a definition reads: the others are not joined into its population. */
export interface PopulationNeeds {
  attendance: boolean;
  scores: boolean;
  app: boolean;
  /** Build the population of these years only (value-added reads one year). */
  years?: number[];
}

/** One aggregate row of aggregate.sql. */
export interface AggregateRow {
  grp: string;
  period: string;
  b1: string;
  b2: string;
  students: number;
  schools: number;
  attendance_students: number;
  attendance_rate: number | null;
  attended_days: number | null;
  required_days: number | null;
  absence_days: number | null;
  long_term_absent: number;
  assessed: number;
  assessment_score: number | null;
  app_minutes: number | null;
}

export interface AttritionCounts {
  [step: string]: number;
}

export interface ProgrammeSchool {
  school_code: string;
  first_year: number;
  years: number[];
}

export interface SchoolResidualRow {
  school_code: string;
  students: number;
  mean_residual: number;
  within_ss: number;
}

/** Numbers from DuckDB arrive as bigint (counts) or number; make them all numbers. */
function plain<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = typeof value === 'bigint' ? Number(value) : value;
  return out as T;
}

/** A cohort's population on one connection: create it, ask it aggregates, drop it. */
export class CohortSession {
  constructor(private readonly session: WarehouseSession) {}

  async aggregate(breakdowns: (Breakdown | null)[]): Promise<AggregateRow[]> {
    const rows = await this.session.all(
      SQL.aggregate,
      { b1: breakdowns[0] ?? null, b2: breakdowns[1] ?? null },
      { b1: VARCHAR, b2: VARCHAR },
    );
    return rows.map((r) => plain<AggregateRow>(r));
  }

  /** The aggregate per school and period (no totals): the panel of DiD and funnel plots. */
  async schoolPeriods(): Promise<AggregateRow[]> {
    return (await this.session.all(SQL.schoolPeriods)).map((r) => plain<AggregateRow>(r));
  }

  async attrition(): Promise<AttritionCounts> {
    const [row] = await this.session.all(SQL.attrition);
    return plain<AttritionCounts>(row);
  }

  async programmeSchools(programme: string, years: number[]): Promise<ProgrammeSchool[]> {
    const rows = await this.session.all(
      SQL.programmeSchools,
      { programme, years: listValue(years) },
      { programme: VARCHAR, years: LIST(INTEGER) },
    );
    return rows.map((r) => plain<ProgrammeSchool>(r));
  }

  async schoolResiduals(year: number, subjects: string[]): Promise<SchoolResidualRow[]> {
    const rows = await this.session.all(
      SQL.valueAdded,
      { year, subjects: listValue(subjects) },
      { year: INTEGER, subjects: LIST(VARCHAR) },
    );
    return rows.map((r) => plain<SchoolResidualRow>(r));
  }

  /** The per-student rows of the population for the sandbox (no student or school identifier beyond the school code). */
  async sandboxRows(): Promise<Record<string, unknown>[]> {
    return this.session.all(
      `SELECT grp, period, school_code, school_type, grade, sex, special_needs, required_days, attended_days, absent_days, excused_days,
              long_term_absent, score, app_minutes FROM cohort_rows`,
    );
  }
}

@Injectable()
export class CohortWarehouse {
  constructor(@Inject(Warehouse) private readonly warehouse: Warehouse) {}

  /** The programmes each school takes part in during a school year (public facts, no student data). */
  async schoolProgrammes(year: number, schools: string[]): Promise<Map<string, string[]>> {
    const rows = await this.warehouse.all<{ school_code: string; programmes: string[] }>(
      SQL.schoolProgrammes,
      { year, schools: listValue(schools) },
      { year: INTEGER, schools: LIST(VARCHAR) },
    );
    return new Map(rows.map((r) => [r.school_code, r.programmes]));
  }

  /** Builds the population of `definition` (grouped by `groupBy`) and runs `work` against it; `signal` stops it. */
  withPopulation<T>(
    definition: CohortDefinition,
    groupBy: { by: string; programme?: string },
    needs: PopulationNeeds,
    work: (cohort: CohortSession) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const p = definition.population;
    const params = {
      years: listValue(needs.years ?? p.academicYears),
      grades: listValue(p.grades ?? []),
      school_types: listValue(p.schools?.types ?? []),
      school_codes: listValue(p.schools?.codes ?? []),
      programme: p.schools?.programme?.id ?? null,
      participating: p.schools?.programme?.participating ?? null,
      sexes: listValue(p.students?.sex ?? []),
      special_needs: p.students?.specialNeeds ?? null,
      lta_prior: p.students?.longTermAbsentPriorYear ?? null,
      group_by: groupBy.by,
      group_programme: groupBy.programme ?? null,
      subjects: listValue(definition.subjects ?? []),
      need_scores: needs.scores,
      need_app: needs.app,
    };
    return this.warehouse.read(
      async (session) => {
        try {
          await session.run(
            `CREATE OR REPLACE TEMP TABLE cohort_population AS ${SQL.population}`,
            params,
            POPULATION_TYPES,
          );
          // By year the rows are a view of the population; by month they are built once from the daily rows.
          if (definition.timeGrain === 'month')
            await session.run(`CREATE OR REPLACE TEMP TABLE cohort_rows AS ${SQL.monthRows}`);
          else await session.run(`CREATE OR REPLACE TEMP VIEW cohort_rows AS ${SQL.yearRows}`);
          return await work(new CohortSession(session));
        } finally {
          await session.run(
            definition.timeGrain === 'month' ? 'DROP TABLE IF EXISTS cohort_rows' : 'DROP VIEW IF EXISTS cohort_rows',
          );
          await session.run('DROP TABLE IF EXISTS cohort_population');
        }
      },
      { signal },
    );
  }
}
