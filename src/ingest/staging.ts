import type { DuckDBValue } from '@duckdb/node-api';
import type { WarehouseSession } from '../warehouse/warehouse.js';
import type { Problem, ProblemParams, Severity, SourceFile } from './ingest.types.js';
import type { Pseudonymizer } from './pseudonymizer.js';
import { ingestSql, ingestStatements, render, type Part, type Sql } from './sql/ingest-sql.js';
import { cleanColumns, readCsv, readCsvRows, shiftLines, type CsvShape, type RawCsv } from './staging/csv-reader.js';
import { checkSchoolCodes, numberSchools, numberStudents, writeNewRefs } from './staging/numbering.js';
import { buildResolver, pseudonymize } from './staging/pseudonymise.js';
import { applyRules, type Rule } from './staging/rule-engine.js';
import { StagingArea } from './staging/staging-area.js';

export type { CsvShape, RawCsv } from './staging/csv-reader.js';
export { WITHHELD } from './staging/rule-engine.js';

const Q = {
  open: ingestStatements('staging/open'),
  macros: ingestStatements('staging/macros'),
  close: ingestSql('staging/close'),
  rejectedCount: ingestSql('staging/rejected-count'),
  loadableCount: ingestSql('staging/loadable-count'),
  problemsListed: ingestSql('staging/problems-listed'),
  problemsByRule: ingestSql('staging/problems-by-rule'),
};

/** A batch's problems for its report: the first ones in file and row order, and every one counted by rule. */
export interface ProblemSummary {
  list: Problem[];
  errors: number;
  warnings: number;
  byRule: ProblemCount[];
}

/** How many problems a rule (or a TS problem code) raised in a file and column. */
export interface ProblemCount {
  severity: Severity;
  file: string;
  column: string | null;
  rule: string;
  code: string;
  params?: ProblemParams;
  count: number;
}

/** A problem's params as the problems table holds them (JSON text, or null for none). */
const paramsOf = (json: string | null): { params?: ProblemParams } =>
  json === null ? {} : { params: JSON.parse(json) as ProblemParams };

/**
 * The staging area of one ingest: an in-memory database attached to the warehouse instance (as
 * `ingest_staging`, queries/ingest/staging/open.sql). Raw IDs are read here only, turned into pseudonyms
 * here, and never reach the warehouse file; it is detached (and gone) when the ingest ends, loaded or not.
 *
 * What it does is split by concern: CSV reading (staging/csv-reader.ts), the rule engine
 * (staging/rule-engine.ts), pseudonymisation (staging/pseudonymise.ts) and numbering
 * (staging/numbering.ts); this class hands a feed each of them for its batch.
 */
export class Staging extends StagingArea {
  private constructor(
    session: WarehouseSession,
    readonly pseudonymizer: Pseudonymizer,
  ) {
    super(session);
  }

  /** Opens the staging area of a batch (one at a time per warehouse: ingests are exclusive). */
  static async open(session: WarehouseSession, _batchId: string, pseudonymizer: Pseudonymizer): Promise<Staging> {
    for (const statement of [...Q.open, ...Q.macros]) await session.run(statement);
    const staging = new Staging(session, pseudonymizer);
    await buildResolver(staging);
    return staging;
  }

  async close(): Promise<void> {
    await this.dropTempTables();
    await this.run(Q.close);
  }

  readCsv(file: SourceFile, shape: CsvShape, table?: string) {
    return readCsv(this, file, shape, table);
  }

  readCsvRows(
    file: SourceFile,
    shape: CsvShape,
    table?: string,
    options?: { asRead?: boolean },
  ): Promise<RawCsv | null> {
    return readCsvRows(this, file, shape, table, options);
  }

  cleanColumns(table: string, columns: readonly string[], lowercase: ReadonlySet<string>): Promise<Map<string, Sql>> {
    return cleanColumns(this, table, columns, lowercase);
  }

  shiftLines(table: string, refusedLines: number[]): Promise<void> {
    return shiftLines(this, table, refusedLines);
  }

  /** Applies rules to a staged table (rule-engine.ts); `values`: what their SQL binds. */
  validate(table: string, fileName: string, rules: readonly Rule[], values?: Readonly<Record<string, DuckDBValue>>) {
    return applyRules(this, table, fileName, rules, values);
  }

  pseudonymize(table: string | { sql: Sql }, column: string, fileName?: string): Promise<void> {
    return pseudonymize(this, this.pseudonymizer, table, column, fileName);
  }

  buildResolver(): Promise<void> {
    return buildResolver(this);
  }

  numberStudents(table: string, pids: Part): Promise<void> {
    return numberStudents(this, table, pids);
  }

  numberSchools(): Promise<void> {
    return numberSchools(this);
  }

  writeNewRefs(session: WarehouseSession, batchId: string): Promise<number> {
    return writeNewRefs(session, batchId);
  }

  checkSchoolCodes(table: string, column: string): Promise<void> {
    return checkSchoolCodes(this, table, column);
  }

  async rejectedCount(table: string): Promise<number> {
    const [{ n }] = await this.all<{ n: bigint }>(Q.rejectedCount, { table });
    return Number(n);
  }

  /** Rows of a staged table that load (not rejected), counted on `session` (the load's). */
  async loadableCount(session: WarehouseSession, table: string): Promise<number> {
    const [{ n }] = await session.all<{ n: bigint }>(render(Q.loadableCount, { table }));
    return Number(n);
  }

  async problems(limit: number): Promise<ProblemSummary> {
    const list = await this.all<{
      severity: Severity;
      file: string;
      row: bigint | null;
      column: string | null;
      value: string | null;
      rule: string;
      code: string;
      params: string | null;
    }>(Q.problemsListed, {}, [BigInt(Math.floor(limit))]);
    const byRule = await this.all<{
      severity: Severity;
      file: string;
      column: string | null;
      rule: string;
      code: string;
      params: string | null;
      n: bigint;
    }>(Q.problemsByRule);
    const count = (severity: Severity) =>
      byRule.filter((r) => r.severity === severity).reduce((sum, r) => sum + Number(r.n), 0);
    return {
      list: list.map(({ params, ...p }) => ({ ...p, row: p.row === null ? null : Number(p.row), ...paramsOf(params) })),
      errors: count('error'),
      warnings: count('warning'),
      byRule: byRule.map((r) => ({
        severity: r.severity,
        file: r.file,
        column: r.column,
        rule: r.rule,
        code: r.code,
        ...paramsOf(r.params),
        count: Number(r.n),
      })),
    };
  }
}
