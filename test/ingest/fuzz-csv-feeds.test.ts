import fc from 'fast-check';
import {
  CSV_DEFECTS,
  CSV_FEEDS,
  HEADERS,
  csv,
  csvWithDefect,
  toShiftJis,
  validRows,
  type CsvFeed,
  type Row,
} from '../../bench/fuzz-feeds.js';
import { choices, drawFrom, errorsNaming, errorsOf, settings, startFuzzWorld, type FuzzWorld } from './fuzz-support.js';

/** What the warehouse holds of a batch, per feed, as sorted lines, and what a file's rows should become there. */
const LOADED: Record<CsvFeed, { sql: string; expected: (row: Row, pid: (id: string) => string) => string }> = {
  attendance: {
    sql: `SELECT concat_ws('|', student_pid, day, status, coalesce(reason, '')) AS line FROM attendance_days WHERE batch_id = $1`,
    expected: (r, pid) => [pid(r.student_id), r.date, r.status, r.reason].join('|'),
  },
  assessments: {
    sql: `SELECT concat_ws('|', student_pid, school_code, assessment_id, subject, administered_on, CAST(score AS INTEGER), CAST(max_score AS INTEGER)) AS line FROM assessment_results WHERE batch_id = $1`,
    expected: (r, pid) =>
      [pid(r.student_id), r.school_code, r.assessment_id, r.subject, r.administered_on, r.score, r.max_score].join('|'),
  },
  guidance: {
    sql: `SELECT concat_ws('|', student_pid, school_code, recorded_on, category, coalesce(type_code, ''), resolved, coalesce(CAST(serious AS VARCHAR), '')) AS line FROM guidance_records WHERE batch_id = $1`,
    expected: (r, pid) =>
      [pid(r.student_id), r.school_code, r.recorded_on, r.category, r.type_code, r.resolved, r.serious].join('|'),
  },
  programmes: {
    sql: `SELECT concat_ws('|', p.programme_id, g.name, p.school_code, p.start_date, coalesce(CAST(p.end_date AS VARCHAR), '')) AS line
          FROM programme_participation p JOIN programmes g USING (programme_id) WHERE p.batch_id = $1`,
    expected: (r) => [r.programme_id, r.programme_name, r.school_code, r.start_date, r.end_date].join('|'),
  },
  calendar: {
    sql: `SELECT concat_ws('|', school_code, day) AS line FROM school_days WHERE batch_id = $1`,
    expected: (r) => [r.school_code, r.date].join('|'),
  },
};

/**
 * Property tests of the CSV feed parsers (attendance, assessments, guidance records, programmes, school
 * calendars) on real stores: a generated valid file loads exactly its rows, whatever its encoding, line
 * ends, BOM and column order; a file with one defect put in at random is refused as a whole, naming the
 * file, the line and the column, and leaves every warehouse table as it was.
 */
describe('CSV feed parsers under generated files (fast-check, real stores)', () => {
  let w: FuzzWorld;
  beforeAll(async () => {
    w = await startFuzzWorld();
  });
  afterAll(async () => w.t.close());

  it.each(CSV_FEEDS)(
    'a valid %s file loads exactly its rows (UTF-8 or Shift_JIS, LF or CRLF, any column order)',
    async (feed) => {
      await fc.assert(
        fc.asyncProperty(
          choices,
          fc.integer({ min: 1, max: 30 }),
          fc.constantFrom('utf-8', 'utf-8-bom', 'shift_jis'),
          fc.constantFrom('\n', '\r\n'),
          fc.boolean(),
          async (numbers, count, encoding, eol, shuffle) => {
            const draw = drawFrom(numbers);
            const rows = validRows(feed, count, draw);
            const header = [...HEADERS[feed]];
            if (shuffle) header.sort(() => draw() - 0.5);
            const text = csv(header, rows, eol);
            const bytes =
              encoding === 'shift_jis'
                ? toShiftJis(text)
                : Buffer.from(encoding === 'utf-8-bom' ? `\uFEFF${text}` : text);
            const report = await w.ingest(w.write(`${feed}.csv`, bytes));
            expect({ status: report.status, errors: errorsOf(report) }).toEqual({ status: 'loaded', errors: [] });
            expect(report).toMatchObject({ rowsRead: rows.length, rowsLoaded: rows.length, rowsRejected: 0 });
            const loaded = await w.all<{ line: string }>(LOADED[feed].sql, [report.batchId]);
            const pid = (id: string) => w.pseudonymizer.pseudonym(id);
            expect(loaded.map((r) => r.line).sort()).toEqual(rows.map((r) => LOADED[feed].expected(r, pid)).sort());
          },
        ),
        settings,
      );
    },
  );

  it.each(CSV_FEEDS)('a %s file with a random defect is refused whole, naming file, line and column', async (feed) => {
    await fc.assert(
      fc.asyncProperty(
        choices,
        fc.integer({ min: 1, max: 25 }),
        fc.constantFrom(...CSV_DEFECTS),
        async (numbers, count, defect) => {
          const draw = drawFrom(numbers);
          const table = { header: [...HEADERS[feed]], rows: validRows(feed, count, draw) };
          const { bytes, spot } = csvWithDefect(feed, table, defect, draw);
          const before = await w.counts();
          const report = await w.ingest(w.write(`${feed}.csv`, bytes));
          expect(report).toMatchObject({ status: 'rejected', rowsLoaded: 0 });
          expect(await w.counts()).toEqual(before);
          const named = errorsNaming(report, `${feed}.csv`);
          expect(named.length).toBeGreaterThan(0);
          if (spot.row !== null)
            expect({ defect, errors: named.filter((p) => p.row === spot.row).map((p) => p.rule) }).not.toEqual({
              defect,
              errors: [],
            });
          if (spot.column !== null)
            expect(named.filter((p) => p.row === spot.row && p.column === spot.column).map((p) => p.rule)).not.toEqual(
              [],
            );
        },
      ),
      settings,
    );
  });
});
