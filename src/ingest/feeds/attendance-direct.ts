import { BLOB, blobValue, listValue } from '@duckdb/node-api';
import { isValidSchoolCode } from '../../schools/school-code.js';
import type { WarehouseSession } from '../../warehouse/warehouse.js';
import type { SourceFile, StageContext, StagedFeed, FeedInput } from '../ingest.types.js';
import { hmacSql, plainIdSql, type Pseudonymizer } from '../pseudonymizer.js';
import { readCsvHeader } from '../csv-header.js';
import { readCsvSql, trimmedOrNull } from '../staging.js';
import { academicYearOf } from './student-facts.js';

/**
 * A date's 63-day span (its day number from 1970-01-01, in spans of 63) and its bit within the span, as
 * SQL. An earlier date counts as 1970-01-01 here (it would only make days look repeated); the direct
 * load declines a file with one.
 */
const FIRST_DAY = `DATE '1970-01-01'`;
const dayNumber = (date: string) => `greatest(${date} - ${FIRST_DAY}, 0)`;
const SPAN = (date: string) => `(${dayNumber(date)} // 63)`;
const SPAN_BIT = (date: string) => `(1::BIGINT << (${dayNumber(date)} % 63))`;

/**
 * Thrown by a direct load (inside the warehouse transaction) when a row needs the row-by-row checks:
 * the service rolls the transaction back and stages the batch again the row-by-row way, which names
 * every problem with its row.
 */
export class DirectLoadDeclined extends Error {}

const COLUMNS = ['school_code', 'student_id', 'date', 'status', 'reason'];
const REQUIRED = ['school_code', 'student_id', 'date', 'status'];
/**
 * The reader's types: a value it cannot convert (a capital, a space, an unknown status) stops the direct
 * load. The date is converted as the row-by-row way does (TRY_CAST): a date it cannot read breaks the
 * table's NOT NULL constraint, which stops it too.
 */
const TYPES = { status: 'attendance_status', reason: 'absence_reason' };

/**
 * Daily attendance loaded straight from the file into the warehouse, for the file that needs no
 * correction — the common case, and the one that is tens of millions of rows.
 *
 * The row-by-row way (attendance.feed.ts) copies every row into staging, checks it there and copies it
 * again into the warehouse. This way reads the file twice and keeps no row in memory: first its
 * student IDs only (distinct, pseudonymised and resolved to the student's number, as the row-by-row way
 * does), then every row, typed by the CSV reader and joined to that small map, straight into
 * attendance_records. Inside the batch's transaction, the rows just written are then checked on their
 * combinations of student, school and school year — the same rules as the row-by-row way: known school
 * (and the uploading school's own), enrolled student, no day twice, a reason only for an absence, no
 * date in the future (nor, here, before 1970), no day off the school's calendar. Any row that would break a rule or need
 * cleaning (a blank or unknown ID, a value with a capital or a space, a malformed line) declines the
 * direct load: the transaction is rolled back and the batch is staged row by row, so that every problem
 * is reported with its row exactly as before. Nothing is loaded by a declined direct load.
 *
 * Null when the file is not a candidate (other columns, an ID that is blank or matches no student):
 * the row-by-row way takes it at once.
 */
export async function stageAttendanceDirectly(context: StageContext, input: FeedInput): Promise<StagedFeed | null> {
  const { staging } = context;
  const file = input.files[0];
  const header = await directHeader(file.path);
  if (!header) return null;
  // The first read: each distinct student ID as read, with its rows (read while the file was hashed,
  // or now).
  const counted = await (context.studentIds?.(file.path) ??
    readStudentIds(staging.session, file.path, context.pseudonymizer));
  if (!counted) return null; // a line the reader refuses: the row-by-row way reports it by line
  const counts = staging.newTable('direct_counts');
  await staging.session.run(`CREATE TABLE ${counts} (raw VARCHAR, rows BIGINT, pid VARCHAR)`);
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
  await staging.session.run(
    `CREATE TABLE ${readIds} AS SELECT raw, ${trimmedOrNull('raw')} AS id, rows, pid FROM ${counts}`,
  );
  const [ids] = await staging.session.all<{ rows: bigint | null; blank: bigint; not_pseudonym: bigint }>(
    `SELECT sum(rows) AS rows, count(*) FILTER (WHERE id IS NULL) AS blank,
            count(*) FILTER (WHERE NOT regexp_full_match(id, '[0-9a-f]{64}')) AS not_pseudonym FROM ${readIds}`,
  );
  if (
    ids.rows === null ||
    Number(ids.blank) > 0 ||
    (context.pseudonymizer.prePseudonymized && Number(ids.not_pseudonym) > 0)
  )
    return null;
  // The first read computed the pseudonyms of the plain IDs (the ID as read is the ID trimmed); the
  // others are pseudonymised here, into pid_map.
  await staging.pseudonymize(`(SELECT id FROM ${readIds} WHERE pid IS NULL)`, 'id');
  const resolved = staging.newTable('direct_resolved');
  await staging.session.run(
    `CREATE TABLE ${resolved} AS
     SELECT r.raw, res.student_pid FROM ${readIds} r
     LEFT JOIN ${staging.t('pid_map')} m ON m.raw = r.id LEFT JOIN ${staging.t('resolver')} res ON res.pid = coalesce(r.pid, m.pid)`,
  );
  const [{ unresolved }] = await staging.session.all<{ unresolved: bigint }>(
    `SELECT count(*) FILTER (WHERE student_pid IS NULL) AS unresolved FROM ${resolved}`,
  );
  if (Number(unresolved) > 0) return null;
  const students = staging.newTable('students');
  await staging.numberStudents(students, `(SELECT DISTINCT student_pid FROM ${resolved})`);
  const map = staging.newTable('direct_map');
  await staging.session.run(
    `CREATE TABLE ${map} AS SELECT r.raw, s.sid FROM ${resolved} r JOIN ${students} s ON s.student_pid = r.student_pid`,
  );
  // The schools a row may name (known, a valid code, and for a school user its own), by number: a row
  // of any other school finds no number and is not written, which declines the direct load.
  const known = await staging.session.all<{ school_code: string }>(`SELECT school_code FROM ${staging.knownSchools()}`);
  const allowed = known
    .map((s) => s.school_code)
    .filter((code) => isValidSchoolCode(code) && (context.scopeSchool === null || code === context.scopeSchool));
  const schools = staging.newTable('direct_schools');
  await staging.session.run(
    `CREATE TABLE ${schools} AS SELECT school_ref, school_code FROM ${staging.knownSchoolRefs()} WHERE school_code IN (SELECT unnest($1::VARCHAR[]))`,
    [listValue(allowed)],
  );
  const rowsRead = Number(ids.rows);
  context.progress(file.name, rowsRead);
  const years = staging.tempTable('attendance_years');
  return {
    input,
    rowsRead,
    rowsRejected: async () => 0,
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
 * plain ID (plainIdSql), its pseudonym.
 */
export interface StudentIdCount {
  raw: string | null;
  rows: bigint;
  pid: string | null;
}

/**
 * The direct load's first read of a file: its distinct student IDs with their rows, and the pseudonyms
 * of the plain ones (the HMAC computed by DuckDB, the key's pads bound as values). The ingest starts it
 * while it hashes the file (on a reader connection: the two then share the cores instead of following
 * each other). Null when the file is not a candidate or the reader refuses a line.
 */
export async function readStudentIds(
  reader: Pick<WarehouseSession, 'all'>,
  path: string,
  pseudonymizer: Pseudonymizer,
): Promise<StudentIdCount[] | null> {
  const pads = pseudonymizer.hmacPads();
  const pid = pads ? `CASE WHEN ${plainIdSql('raw')} THEN ${hmacSql('raw', '$1', '$2')} END` : 'NULL::VARCHAR';
  try {
    const header = await directHeader(path);
    if (!header) return null;
    return await reader.all<{ raw: string | null; rows: bigint; pid: string | null }>(
      `SELECT raw, rows, ${pid} AS pid FROM (SELECT student_id AS raw, count(*) AS rows FROM ${readCsvSql(path, header)}) GROUP BY ALL)`,
      pads ? [blobValue(pads.inner), blobValue(pads.outer)] : undefined,
      pads ? [BLOB, BLOB] : undefined,
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
  let written: number;
  try {
    // The map is the join's build side: the reader's estimate of a large file's rows (sniff) keeps it
    // there. A row without a date (or one TRY_CAST cannot read, or one written otherwise than
    // YYYY-MM-DD, which the row-by-row way warns of) or without a status breaks the table's NOT NULL
    // constraint; a row of a school it may not name finds no number and is not written.
    const [{ Count }] = await session.all<{ Count: bigint }>(
      `INSERT INTO main.attendance_records (student_ref, school_ref, day, academic_year, status, reason, batch_ref)
       SELECT m.sid, s.school_ref, r.day, ${academicYearOf('r.day')}, r.status, r.reason, $1::INTEGER
       FROM (SELECT * EXCLUDE ("date"), CASE WHEN "date" LIKE '____-__-__' THEN TRY_CAST("date" AS DATE) END AS day${load.header.includes('reason') ? '' : ', NULL AS reason'}
             FROM ${readCsvSql(load.file.path, load.header, { types: TYPES, sniff: true })})) r
       JOIN ${load.map} m ON m.raw = r.student_id
       JOIN ${load.schools} s ON s.school_code = r.school_code`,
      [batchRef],
    );
    written = Number(Count);
  } catch (error) {
    // Never passed on as it is: the reader's messages quote the line, student ID and all. Whatever it
    // was (a value it cannot convert, a row without a date or status, or a fault of the machine), the
    // row-by-row way reads the file again and reports it by row, or fails as it would have.
    const message = (error as Error).message;
    if (/NOT NULL constraint/i.test(message)) throw new DirectLoadDeclined('a row without a date or status');
    throw new DirectLoadDeclined(
      /CSV Error|Conversion Error|Could not convert/i.test(message)
        ? 'a value the reader cannot convert'
        : 'the direct read failed',
    );
  }
  if (written !== load.rowsRead) throw new DirectLoadDeclined('a row of a school it may not name');

  // The rows just written, by student, school, school year and 63-day span of the calendar: what every
  // check reads. A span's days are the bits of a BIGINT (bit_or of single bits is far cheaper than a
  // bitstring aggregate), so repeated and off-calendar days are found by OR-ing and counting bits.
  const combos = staging.tempTable('attendance_combos');
  await session.run(
    `CREATE TEMP TABLE ${combos} AS
     SELECT c.*, s.school_code FROM (
       SELECT student_ref AS sid, school_ref, academic_year, ${SPAN('day')} AS span, count(*) AS rows, min(day) AS first_day, max(day) AS last_day,
              bit_or(${SPAN_BIT('day')}) AS days, bool_or(reason IS NOT NULL AND status <> 'absent'::attendance_status) AS reason_not_absent
       FROM main.attendance_records WHERE batch_ref = $1::INTEGER GROUP BY ALL
     ) c JOIN ${load.schools} s ON s.school_ref = c.school_ref`,
    [batchRef],
  );
  const [found] = await session.all<{
    not_enrolled: bigint;
    repeated: bigint | null;
    reason_not_absent: boolean;
    out_of_range: boolean;
    off_calendar: bigint;
  }>(
    `WITH enrolled AS (
       SELECT s.sid, e.school_code, e.academic_year FROM ${staging.knownEnrolments()} e JOIN ${load.students} s ON s.student_pid = e.student_pid),
     calendar_bits AS (
       SELECT school_code, ${SPAN('day')} AS span, bit_or(${SPAN_BIT('day')}) AS days FROM ${staging.knownSchoolDays()}
       WHERE school_code IN (SELECT school_code FROM ${combos}) AND day >= ${FIRST_DAY} GROUP BY ALL),
     school_bits AS (
       SELECT school_code, span, bit_or(days) AS days FROM ${combos}
       WHERE school_code IN (SELECT school_code FROM calendar_bits) GROUP BY ALL)
     SELECT (SELECT count(*) FROM (SELECT sid, school_code, academic_year FROM ${combos} EXCEPT SELECT * FROM enrolled)) AS not_enrolled,
            (SELECT sum(rows - bit_count(days)) FROM (SELECT sum(rows) AS rows, bit_or(days) AS days FROM ${combos} GROUP BY sid, span)) AS repeated,
            (SELECT bool_or(reason_not_absent) FROM ${combos}) AS reason_not_absent,
            (SELECT max(last_day) > current_date OR min(first_day) < ${FIRST_DAY} FROM ${combos}) AS out_of_range,
            (SELECT count(*) FROM school_bits s LEFT JOIN calendar_bits c USING (school_code, span)
             WHERE c.days IS NULL OR s.days & ~c.days <> 0) AS off_calendar`,
  );
  if (Number(found.not_enrolled) > 0) throw new DirectLoadDeclined('a student not enrolled at the school in that year');
  if (Number(found.repeated ?? 0) > 0) throw new DirectLoadDeclined('a student and day given twice');
  if (found.reason_not_absent) throw new DirectLoadDeclined('a reason for a day that is not an absence');
  if (found.out_of_range) throw new DirectLoadDeclined('a date in the future or before 1970');
  if (Number(found.off_calendar) > 0) throw new DirectLoadDeclined('a day off the school calendar');

  await session.run(
    `CREATE TEMP TABLE ${load.years} AS SELECT school_code, school_ref, academic_year, min(first_day) AS first_day, max(last_day) AS last_day FROM ${combos} GROUP BY ALL`,
  );
  await replaceEarlierRows(session, batchRef, load.years);
  return written;
}

/**
 * A newer row for the same student and day replaces the older one (another batch's). A corrected day
 * can move a student to another school (a transfer sent late): that school-year joins the touched ones.
 * Nothing to do on the usual first load of a year (no row of another batch in the file's dates).
 */
async function replaceEarlierRows(session: WarehouseSession, batchRef: number, years: string): Promise<void> {
  // Rows of no known batch (an older warehouse's) are earlier rows too.
  const earlier = 'a.batch_ref IS DISTINCT FROM $1::INTEGER';
  const inDates = `a.day BETWEEN (SELECT min(first_day) FROM ${years}) AND (SELECT max(last_day) FROM ${years}) AND ${earlier}`;
  const [{ held }] = await session.all<{ held: bigint }>(
    `SELECT count(*) AS held FROM (SELECT 1 FROM main.attendance_records a WHERE ${inDates} LIMIT 1)`,
    [batchRef],
  );
  if (Number(held) === 0) return;
  const written = `(SELECT DISTINCT student_ref, day FROM main.attendance_records WHERE batch_ref = $1::INTEGER)`;
  await session.run(
    `INSERT INTO ${years}
     SELECT DISTINCT s.school_code, a.school_ref, a.academic_year, NULL::DATE, NULL::DATE
     FROM main.attendance_records a JOIN ${written} n ON n.student_ref = a.student_ref AND n.day = a.day
     JOIN main.school_refs s ON s.school_ref = a.school_ref
     WHERE ${inDates} AND (a.school_ref, a.academic_year) NOT IN (SELECT (school_ref, academic_year) FROM ${years})`,
    [batchRef],
  );
  await session.run(
    `DELETE FROM main.attendance_records a USING ${written} n
     WHERE a.student_ref = n.student_ref AND a.day = n.day AND ${earlier}`,
    [batchRef],
  );
}
