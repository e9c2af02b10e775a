import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { Params, ParamTypes, Row, WarehouseSession } from '../../warehouse/warehouse.js';
import type { Problem } from '../ingest.types.js';
import { ingestSql, ingestStatements, render, type Part, type Sql } from '../sql/ingest-sql.js';

/** The staging database's fixed name (queries/ingest/staging/open.sql): every staging table is in it. */
export const STAGING_SCHEMA = 'ingest_staging';

const Q = {
  addProblem: ingestSql('staging/add-problem'),
  dropTable: ingestSql('staging/drop-table'),
  rowCount: ingestSql('staging/row-count'),
};

/** Named values of a statement, bound: only those the statement names (DuckDB refuses the others). */
export function boundParams(
  sql: string,
  values: Readonly<Record<string, DuckDBValue>>,
  types: Readonly<Record<string, DuckDBType>> = {},
): { params?: Record<string, DuckDBValue>; types?: Record<string, DuckDBType> } {
  const used = Object.keys(values).filter((name) => new RegExp(`\\$${name}\\b`).test(sql));
  if (used.length === 0) return {};
  return {
    params: Object.fromEntries(used.map((name) => [name, values[name]])),
    types: Object.fromEntries(used.filter((name) => types[name]).map((name) => [name, types[name]])),
  };
}

/**
 * The core of an ingest's staging area (staging.ts): the session, the names of the batch's tables (all
 * in STAGING_SCHEMA, or DuckDB's temp catalog for what a load writes), and the problems table. What reads
 * CSV, applies rules, pseudonymises and numbers builds on this (csv-reader, rule-engine, pseudonymise,
 * numbering).
 */
export class StagingArea {
  readonly schema = STAGING_SCHEMA;
  private tableCount = 0;
  private readonly tempTables: string[] = [];

  protected constructor(readonly session: WarehouseSession) {}

  /** Runs a statement from queries/ingest, its `{{parts}}` filled (see render), values bound. */
  async run(template: Sql, parts: Readonly<Record<string, Part>> = {}, params?: Params, types?: ParamTypes) {
    await this.session.run(render(template, parts), params, types);
  }

  /** Reads with a statement from queries/ingest (see run). */
  all<T extends Row>(template: Sql, parts: Readonly<Record<string, Part>> = {}, params?: Params, types?: ParamTypes) {
    return this.session.all<T>(render(template, parts), params, types);
  }

  /** Runs a statement from queries/ingest on another session (a load's, in the warehouse transaction). */
  async runOn(
    session: WarehouseSession,
    template: Sql,
    parts: Readonly<Record<string, Part>> = {},
    params?: Params,
    types?: ParamTypes,
  ) {
    await session.run(render(template, parts), params, types);
  }

  /** Reads with a statement from queries/ingest on another session (see runOn). */
  allOn<T extends Row>(
    session: WarehouseSession,
    template: Sql,
    parts: Readonly<Record<string, Part>> = {},
    params?: Params,
    types?: ParamTypes,
  ) {
    return session.all<T>(render(template, parts), params, types);
  }

  /** Runs the statements of a file (ingestStatements) in order, each with the values it names bound. */
  async script(name: string, parts: Readonly<Record<string, Part>> = {}, values: Record<string, DuckDBValue> = {}) {
    for (const statement of ingestStatements(name)) {
      const sql = render(statement, parts);
      const { params, types } = boundParams(sql, values);
      await this.session.run(sql, params, types);
    }
  }

  /** Runs the statements of a file on another session (a load's; see script). */
  async scriptOn(
    session: WarehouseSession,
    name: string,
    parts: Readonly<Record<string, Part>> = {},
    values: Record<string, DuckDBValue> = {},
  ) {
    for (const statement of ingestStatements(name)) {
      const sql = render(statement, parts);
      const { params, types } = boundParams(sql, values);
      await session.run(sql, params, types);
    }
  }

  /** A staging table's name: `ingest_staging.<prefix>_<n>`. */
  newTable(prefix: string): string {
    return `${STAGING_SCHEMA}.${prefix}_${++this.tableCount}`;
  }

  /**
   * A name for a table of this batch in DuckDB's temp catalog, dropped when the staging closes: a load
   * (in the warehouse transaction) can write there, not in the staging database.
   */
  tempTable(prefix: string): string {
    const table = `temp.ingest_${prefix}_${++this.tableCount}`;
    this.tempTables.push(table);
    return table;
  }

  /** Fully qualified name of a staging table. */
  t(name: string): string {
    return `${STAGING_SCHEMA}.${name}`;
  }

  /** The DuckDB appender of a staging table (a name newTable or t gave). */
  appender(table: string) {
    return this.session.appender(table.slice(STAGING_SCHEMA.length + 1), STAGING_SCHEMA);
  }

  async dropTable(table: string): Promise<void> {
    await this.run(Q.dropTable, { table });
  }

  async rowCount(table: string): Promise<number> {
    const [{ n }] = await this.all<{ n: bigint }>(Q.rowCount, { table });
    return Number(n);
  }

  protected async dropTempTables(): Promise<void> {
    for (const table of this.tempTables) await this.dropTable(table);
  }

  async problem(problem: Problem): Promise<void> {
    await this.session.run(Q.addProblem, [
      problem.severity,
      problem.file,
      problem.row,
      problem.column,
      problem.value,
      problem.rule,
      problem.code,
      problem.params === undefined ? null : JSON.stringify(problem.params),
    ]);
  }
}
