/**
 * Where an analyst's own expression runs: a separate in-memory DuckDB instance holding only the
 * cohort's per-student rows (no pseudonym), with external access disabled and the configuration
 * locked before the expression is seen (STACK-NOTES.md), so `read_csv('/etc/passwd')`, COPY, ATTACH
 * or a setting change fail with a permission error. The warehouse file is never reachable from it.
 * What leaves the sandbox is one mean per group row, which then goes through disclosure control.
 */
import { DuckDBInstance, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { DomainError } from '../common/domain-error.js';

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
  'SET autoinstall_known_extensions = false',
  'SET autoload_known_extensions = false',
  'SET enable_external_access = false',
  'SET lock_configuration = true',
];

export interface DerivedOutcome {
  name: string;
  expression: string;
}

export class AnalystSandbox {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** An empty, locked sandbox. */
  static async open(): Promise<AnalystSandbox> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE cohort (${COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`);
    for (const statement of LOCKDOWN) await connection.run(statement);
    return new AnalystSandbox(instance, connection);
  }

  /** Copies the cohort's rows in (through the appender: no file is involved). */
  async load(rows: Record<string, unknown>[]): Promise<void> {
    const appender = await this.connection.createAppender('cohort');
    for (const row of rows) {
      for (const [name, type] of COLUMNS) {
        const value = row[name];
        if (value === null || value === undefined) appender.appendNull();
        else if (type === 'VARCHAR') appender.appendVarchar(String(value));
        else if (type === 'BOOLEAN') appender.appendBoolean(Boolean(value));
        else if (type === 'INTEGER') appender.appendInteger(Number(value));
        else appender.appendDouble(Number(value));
      }
      appender.endRow();
    }
    appender.closeSync();
  }

  /**
   * The mean of each expression per group, period and breakdown (the same grouping sets as the
   * descriptive table). An expression that does not run is a 400 naming it.
   */
  async means(outcomes: DerivedOutcome[], breakdowns: (string | null)[]): Promise<Record<string, unknown>[]> {
    const columns: string[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      // The expression is SQL by design; it runs here only, one statement, with nothing to reach.
      const probe = `SELECT CAST((${outcome.expression}) AS DOUBLE) AS v FROM cohort LIMIT 0`;
      try {
        const prepared = await this.connection.prepare(probe);
        await prepared.run();
      } catch (error) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `derivedOutcomes[${i}].expression does not run in the sandbox: ${(error as Error).message}`,
          {
            fields: [{ field: `derivedOutcomes[${i}].expression`, messages: [(error as Error).message] }],
          },
        );
      }
      columns.push(`avg(CAST((${outcome.expression}) AS DOUBLE)) AS "${outcome.name}"`);
    }
    const breakdown = (param: string) =>
      `CASE ${param} WHEN 'grade' THEN grade WHEN 'sex' THEN sex WHEN 'school_type' THEN school_type
        WHEN 'special_needs' THEN CASE WHEN special_needs THEN 'special_needs' ELSE 'ordinary' END
        WHEN 'school' THEN school_code ELSE 'all' END`;
    const sql = `
      WITH r AS (SELECT *, ${breakdown('$b1')} AS b1, ${breakdown('$b2')} AS b2 FROM cohort),
      g AS (
        SELECT grp, period, b1, b2, GROUPING(b1) AS g1, GROUPING(b2) AS g2, ${columns.join(', ')}
        FROM r GROUP BY GROUPING SETS ((grp, period, b1, b2), (grp, period, b1), (grp, period, b2), (grp, period))
      )
      SELECT grp, period, CASE WHEN g1 = 1 THEN 'all' ELSE b1 END AS b1, CASE WHEN g2 = 1 THEN 'all' ELSE b2 END AS b2, * EXCLUDE (grp, period, b1, b2, g1, g2)
      FROM g WHERE (g1 = 0 OR $b1 IS NOT NULL) AND (g2 = 0 OR $b2 IS NOT NULL)`;
    try {
      const prepared = await this.connection.prepare(sql);
      prepared.bind({ b1: breakdowns[0] ?? null, b2: breakdowns[1] ?? null }, { b1: VARCHAR, b2: VARCHAR });
      const reader = await prepared.runAndReadAll();
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    } catch (error) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `derivedOutcomes do not run in the sandbox: ${(error as Error).message}`,
        {
          fields: [{ field: 'derivedOutcomes', messages: [(error as Error).message] }],
        },
      );
    }
  }

  /** Runs one statement as the analyst would: for tests of the lock. */
  async probe(sql: string): Promise<void> {
    const prepared = await this.connection.prepare(sql);
    await prepared.run();
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
