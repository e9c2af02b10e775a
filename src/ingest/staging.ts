import { BLOB, blobValue, listValue } from '@duckdb/node-api';
import type { WarehouseSession } from '../warehouse/warehouse.js';
import { appendComputedInNode } from './computed-in-node.js';
import { readCsvHeader } from './csv-header.js';
import type { Problem, Severity, SourceFile } from './ingest.types.js';
import { isValidSchoolCode } from '../schools/school-code.js';
import { hmacSql, plainIdSql, type Pseudonymizer } from './pseudonymizer.js';

export const WITHHELD = '(withheld)';
export const NOT_A_PSEUDONYM =
  'not a pseudonym (64 hex digits): pseudonymise the file with `shirube pseudonymize` first, or ingest without --pre-pseudonymized';

/** A validation rule over a staged table: rows where `when` holds get a problem; an error also rejects the row. */
export interface Rule {
  severity: Severity;
  column: string | null;
  rule: string;
  /** SQL boolean over the staged table's columns. */
  when: string;
  /** SQL expression for the value shown; 'withheld' for person IDs (never shown); default: the column. */
  value?: string | 'withheld';
}

/** Rows that repeat an earlier row's natural key: an error on the later rows (the first one stands). */
export function duplicateRule(
  table: string,
  keys: string[],
  column: string,
  what: string,
  severity: Severity = 'error',
): Rule {
  const notNull = keys.map((k) => `${k} IS NOT NULL`).join(' AND ');
  return {
    severity,
    column,
    rule: `repeats an earlier row for the same ${what}`,
    value: 'NULL',
    // The aggregate finds the repeated keys (a parallel hash aggregate); the window runs over their rows only.
    when: `line IN (SELECT line FROM (SELECT line, min(line) OVER (PARTITION BY ${keys.join(', ')}) AS first_line FROM ${table}
                    WHERE (${keys.join(', ')}) IN (SELECT (${keys.join(', ')}) FROM ${table} WHERE ${notNull} GROUP BY ALL HAVING count(*) > 1))
                    WHERE line <> first_line)`,
  };
}

export interface CsvShape {
  required: readonly string[];
  optional?: readonly string[];
  /** Columns the format defines but the feed does not need (names, passwords ...): never read, no warning. */
  ignored?: readonly string[];
  /** Columns with this prefix are extensions: kept if named, ignored otherwise, never an error. */
  extensionPrefix?: string;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * `nullif(trim(x), '')`, with trim only where it can change the value. trim() allocates a new string for
 * every value (most of a CSV read's time at scale); it removes the Unicode space separators (U+0020 and
 * non-ASCII ones) at either end, so a value that starts and ends with a printable ASCII character is
 * left as it is.
 */
export const trimmedOrNull = (x: string) =>
  `nullif(CASE WHEN ${x} < '!' OR ${x} >= chr(128) OR ${x} LIKE '% ' OR NOT ${x}[-1] < chr(128) THEN trim(${x}) ELSE ${x} END, '')`;

/**
 * `read_csv(path, ...` (without the closing parenthesis, for further options) of a file with the given
 * header: every column VARCHAR unless `types` names its type, RFC 4180 quoting. `sniff`: let the reader
 * sample the file (every option being given, what that adds is its estimate of the rows, which the
 * planner needs to put a small table on the build side of a join with the file).
 */
export const readCsvSql = (
  path: string,
  header: readonly string[],
  options: { types?: Readonly<Record<string, string>>; sniff?: boolean } = {},
) =>
  `read_csv(${quoteLiteral(path)}, header = true, columns = {${header.map((c) => `${quoteLiteral(c)}: ${quoteLiteral(options.types?.[c] ?? 'VARCHAR')}`).join(', ')}},
            quote = '"', escape = '"', auto_detect = ${options.sniff ? 'true' : 'false'}, delim = ','`;

/** A CSV read into staging, rows not yet numbered (Staging.readCsvRows). */
export interface RawCsv {
  table: string;
  /** Rows in the file (accepted and refused). */
  rows: number;
  /** The columns the shape knows: those of the header, as read, then the optional ones it lacks (all NULL). */
  columns: string[];
  /** SQL over the read table's columns: the row's line in the file before refused lines are counted. */
  line: string;
  /** Lines the CSV reader refused (already reported as errors). */
  refusedLines: number[];
}

/**
 * The staging area of one ingest: an in-memory database attached to the warehouse instance. Raw IDs
 * are read here only, turned into pseudonyms here, and never reach the warehouse file; it is
 * detached (and gone) when the ingest ends, loaded or not.
 */
export class Staging {
  private tableCount = 0;
  private readonly tempTables: string[] = [];

  private constructor(
    readonly session: WarehouseSession,
    readonly schema: string,
    private readonly pseudonymizer: Pseudonymizer,
  ) {}

  static async open(session: WarehouseSession, batchId: string, pseudonymizer: Pseudonymizer): Promise<Staging> {
    const schema = `stg_${batchId.replace(/[^a-z0-9]/gi, '').slice(0, 12)}`;
    await session.run(`ATTACH ':memory:' AS ${schema}`);
    const staging = new Staging(session, schema, pseudonymizer);
    await session.run(
      `CREATE TABLE ${schema}.problems (severity VARCHAR, file VARCHAR, "row" BIGINT, "column" VARCHAR, value VARCHAR, rule VARCHAR)`,
    );
    await session.run(`CREATE TABLE ${schema}.pid_map (raw VARCHAR PRIMARY KEY, pid VARCHAR NOT NULL)`);
    // What this batch's rosters add, so that later feeds of the same batch can refer to it.
    await session.run(`CREATE TABLE ${schema}.new_schools (school_code VARCHAR PRIMARY KEY)`);
    await session.run(`CREATE TABLE ${schema}.new_students (student_pid VARCHAR PRIMARY KEY)`);
    await session.run(`CREATE TABLE ${schema}.new_identities (id_pid VARCHAR, student_pid VARCHAR)`);
    await session.run(
      `CREATE TABLE ${schema}.new_enrolments (student_pid VARCHAR, school_code VARCHAR, academic_year INTEGER)`,
    );
    await session.run(`CREATE TABLE ${schema}.new_school_days (school_code VARCHAR, day DATE)`);
    await session.run(
      `CREATE TABLE ${schema}.new_student_refs (student_ref INTEGER PRIMARY KEY, student_pid VARCHAR NOT NULL)`,
    );
    await session.run(
      `CREATE TABLE ${schema}.new_school_refs (school_ref INTEGER PRIMARY KEY, school_code VARCHAR NOT NULL)`,
    );
    await session.run(`CREATE TABLE ${schema}.school_code_check (code VARCHAR PRIMARY KEY, valid BOOLEAN NOT NULL)`);
    await staging.buildResolver();
    return staging;
  }

  async close(): Promise<void> {
    for (const table of this.tempTables) await this.session.run(`DROP TABLE IF EXISTS ${table}`);
    await this.session.run(`DETACH ${this.schema}`);
  }

  /**
   * A name for a table of this batch in DuckDB's temp catalog, dropped when the staging closes: a load
   * (in the warehouse transaction) can write there, not in the staging database.
   */
  tempTable(prefix: string): string {
    const table = `temp.${prefix}_${this.schema}_${++this.tableCount}`;
    this.tempTables.push(table);
    return table;
  }

  /** Fully qualified name of a staging table. */
  t(name: string): string {
    return `${this.schema}.${name}`;
  }

  /** The DuckDB appender of a staging table (a name newTable or t gave). */
  appender(table: string) {
    return this.session.appender(table.slice(this.schema.length + 1), this.schema);
  }

  newTable(prefix: string): string {
    return this.t(`${prefix}_${++this.tableCount}`);
  }

  async problem(problem: Problem): Promise<void> {
    await this.session.run(`INSERT INTO ${this.t('problems')} VALUES ($1, $2, $3, $4, $5, $6)`, [
      problem.severity,
      problem.file,
      problem.row,
      problem.column,
      problem.value,
      problem.rule,
    ]);
  }

  /**
   * Reads a CSV into a staging table of VARCHAR columns plus `line` (the line in the file, header = 1)
   * and `rejected`. A missing required column is an error for the whole file (returns null); an
   * unknown column is a warning (ignored); a malformed line is an error naming its line.
   */
  async readCsv(
    file: SourceFile,
    shape: CsvShape,
    table = this.newTable('csv'),
  ): Promise<{ table: string; rows: number; columns: string[] } | null> {
    const read = await this.readCsvRows(file, shape, `${table}_read`);
    if (!read) return null;
    await this.session.run(
      `CREATE TABLE ${table} AS SELECT ${read.line} AS line, *, false AS rejected FROM ${read.table}`,
    );
    await this.session.run(`DROP TABLE ${read.table}`);
    await this.shiftLines(table, read.refusedLines);
    return { table, rows: read.rows, columns: read.columns };
  }

  /**
   * Reads a CSV into a staging table of VARCHAR columns without numbering it, for a caller that makes
   * its own table from the rows in one pass: a row's line is `line` (an expression over the read table's
   * rowid), then `shiftLines(thatTable, refusedLines)`. Problems as readCsv. `asRead`: values as the file
   * has them (not trimmed: see cleanColumns), for a caller that reads tens of millions of rows.
   */
  async readCsvRows(
    file: SourceFile,
    shape: CsvShape,
    table = this.newTable('csv'),
    options: { asRead?: boolean } = {},
  ): Promise<RawCsv | null> {
    const header = await readCsvHeader(file.path);
    const known = new Set([...shape.required, ...(shape.optional ?? [])]);
    const ignored = new Set(shape.ignored ?? []);
    let fatal = false;
    for (const column of shape.required) {
      if (!header.includes(column)) {
        fatal = true;
        await this.problem({
          severity: 'error',
          file: file.name,
          row: 1,
          column,
          value: null,
          rule: `required column ${column} is missing from the header`,
        });
      }
    }
    const seen = new Set<string>();
    for (const column of header) {
      if (seen.has(column)) {
        fatal = true;
        await this.problem({
          severity: 'error',
          file: file.name,
          row: 1,
          column,
          value: null,
          rule: 'column appears twice in the header',
        });
      }
      seen.add(column);
      const isExtension = shape.extensionPrefix !== undefined && column.startsWith(shape.extensionPrefix);
      if (!known.has(column) && !ignored.has(column) && !isExtension) {
        await this.problem({
          severity: 'warning',
          file: file.name,
          row: 1,
          column,
          value: null,
          rule: 'unknown column, ignored',
        });
      }
    }
    if (fatal) return null;
    const kept = header.filter((column) => known.has(column));
    const rejectsTable = `rejects_${this.tableCount}_${Date.now()}`;
    const select = kept
      .map((c) => (options.asRead ? quoteIdent(c) : `${trimmedOrNull(quoteIdent(c))} AS ${quoteIdent(c)}`))
      .join(', ');
    const absent = (shape.optional ?? []).filter((c) => !header.includes(c));
    const missing = absent.map((c) => `NULL::VARCHAR AS ${quoteIdent(c)}`);
    // Read in parallel (no window function: a row_number() over 20 M rows runs on one thread); rows are
    // numbered by rowid, which follows the file's order (DuckDB keeps insertion order).
    await this.session.run(
      `CREATE TABLE ${table} AS
       SELECT ${[select, ...missing].filter(Boolean).join(', ')}
       FROM ${readCsvSql(file.path, header)}, store_rejects = true, rejects_table = ${quoteLiteral(rejectsTable)},
                     rejects_scan = ${quoteLiteral(`${rejectsTable}_scan`)})`,
    );
    // Lines the CSV reader refused (wrong number of fields, bad quoting): errors by line; the row numbers
    // of later rows shift past them.
    const rejects = await this.session.all<{ line: bigint; column_name: string | null; error_type: string }>(
      `SELECT DISTINCT ON (line) line, column_name, error_type FROM temp.${rejectsTable} ORDER BY line`,
    );
    for (const reject of rejects) {
      await this.problem({
        severity: 'error',
        file: file.name,
        row: Number(reject.line),
        column: null,
        value: null,
        rule: `malformed CSV line (${reject.error_type.toLowerCase()})`,
      });
    }
    await this.session.run(`DROP TABLE IF EXISTS temp.${rejectsTable}`);
    await this.session.run(`DROP TABLE IF EXISTS temp.${rejectsTable}_scan`);
    const [{ n }] = await this.session.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`);
    return {
      table,
      rows: Number(n) + rejects.length,
      columns: [...kept, ...absent],
      line: 'rowid + 2',
      refusedLines: rejects.map((r) => Number(r.line)),
    };
  }

  /**
   * For a table read `asRead`: the SQL expression of each column that gives its values as readCsv
   * would (trimmed, blank → NULL), lowercased where asked. Whether a column needs it is found from its
   * distinct values: trimming allocates a new string for every value (most of the time of a read of
   * 20 M rows), and a column none of whose values has a space at either end is used as it is.
   */
  async cleanColumns(
    table: string,
    columns: readonly string[],
    lowercase: ReadonlySet<string>,
  ): Promise<Map<string, string>> {
    const clean = new Map<string, string>();
    if (columns.length === 0) return clean;
    const checks = await this.session.all<{ i: number; trim: boolean | null; lower: boolean | null }>(
      columns
        .map(
          (c, i) =>
            `SELECT ${i} AS i, bool_or(v <> trim(v)) AS trim, bool_or(v <> lower(v)) AS lower FROM (SELECT DISTINCT ${quoteIdent(c)} AS v FROM ${table})`,
        )
        .join(' UNION ALL '),
    );
    for (const { i, trim, lower } of checks) {
      const column = quoteIdent(columns[i]);
      const trimmed = trim ? trimmedOrNull(column) : column;
      clean.set(columns[i], lower && lowercase.has(columns[i]) ? `lower(${trimmed})` : trimmed);
    }
    return clean;
  }

  /** Moves the line numbers of `table` past the lines the CSV reader refused (readCsvRows numbers the accepted rows 2, 3, ...). */
  async shiftLines(table: string, refusedLines: number[]): Promise<void> {
    if (refusedLines.length === 0) return;
    // Accepted row k sits after the i-th refused line (1-based) when k > line_i - 1 - i.
    const thresholds = refusedLines.map((line, i) => line - 2 - i);
    const shift = `shift_${this.tableCount}_${Date.now()}`;
    await this.session.run(`CREATE TEMP TABLE ${shift} AS SELECT unnest($1::BIGINT[]) AS threshold`, [
      listValue(thresholds.map(BigInt)),
    ]);
    await this.session.run(
      `UPDATE ${table} SET line = line + (SELECT count(*) FROM temp.${shift} s WHERE s.threshold < ${table}.line - 1)`,
    );
    await this.session.run(`DROP TABLE temp.${shift}`);
  }

  /**
   * Applies the rules in one scan of the table (each row gets the list of rules it breaks, unnested
   * into problems); rows with an error are then marked rejected.
   */
  async validate(table: string, fileName: string, rules: Rule[]): Promise<void> {
    if (rules.length === 0) return;
    const hits = rules.map((rule) => {
      const value =
        rule.value === 'withheld'
          ? quoteLiteral(WITHHELD)
          : (rule.value ?? (rule.column ? `CAST(${quoteIdent(rule.column)} AS VARCHAR)` : 'NULL'));
      return `CASE WHEN ${rule.when} THEN struct_pack(severity := ${quoteLiteral(rule.severity)}, col := ${rule.column ? quoteLiteral(rule.column) : 'NULL::VARCHAR'},
                value := CAST(${value} AS VARCHAR), rule := ${quoteLiteral(rule.rule)}) END`;
    });
    const before = await this.errorCount(fileName);
    await this.session.run(
      `INSERT INTO ${this.t('problems')}
       SELECT hit.severity, ${quoteLiteral(fileName)}, line, hit.col, hit.value, hit.rule
       FROM (SELECT line, unnest(list_filter([${hits.join(', ')}], x -> x IS NOT NULL)) AS hit
             FROM ${table} WHERE ${rules.map((rule) => `(${rule.when})`).join(' OR ')})`,
    );
    const errors = (await this.errorCount(fileName)) - before;
    if (errors === 0) return;
    await this.session.run(
      `UPDATE ${table} SET rejected = true WHERE line IN (SELECT "row" FROM ${this.t('problems')} WHERE file = $1 AND severity = 'error' AND "row" IS NOT NULL)`,
      [fileName],
    );
  }

  private async errorCount(fileName: string): Promise<number> {
    const [{ n }] = await this.session.all<{ n: bigint }>(
      `SELECT count(*) AS n FROM ${this.t('problems')} WHERE file = $1 AND severity = 'error'`,
      [fileName],
    );
    return Number(n);
  }

  /**
   * Makes sure every distinct raw ID in `column` of `table` (a staging table, or SQL for one in
   * parentheses) has its pseudonym in pid_map: the HMAC computed by DuckDB for plain IDs, in Node for
   * the others. With pre-pseudonymised input, an ID that is not a pseudonym is an error (when `fileName`
   * is given): raw IDs must not slip in under that flag.
   */
  async pseudonymize(table: string, column: string, fileName?: string): Promise<void> {
    const pidMap = this.t('pid_map');
    if (this.pseudonymizer.prePseudonymized && fileName) {
      await this.validate(table, fileName, [
        {
          severity: 'error',
          column,
          rule: NOT_A_PSEUDONYM,
          value: 'withheld',
          when: `${quoteIdent(column)} IS NOT NULL AND NOT regexp_full_match(${quoteIdent(column)}, '[0-9a-f]{64}')`,
        },
      ]);
    }
    const unmapped = `SELECT DISTINCT ${quoteIdent(column)} AS raw FROM ${table} WHERE ${quoteIdent(column)} IS NOT NULL
                      AND ${quoteIdent(column)} NOT IN (SELECT raw FROM ${pidMap})`;
    // The same HMAC-SHA256 in DuckDB, on its threads and without carrying the IDs here and back, for
    // every ID that starts and ends with a printable ASCII character (nearly all): the pseudonym trims
    // the ID, and such an ID is trimmed alike whatever counts as a space. The key's pads are bound
    // values, never written anywhere.
    const pads = this.pseudonymizer.hmacPads();
    if (pads) {
      await this.session.run(
        `INSERT INTO ${pidMap} SELECT raw, ${hmacSql('raw', '$1', '$2')} FROM (${unmapped}) WHERE ${plainIdSql('raw')}`,
        [blobValue(pads.inner), blobValue(pads.outer)],
        [BLOB, BLOB],
      );
    }
    await appendComputedInNode<{ raw: string }>(this, unmapped, pidMap, (appender, { raw }) => {
      appender.appendVarchar(raw);
      appender.appendVarchar(this.pseudonymizer.pseudonym(raw));
      appender.endRow();
    });
  }

  /**
   * Person ID (any of a student's IDs, pseudonymised) → the student's pseudonym, from the warehouse and
   * from this batch's rosters. Rebuilt after the rosters are staged.
   */
  async buildResolver(): Promise<void> {
    await this.session.run(
      `CREATE OR REPLACE TABLE ${this.t('resolver')} AS
       SELECT pid, arg_min(student_pid, priority) AS student_pid FROM (
         SELECT student_pid AS pid, student_pid, 0 AS priority FROM main.students
         UNION ALL SELECT student_pid, student_pid, 0 FROM ${this.t('new_students')}
         UNION ALL SELECT id_pid, student_pid, 1 FROM ${this.t('new_identities')}
         UNION ALL SELECT id_pid, student_pid, 2 FROM main.student_identities
       ) GROUP BY pid`,
    );
  }

  /** SQL for the schools known to the warehouse or added by this batch. */
  knownSchools(): string {
    return `(SELECT school_code FROM main.schools UNION SELECT school_code FROM ${this.t('new_schools')})`;
  }

  /** SQL for (student_ref, student_pid): the students numbered in the warehouse (student_refs) or by this batch. */
  knownStudentRefs(): string {
    return `(SELECT student_ref, student_pid FROM main.student_refs UNION ALL SELECT student_ref, student_pid FROM ${this.t('new_student_refs')})`;
  }

  /**
   * Makes `table` (sid, student_pid) of the students `pids` (SQL with a student_pid column, each once):
   * sid is the student's number in the warehouse (student_refs) or in this batch, or the next free one,
   * then kept in new_student_refs for the rest of the batch; a feed that stores student_ref writes them
   * to the warehouse at load (newStudentRefs).
   */
  async numberStudents(table: string, pids: string): Promise<void> {
    await this.session.run(
      `CREATE TABLE ${table} AS
       WITH known AS ${this.knownStudentRefs()}
       SELECT coalesce(k.student_ref,
                       CAST((SELECT coalesce(max(student_ref), 0) FROM known) + row_number() OVER (PARTITION BY k.student_ref IS NULL ORDER BY p.student_pid) AS INTEGER)) AS sid,
              p.student_pid, k.student_ref IS NULL AS numbered_now
       FROM ${pids} p LEFT JOIN known k ON k.student_pid = p.student_pid`,
    );
    await this.session.run(
      `INSERT INTO ${this.t('new_student_refs')} SELECT sid, student_pid FROM ${table} WHERE numbered_now`,
    );
  }

  /** SQL for the students this batch numbered that the warehouse does not hold yet. */
  newStudentRefs(): string {
    return `(SELECT student_ref, student_pid FROM ${this.t('new_student_refs')} WHERE student_ref NOT IN (SELECT student_ref FROM main.student_refs))`;
  }

  /**
   * Numbers every school known to the warehouse or this batch that has no number yet (school_refs: the
   * school of a daily attendance row is stored as its number), kept in new_school_refs for the rest of
   * the batch; a feed that stores school_ref writes them to the warehouse at load (newSchoolRefs).
   */
  async numberSchools(): Promise<void> {
    await this.session.run(
      `INSERT INTO ${this.t('new_school_refs')}
       WITH known AS ${this.knownSchoolRefs()}
       SELECT CAST((SELECT coalesce(max(school_ref), 0) FROM known) + row_number() OVER (ORDER BY school_code) AS INTEGER), school_code
       FROM (SELECT school_code FROM ${this.knownSchools()} WHERE school_code NOT IN (SELECT school_code FROM known))`,
    );
  }

  /** SQL for (school_ref, school_code): the schools numbered in the warehouse (school_refs) or by this batch. */
  knownSchoolRefs(): string {
    // UNION: once a load has written this batch's numbers, the warehouse holds them too.
    return `(SELECT school_ref, school_code FROM main.school_refs UNION SELECT school_ref, school_code FROM ${this.t('new_school_refs')})`;
  }

  /** SQL for the schools this batch numbered that the warehouse does not hold yet. */
  newSchoolRefs(): string {
    return `(SELECT school_ref, school_code FROM ${this.t('new_school_refs')} WHERE school_ref NOT IN (SELECT school_ref FROM main.school_refs))`;
  }

  /**
   * At load, before the daily rows that use them: the student and school numbers this batch gave that
   * the warehouse does not hold yet, and the batch's own number (batch_refs), which is returned.
   */
  async writeNewRefs(session: WarehouseSession, batchId: string): Promise<number> {
    await session.run(`INSERT INTO main.student_refs SELECT student_ref, student_pid FROM ${this.newStudentRefs()}`);
    await session.run(`INSERT INTO main.school_refs SELECT school_ref, school_code FROM ${this.newSchoolRefs()}`);
    await session.run(
      `INSERT INTO main.batch_refs SELECT CAST((SELECT coalesce(max(batch_ref), 0) FROM main.batch_refs) + 1 AS INTEGER), $1::UUID
       WHERE NOT EXISTS (SELECT 1 FROM main.batch_refs WHERE batch_id = $1::UUID)`,
      [batchId],
    );
    const [{ batch_ref }] = await session.all<{ batch_ref: number }>(
      `SELECT batch_ref FROM main.batch_refs WHERE batch_id = $1::UUID`,
      [batchId],
    );
    return batch_ref;
  }

  /** SQL for (student_pid, school_code, academic_year) enrolments known to the warehouse or this batch. */
  knownEnrolments(): string {
    return `(SELECT student_pid, school_code, academic_year FROM main.enrolments UNION SELECT student_pid, school_code, academic_year FROM ${this.t('new_enrolments')})`;
  }

  /** SQL for (school_code, day) school days known to the warehouse or added by this batch's calendars. */
  knownSchoolDays(): string {
    return `(SELECT school_code, day FROM main.school_days UNION SELECT school_code, day FROM ${this.t('new_school_days')})`;
  }

  /** Checks each distinct school code of a column once (MEXT check digit, in Node) into school_code_check. */
  async checkSchoolCodes(table: string, column: string): Promise<void> {
    const check = this.t('school_code_check');
    const codes = await this.session.all<{ code: string }>(
      `SELECT DISTINCT ${quoteIdent(column)} AS code FROM ${table} WHERE ${quoteIdent(column)} IS NOT NULL AND ${quoteIdent(column)} NOT IN (SELECT code FROM ${check})`,
    );
    if (codes.length === 0) return;
    const appender = await this.appender(check);
    for (const { code } of codes) {
      appender.appendVarchar(code);
      appender.appendBoolean(isValidSchoolCode(code));
      appender.endRow();
    }
    appender.closeSync();
  }

  async rejectedCount(table: string): Promise<number> {
    const [{ n }] = await this.session.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${table} WHERE rejected`);
    return Number(n);
  }

  async problems(limit: number): Promise<{
    list: Problem[];
    errors: number;
    warnings: number;
    byRule: { severity: Severity; file: string; column: string | null; rule: string; count: number }[];
  }> {
    const problems = this.t('problems');
    const list = await this.session.all<{
      severity: Severity;
      file: string;
      row: bigint | null;
      column: string | null;
      value: string | null;
      rule: string;
    }>(
      `SELECT severity, file, "row", "column", value, rule FROM ${problems} ORDER BY severity, file, "row" NULLS FIRST, "column" LIMIT ${Math.floor(limit)}`,
    );
    const byRule = await this.session.all<{
      severity: Severity;
      file: string;
      column: string | null;
      rule: string;
      n: bigint;
    }>(
      `SELECT severity, file, "column", rule, count(*) AS n FROM ${problems} GROUP BY ALL ORDER BY severity, file, "column", rule`,
    );
    const count = (severity: Severity) =>
      byRule.filter((r) => r.severity === severity).reduce((sum, r) => sum + Number(r.n), 0);
    return {
      list: list.map((p) => ({ ...p, row: p.row === null ? null : Number(p.row) })),
      errors: count('error'),
      warnings: count('warning'),
      byRule: byRule.map((r) => ({
        severity: r.severity,
        file: r.file,
        column: r.column,
        rule: r.rule,
        count: Number(r.n),
      })),
    };
  }
}
