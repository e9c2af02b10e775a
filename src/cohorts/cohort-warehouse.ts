/**
 * The warehouse side of a cohort run: builds the population in a temporary table on one reader
 * connection, with every value of the definition bound as a parameter (the SQL files in
 * queries/cohorts never change with the definition), counts its attrition, and lends the session to
 * the method (src/cohorts/methods), whose own SQL files read the population and return aggregates.
 */
import { BOOLEAN, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { Inject, Injectable } from '@nestjs/common';
import { sqlFile } from '../warehouse/sql-files.js';
import { type Params, type ParamTypes, Warehouse, type WarehouseSession } from '../warehouse/warehouse.js';
import type { CohortDefinition } from './cohort-definition.js';

const SQL = {
  population: sqlFile('cohorts/population'),
  yearRows: sqlFile('cohorts/year-rows'),
  monthRows: sqlFile('cohorts/months'),
  attrition: sqlFile('cohorts/attrition'),
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

export interface AttritionCounts {
  [step: string]: number;
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

  /** Runs one of a method's SQL files against the population (cohort_population, cohort_rows); numbers as numbers. */
  async all<T>(sql: string, params?: Params, types?: ParamTypes): Promise<T[]> {
    return (await this.session.all(sql, params, types)).map((r) => plain<T>(r));
  }

  async attrition(): Promise<AttritionCounts> {
    const [row] = await this.session.all(SQL.attrition);
    return plain<AttritionCounts>(row);
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
