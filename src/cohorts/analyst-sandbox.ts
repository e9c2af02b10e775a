/**
 * Where an analyst's own expression runs: a separate in-memory DuckDB instance holding only the
 * cohort's per-student rows (no pseudonym), with a memory limit, one thread and no temporary
 * folder, external access disabled and the configuration locked before any expression is seen
 * (STACK-NOTES.md), so `read_csv('/etc/passwd')`, COPY, ATTACH or a setting change fail with a
 * permission error. The warehouse file is never reachable from it. Only expressions of the
 * derived-outcome language run here, as SQL printed from their parsed tree
 * (derived-expression-sql.ts): one value per student, never a subquery. Every statement runs under
 * a time limit and the client's AbortSignal. What leaves the sandbox is, per group row, the mean of
 * the values clipped into their declared range and how many students have one; disclosure control
 * comes next.
 */
import {
  BOOLEAN,
  DOUBLE,
  DuckDBInstance,
  INTEGER,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { DomainError } from '../common/domain-error.js';
import { interruptible, type QueryLimits } from '../warehouse/interruptible.js';
import { queryOutOfMemory } from '../warehouse/warehouse.errors.js';
import { derivedStudentsColumn, type DerivedOutcome } from './cohort-definition.js';
import { cohortDefinitionInvalid } from './cohorts.errors.js';
import { type CompiledExpression, compileExpression } from './derived-expression-sql.js';
import { ExpressionError } from './derived-expression.js';
import { textOf } from '../common/text-of.js';

const COLUMNS: [string, string][] = [
  ['grp', 'VARCHAR'],
  ['period', 'VARCHAR'],
  ['school_code', 'VARCHAR'],
  ['school_type', 'VARCHAR'],
  ['grade', 'VARCHAR'],
  ['sex', 'VARCHAR'],
  ['special_needs', 'BOOLEAN'],
  ['required_days', 'INTEGER'],
  ['attended_days', 'INTEGER'],
  ['absent_days', 'INTEGER'],
  ['excused_days', 'INTEGER'],
  ['long_term_absent', 'BOOLEAN'],
  ['score', 'DOUBLE'],
  ['app_minutes', 'DOUBLE'],
];

const LOCKDOWN = [
  // In memory with no temporary folder: past the memory limit a query fails instead of spilling to disk.
  "SET temp_directory = ''",
  'SET autoinstall_known_extensions = false',
  'SET autoload_known_extensions = false',
  'SET enable_external_access = false',
  'SET lock_configuration = true',
];

export interface SandboxOptions {
  /** DuckDB's memory_limit for the sandbox ('1GB'). */
  memoryLimit: string;
}

const TYPES: Record<string, DuckDBType> = { INTEGER, DOUBLE, VARCHAR, BOOLEAN };

const WHAT = 'the derived outcomes';

/** DuckDB ran out of the sandbox's memory: a limit of the sandbox, not a fault of the server. */
function outOfMemory(error: unknown): DomainError | undefined {
  const message = (error as Error).message ?? '';
  if (!message.startsWith('Out of Memory Error')) return undefined;
  return queryOutOfMemory(`${WHAT} need more memory than the sandbox allows: ${message.split('\n')[0]}`);
}

/** A statement of `means` failed: past the memory limit, or a 400 naming the field. */
function failure(field: string, error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const message = (error as Error).message;
  const problem = error instanceof ExpressionError ? 'is not allowed' : 'does not run in the sandbox';
  return (
    outOfMemory(error) ?? cohortDefinitionInvalid(`${field} ${problem}: ${message}`, [{ field, messages: [message] }])
  );
}

/** The sandbox's own DuckDB: in memory, one thread, its empty `cohort` table, locked before anything else runs. */
export interface LockedDatabase {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
}

export async function openLockedDatabase(options: SandboxOptions): Promise<LockedDatabase> {
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: options.memoryLimit, threads: '1' });
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE cohort (${COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`);
  for (const statement of LOCKDOWN) await connection.run(statement);
  return { instance, connection };
}

export class AnalystSandbox {
  private readonly instance: DuckDBInstance;
  private readonly connection: DuckDBConnection;

  /** A sandbox over a locked database (openLockedDatabase); it closes the database when closed. */
  constructor(database: LockedDatabase) {
    this.instance = database.instance;
    this.connection = database.connection;
  }

  /** An empty, locked sandbox. */
  static async open(options: SandboxOptions): Promise<AnalystSandbox> {
    return new AnalystSandbox(await openLockedDatabase(options));
  }

  /** Copies the cohort's rows in (through the appender: no file is involved). */
  async load(rows: Record<string, unknown>[]): Promise<void> {
    try {
      await this.append(rows);
    } catch (error) {
      throw outOfMemory(error) ?? error;
    }
  }

  private async append(rows: Record<string, unknown>[]): Promise<void> {
    const appender = await this.connection.createAppender('cohort');
    for (const row of rows) {
      for (const [name, type] of COLUMNS) {
        const value = row[name];
        if (value === null || value === undefined) appender.appendNull();
        else if (type === 'VARCHAR') appender.appendVarchar(textOf(value));
        else if (type === 'BOOLEAN') appender.appendBoolean(Boolean(value));
        else if (type === 'INTEGER') appender.appendInteger(Number(value));
        else appender.appendDouble(Number(value));
      }
      appender.endRow();
    }
    appender.closeSync();
  }

  /**
   * Per group, period and breakdown (the same grouping sets as the descriptive table): each
   * outcome's mean, of its values clipped into its range (a value that is not a finite number, such
   * as x / 0, counts as missing), under the name of the outcome, and how many students have a value,
   * under `<name>_students`. An expression outside the language or that does not run is a 400 naming it.
   */
  async means(
    outcomes: DerivedOutcome[],
    breakdowns: (string | null)[],
    limits: QueryLimits = {},
  ): Promise<Record<string, unknown>[]> {
    const compiled = outcomes.map((outcome, i) => {
      try {
        return compileExpression(outcome.expression, `d${i}_`);
      } catch (error) {
        if (error instanceof ExpressionError) throw failure(`derivedOutcomes[${i}].expression`, error);
        throw error;
      }
    });
    return interruptible(this.connection, limits, WHAT, () => this.aggregate(outcomes, compiled, breakdowns));
  }

  /** The statements of `means`: each expression's probe, then the one aggregate. */
  private async aggregate(
    outcomes: DerivedOutcome[],
    compiled: CompiledExpression[],
    breakdowns: (string | null)[],
  ): Promise<Record<string, unknown>[]> {
    for (const [i, expression] of compiled.entries()) {
      // Type errors (a comparison of a number with a grade) show here, before any row is read.
      const probe = `SELECT CAST(${expression.sql} AS DOUBLE) AS v FROM cohort LIMIT 0`;
      await this.all(probe, bindings([expression])).catch((error: unknown) => {
        throw failure(`derivedOutcomes[${i}].expression`, error);
      });
    }
    const values = compiled.map((e, i) => `CAST(${e.sql} AS DOUBLE) AS d${i}`);
    const clipped = (i: number) => `CASE WHEN isfinite(d${i}) THEN least(greatest(d${i}, $d${i}_min), $d${i}_max) END`;
    const columns = outcomes.flatMap((o, i) => [
      `avg(${clipped(i)}) AS "${o.name}"`,
      `count(${clipped(i)}) AS "${derivedStudentsColumn(o.name)}"`,
    ]);
    const sql = `
      WITH r AS (SELECT *, ${breakdown('$b1')} AS b1, ${breakdown('$b2')} AS b2, ${values.join(', ')} FROM cohort),
      g AS (
        SELECT grp, period, b1, b2, GROUPING(b1) AS g1, GROUPING(b2) AS g2, ${columns.join(', ')}
        FROM r GROUP BY GROUPING SETS ((grp, period, b1, b2), (grp, period, b1), (grp, period, b2), (grp, period))
      )
      SELECT grp, period, CASE WHEN g1 = 1 THEN 'all' ELSE b1 END AS b1, CASE WHEN g2 = 1 THEN 'all' ELSE b2 END AS b2, * EXCLUDE (grp, period, b1, b2, g1, g2)
      FROM g WHERE (g1 = 0 OR $b1 IS NOT NULL) AND (g2 = 0 OR $b2 IS NOT NULL)`;
    const params = bindings(compiled);
    params.values.b1 = breakdowns[0] ?? null;
    params.values.b2 = breakdowns[1] ?? null;
    outcomes.forEach((o, i) => {
      params.values[`d${i}_min`] = o.range.min;
      params.values[`d${i}_max`] = o.range.max;
      params.types[`d${i}_min`] = DOUBLE;
      params.types[`d${i}_max`] = DOUBLE;
    });
    const rows = await this.all(sql, { ...params, types: { ...params.types, b1: VARCHAR, b2: VARCHAR } }).catch(
      (error: unknown) => {
        throw failure('derivedOutcomes', error);
      },
    );
    return rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    );
  }

  private async all(
    sql: string,
    params: { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType> },
  ): Promise<Record<string, unknown>[]> {
    const prepared = await this.connection.prepare(sql);
    prepared.bind(params.values, params.types);
    const reader = await prepared.runAndReadAll();
    return reader.getRowObjectsJS();
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** The breakdown column a bound parameter picks ('all' when it picks none). */
function breakdown(param: string): string {
  return `CASE ${param} WHEN 'grade' THEN grade WHEN 'sex' THEN sex WHEN 'school_type' THEN school_type
    WHEN 'special_needs' THEN CASE WHEN special_needs THEN 'special_needs' ELSE 'ordinary' END
    WHEN 'school' THEN school_code ELSE 'all' END`;
}

/** The bound literals of compiled expressions, as DuckDB values and types by parameter name. */
function bindings(expressions: CompiledExpression[]): {
  values: Record<string, DuckDBValue>;
  types: Record<string, DuckDBType>;
} {
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const literal of expressions.flatMap((e) => e.params)) {
    values[literal.name] = literal.value;
    types[literal.name] = TYPES[literal.type];
  }
  return { values, types };
}
