import { BLOB, blobValue, VARCHAR, type DuckDBValue } from '@duckdb/node-api';
import type { WarehouseSession } from '../../warehouse/warehouse.js';
import { readCsvHeader } from '../csv-header.js';
import { LoadDeclined, type Reader, type StageContext, type StagedFeed } from '../feed.js';
import type { FeedInput, SourceFile } from '../ingest.types.js';
import type { Pseudonymizer } from '../pseudonymizer.js';
import { ingestSql, joinSql, render, type Sql } from '../sql/ingest-sql.js';
import { csvColumns } from '../staging/csv-reader.js';
import { guardFires, type Rule } from '../staging/rule-engine.js';
import { ATTENDANCE_RULES } from './attendance-rules.js';
import { ruleParts, ruleValues, studentFactsRules } from './student-facts.js';

const COLUMNS = ['school_code', 'student_id', 'date', 'status', 'reason', 'place'];
const REQUIRED = ['school_code', 'student_id', 'date', 'status'];
/**
 * The reader's types: a value it cannot convert (a capital, a space, an unknown status) stops the direct
 * load. The date is converted as the row-by-row way does (TRY_CAST): a date it cannot read breaks the
 * table's NOT NULL constraint, which stops it too.
 */
const TYPES = { status: 'attendance_status', reason: 'absence_reason', place: 'attendance_place' };

const Q = {
  firstRead: ingestSql('attendance/first-read'),
  counts: ingestSql('attendance/direct-counts'),
  ids: ingestSql('attendance/direct-ids'),
  idsSummary: ingestSql('attendance/direct-ids-summary'),
  unmapped: ingestSql('attendance/direct-unmapped'),
  resolved: ingestSql('attendance/direct-resolved'),
  unresolved: ingestSql('attendance/direct-unresolved'),
  pids: ingestSql('attendance/direct-pids'),
  map: ingestSql('attendance/direct-map'),
  schools: ingestSql('attendance/direct-schools'),
  insert: ingestSql('attendance/direct-insert'),
  combos: ingestSql('attendance/written-combos'),
  summary: ingestSql('attendance/written-summary'),
  years: ingestSql('attendance/written-years'),
  earlierHeld: ingestSql('attendance/earlier-held'),
  earlierMovedYears: ingestSql('attendance/earlier-moved-years'),
  earlierReplaced: ingestSql('attendance/earlier-replaced'),
  schoolsNamed: ingestSql('student-facts/schools'),
  condition: ingestSql('rules/condition'),
  null: ingestSql('rules/null'),
};

/**
 * Daily attendance loaded straight from the file into the warehouse, for the file that needs no
 * correction — the common case, and the one that is tens of millions of rows.
 *
 * The row-by-row way (attendance.feed.ts) copies every row into staging, checks it there and copies it
 * again into the warehouse. This way reads the file twice and keeps no row in memory: first its student
 * IDs only (distinct, pseudonymised and resolved to the student's number, as the row-by-row way does),
 * then every row, typed by the CSV reader and joined to that small map, straight into
 * attendance_records. Inside the batch's transaction, the rows just written are then checked against
 * the same rules as the row-by-row way (queries/ingest/attendance/rules.sql and the per-student ones):
 * each rule about what rows say is run on what was written — its guard on the combinations of student,
 * school, school year and span, or, for a rule without a guard, its condition counted over the rows. A
 * rule about how the file writes a value cannot fire: the typed reader refuses such a file. Any rule
 * that could fire, or any row that needs cleaning (a blank or unknown ID, a value with a capital or a
 * space, a malformed line, a date before 1970), declines the direct load: the transaction is rolled back
 * and the input is staged row by row, so that every problem is reported with its row exactly as before.
 *
 * Null when the file is not a candidate (other columns, an ID that is blank or matches no student):
 * the row-by-row way takes it at once.
 */
export async function stageAttendanceDirectly(context: StageContext, input: FeedInput): Promise<StagedFeed | null> {
  const { staging } = context;
  const file = input.files[0];
  const header = await directHeader(file.path);
  if (!header) return null;
  // The first read: each distinct student ID as read, with its rows (read while the file was hashed, or now).
  const counted = (await (context.firstRead(file.path) ??
    readStudentIds(staging.session, file.path, context.pseudonymizer))) as StudentIdCount[] | null;
  if (!counted) return null; // a line the reader refuses: the row-by-row way reports it by line
  const counts = staging.newTable('direct_counts');
  await staging.run(Q.counts, { counts });
  const appender = await staging.appender(counts);
  for (const { raw, rows, pid } of counted) {
    if (raw === null) appender.appendNull();
    else appender.appendVarchar(raw);
    appender.appendBigInt(rows);
    if (pid === null) appender.appendNull();
    else appender.appendVarchar(pid);
    appender.endRow();
  }
  appender.closeSync();
  const readIds = staging.newTable('direct_ids');
  await staging.run(Q.ids, { read_ids: readIds, counts });
  const [ids] = await staging.all<{ rows: bigint | null; blank: bigint; not_pseudonym: bigint }>(Q.idsSummary, {
    read_ids: readIds,
  });
  if (
    ids.rows === null ||
    Number(ids.blank) > 0 ||
    (context.pseudonymizer.prePseudonymized && Number(ids.not_pseudonym) > 0)
  )
    return null;
  // The first read computed the pseudonyms of the plain IDs (the ID as read is the ID trimmed); the
  // others are pseudonymised here, into pid_map.
  await staging.pseudonymize({ sql: render(Q.unmapped, { read_ids: readIds }) }, 'id');
  const resolved = staging.newTable('direct_resolved');
  await staging.run(Q.resolved, { resolved, read_ids: readIds });
  const [{ unresolved }] = await staging.all<{ unresolved: bigint }>(Q.unresolved, { resolved });
  if (Number(unresolved) > 0) return null;
  const students = staging.newTable('students');
  await staging.numberStudents(students, { sql: render(Q.pids, { resolved }) });
  const map = staging.newTable('direct_map');
  await staging.run(Q.map, { map, resolved, students });
  // The schools a row may name, by number; their codes checked now (the load's transaction reads staging only).
  const schools = staging.newTable('direct_schools');
  await staging.run(Q.schools, { schools });
  await staging.checkSchoolCodes(schools, 'school_code');
  const rowsRead = Number(ids.rows);
  context.progress(file.name, rowsRead);
  const years = staging.tempTable('attendance_years');
  return {
    input,
    rowsRead,
    rowsRejected: () => Promise.resolve(0),
    touchedYears: years,
    direct: true,
    load: (session) => loadDirectly(session, context, { file, header, map, students, schools, rowsRead, years }),
  };
}

/** The header of a file the direct load may take (the attendance columns, each once, nothing else); null otherwise. */
async function directHeader(path: string): Promise<string[] | null> {
  const header = await readCsvHeader(path);
  const candidate =
    new Set(header).size === header.length &&
    header.every((c) => COLUMNS.includes(c)) &&
    REQUIRED.every((c) => header.includes(c));
  return candidate ? header : null;
}

/**
 * A file's distinct student IDs as read (raw: never stored, never shown), with their rows and, for a
 * plain ID, its pseudonym.
 */
export interface StudentIdCount {
  raw: string | null;
  rows: bigint;
  pid: string | null;
}

/**
 * The direct load's first read of a file (Feed.firstRead): its distinct student IDs with their rows,
 * and the pseudonyms of the plain ones (queries/ingest/attendance/first-read.sql). The ingest starts it
 * while it hashes the file. Null when the file is not a candidate or the reader refuses a line.
 */
export async function readStudentIds(
  reader: Reader,
  path: string,
  pseudonymizer: Pseudonymizer,
): Promise<StudentIdCount[] | null> {
  const pads = pseudonymizer.hmacPads();
  try {
    const header = await directHeader(path);
    if (!header) return null;
    const columns = csvColumns(header);
    return await reader.all<{ raw: string | null; rows: bigint; pid: string | null }>(
      render(Q.firstRead, {}),
      {
        path,
        columns: columns.value,
        inner: pads ? blobValue(pads.inner) : null,
        outer: pads ? blobValue(pads.outer) : null,
      },
      { path: VARCHAR, columns: columns.type, inner: BLOB, outer: BLOB },
    );
  } catch {
    return null;
  }
}

interface DirectLoad {
  file: SourceFile;
  header: string[];
  /** raw student ID → sid (the student's student_ref). */
  map: string;
  /** sid → student_pid. */
  students: string;
  /** school_ref, school_code of the schools a row may name. */
  schools: string;
  rowsRead: number;
  /** Made here: the school years written, with their first and last day (the derived tables refresh them). */
  years: string;
}

async function loadDirectly(session: WarehouseSession, context: StageContext, load: DirectLoad): Promise<number> {
  const { staging, batchId } = context;
  const batchRef = await staging.writeNewRefs(session, batchId);
  const columns = csvColumns(load.header, TYPES);
  let written: number;
  try {
    const [{ Count }] = await staging.allOn<{ Count: bigint }>(
      session,
      Q.insert,
      {
        map: load.map,
        schools: load.schools,
        reason: load.header.includes('reason') ? 'r.reason' : { sql: Q.null },
        place: load.header.includes('place') ? 'r.place' : { sql: Q.null },
      },
      { path: load.file.path, columns: columns.value, batch_ref: batchRef },
      { path: VARCHAR, columns: columns.type },
    );
    written = Number(Count);
  } catch (error) {
    // Never passed on as it is: the reader's messages quote the line, student ID and all. Whatever it
    // was (a value it cannot convert, a row without a date or status, or a fault of the machine), the
    // row-by-row way reads the file again and reports it by row, or fails as it would have.
    const message = (error as Error).message;
    if (/NOT NULL constraint/i.test(message)) throw new LoadDeclined('a row without a date or status');
    throw new LoadDeclined(
      /CSV Error|Conversion Error|Could not convert/i.test(message)
        ? 'a value the reader cannot convert'
        : 'the direct read failed',
    );
  }
  if (written !== load.rowsRead) throw new LoadDeclined('a row of a school without a number');
  const combos = await checkWritten(session, context, load, batchRef);
  await staging.runOn(session, Q.years, { years: load.years, combos });
  await replaceEarlierRows(session, staging, batchRef, load.years);
  return written;
}

/**
 * The rows just written against the attendance rules (the same rules files as the row-by-row way):
 * declines the load when a rule about what rows say could fire, or when a row needs what only the
 * row-by-row way does (a date before 1970).
 */
async function checkWritten(
  session: WarehouseSession,
  context: StageContext,
  load: DirectLoad,
  batchRef: number,
): Promise<string> {
  const { staging } = context;
  const combos = staging.tempTable('attendance_combos');
  const schoolsNamed = staging.tempTable('attendance_schools');
  const parts = ruleParts(
    { table: 'main.attendance_records', combos, schools: schoolsNamed, students: load.students },
    'date',
    (prefix) => staging.tempTable(prefix),
  );
  const values: Record<string, DuckDBValue> = ruleValues(context);
  const rules = studentFactsRules(ATTENDANCE_RULES, parts, values).filter((r) => r.applies === 'rows');
  const unguarded = rules.filter((rule) => rule.steps.length === 0);
  const rowRules: Sql = unguarded.length
    ? joinSql(
        unguarded.map((rule) => render(Q.condition, { when: { sql: rule.when } })),
        ' OR ',
      )
    : Q.null;
  await staging.runOn(session, Q.combos, { combos, schools: load.schools, row_rules: { sql: rowRules } }, [batchRef]);
  const [summary] = await staging.allOn<{ rule_rows: bigint; before_1970: boolean }>(session, Q.summary, { combos });
  if (Number(summary.rule_rows) > 0) throw new LoadDeclined(`a row may break a rule (${describe(unguarded)})`);
  if (summary.before_1970) throw new LoadDeclined('a date before 1970');
  await staging.runOn(session, Q.schoolsNamed, { schools: schoolsNamed, combos });
  for (const rule of rules.filter((r) => r.steps.length > 0)) {
    if (await guardFires(session, rule, values)) throw new LoadDeclined(rule.rule);
  }
  return combos;
}

const describe = (rules: readonly Rule[]) => rules.map((rule) => rule.rule).join('; ');

/**
 * A newer row for the same student and day replaces the older one (another batch's). A corrected day
 * can move a student to another school (a transfer sent late): that school-year joins the touched ones.
 * Nothing to do on the usual first load of a year (no row of another batch in the file's dates).
 */
async function replaceEarlierRows(
  session: WarehouseSession,
  staging: StageContext['staging'],
  batchRef: number,
  years: string,
): Promise<void> {
  const [{ held }] = await staging.allOn<{ held: bigint }>(session, Q.earlierHeld, { years }, [batchRef]);
  if (Number(held) === 0) return;
  await staging.runOn(session, Q.earlierMovedYears, { years }, [batchRef]);
  await staging.runOn(session, Q.earlierReplaced, {}, [batchRef]);
}
