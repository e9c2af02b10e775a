import fc from 'fast-check';
import {
  CSV_DEFECTS,
  MANIFEST,
  ROSTER_FILES,
  STUDENTS,
  csvWithDefect,
  deepJson,
  ndjson,
  rosterPackage,
  rosterTables,
  rosterZip,
  statement,
  statementId,
  truncate,
  zipOf,
  type CsvDefect,
} from '../../bench/fuzz-feeds.js';
import { choices, drawFrom, errorsNaming, errorsOf, settings, startFuzzWorld, type FuzzWorld } from './fuzz-support.js';

/** Defects whose place in a roster file is certain (the roster's own rules decide the rest: a birth date, a long name). */
const ROSTER_DEFECTS: CsvDefect[] = CSV_DEFECTS.filter(
  (d) => !['impossible-date', 'huge-field', 'bad-value'].includes(d),
);

/**
 * Property tests of the OneRoster (folder and zip), xAPI (NDJSON and JSON array) and zip parsers on real
 * stores: generated valid input loads exactly; input with a random defect is refused as a whole, naming
 * the file (and line and column where the defect has them), and leaves every warehouse table as it was.
 */
describe('OneRoster, xAPI and zip parsers under generated input (fast-check, real stores)', () => {
  let w: FuzzWorld;
  let run = 0;
  beforeAll(async () => {
    w = await startFuzzWorld();
  });
  afterAll(async () => w.t.close());

  it('valid xAPI statements, NDJSON or a JSON array, load exactly', async () => {
    await fc.assert(
      fc.asyncProperty(choices, fc.integer({ min: 1, max: 25 }), fc.boolean(), async (numbers, count, asArray) => {
        const draw = drawFrom(numbers);
        const statements = Array.from({ length: count }, () => statement(draw, statementId('prop', run++)));
        const text = asArray ? JSON.stringify(statements, null, 1) : ndjson(statements);
        const report = await w.ingest(w.write(asArray ? 'statements.json' : 'statements.ndjson', text));
        expect({ status: report.status, errors: errorsOf(report) }).toEqual({ status: 'loaded', errors: [] });
        expect(report).toMatchObject({ rowsRead: count, rowsLoaded: count });
        const loaded = await w.all<{ statement_id: string; student_pid: string }>(
          `SELECT CAST(statement_id AS VARCHAR) AS statement_id, student_pid FROM learning_activity WHERE batch_id = $1 ORDER BY 1`,
          [report.batchId],
        );
        const byApp = new Map(STUDENTS.map((s) => [s.app, w.pseudonymizer.pseudonym(s.id)]));
        expect(loaded).toEqual(
          statements
            .map((s) => ({
              statement_id: s.id as string,
              student_pid: byApp.get((s.actor as { account: { name: string } }).account.name)!,
            }))
            .sort((a, b) => a.statement_id.localeCompare(b.statement_id)),
        );
      }),
      settings,
    );
  });

  it('NDJSON with a broken, badly encoded or impossible statement is refused whole, naming the line', async () => {
    await fc.assert(
      fc.asyncProperty(
        choices,
        fc.integer({ min: 1, max: 15 }),
        fc.constantFrom('broken', 'invalid-utf8', 'impossible-date', 'deep'),
        async (numbers, count, defect) => {
          const draw = drawFrom(numbers);
          const lines = Array.from({ length: count }, () => JSON.stringify(statement(draw, statementId('bad', run++))));
          const at = Math.floor(draw() * count);
          let bytes: Buffer;
          if (defect === 'invalid-utf8') {
            const cut = 1 + Math.floor(draw() * (lines[at].length - 1));
            bytes = Buffer.concat([
              Buffer.from([...lines.slice(0, at), lines[at].slice(0, cut)].join('\n')),
              Buffer.from([0xff]),
              Buffer.from(`${lines[at].slice(cut)}\n${lines.slice(at + 1).join('\n')}\n`),
            ]);
          } else {
            if (defect === 'broken') lines[at] = lines[at].slice(0, Math.floor(lines[at].length / 2));
            if (defect === 'impossible-date')
              lines[at] = lines[at].replace(/"timestamp":"[^"]*"/, '"timestamp":"2025-02-30T10:00:00+09:00"');
            if (defect === 'deep') lines[at] = `${lines[at].slice(0, -1)},"result":${deepJson(20_000, '[', ']')}}`;
            bytes = Buffer.from(lines.join('\n') + '\n');
          }
          const before = await w.counts();
          const report = await w.ingest(w.write('statements.ndjson', bytes));
          expect({ defect, status: report.status, rowsLoaded: report.rowsLoaded }).toEqual({
            defect,
            status: 'rejected',
            rowsLoaded: 0,
          });
          expect(await w.counts()).toEqual(before);
          expect(errorsNaming(report, 'statements.ndjson').map((p) => p.row)).toContain(at + 1);
        },
      ),
      settings,
    );
  });

  it('a zip that slips out of its folder, is a bomb, holds too many entries or is cut short is refused, naming it', async () => {
    const zeros = Buffer.alloc(32 * 1024 ** 2);
    await fc.assert(
      fc.asyncProperty(
        choices,
        fc.constantFrom('slip', 'bomb', 'lying', 'many', 'truncated'),
        async (numbers, defect) => {
          const draw = drawFrom(numbers);
          const manifest = { name: 'pkg/manifest.csv', data: Buffer.from(MANIFEST) };
          const zip =
            defect === 'slip'
              ? zipOf([manifest, { name: '../../evil.csv', data: Buffer.from('a\n') }])
              : defect === 'bomb'
                ? zipOf([manifest, { name: 'pkg/users.csv', data: zeros }])
                : defect === 'lying'
                  ? zipOf([manifest, { name: 'pkg/users.csv', data: zeros, declaredSize: 1000 }])
                  : defect === 'many'
                    ? zipOf(
                        Array.from({ length: 1001 }, (_, i) => ({
                          name: `pkg/f${i}.csv`,
                          data: Buffer.from('a\n'),
                          stored: true,
                        })),
                      )
                    : truncate(rosterZip(rosterPackage(), 'pkg'), () => draw() * 0.9);
          const before = await w.counts();
          const report = await w.ingest(w.write('roster.zip', zip));
          expect({ defect, status: report.status }).toEqual({ defect, status: 'rejected' });
          expect(await w.counts()).toEqual(before);
          expect(errorsNaming(report, 'roster.zip').length).toBeGreaterThan(0);
        },
      ),
      settings,
    );
  });
  it('a OneRoster package with a random defect in one file is refused whole, naming the file and the line', async () => {
    await fc.assert(
      fc.asyncProperty(
        choices,
        fc.constantFrom(...ROSTER_FILES),
        fc.constantFrom(...ROSTER_DEFECTS),
        async (numbers, file, defect) => {
          const draw = drawFrom(numbers);
          const { bytes, spot } = csvWithDefect(null, rosterTables()[file], defect, draw);
          const before = await w.counts();
          const report = await w.ingest(w.write('roster', { ...rosterPackage(), [`${file}.csv`]: bytes }));
          expect(report).toMatchObject({ status: 'rejected', rowsLoaded: 0 });
          expect(await w.counts()).toEqual(before);
          const named = errorsNaming(report, `roster/${file}.csv`);
          expect({ defect, file, errors: named.length > 0 ? 'named' : errorsOf(report) }).toEqual({
            defect,
            file,
            errors: 'named',
          });
          if (spot.row !== null) expect(named.some((p) => p.row === spot.row)).toBe(true);
          if (spot.column !== null) expect(named.some((p) => p.column === spot.column)).toBe(true);
        },
      ),
      { ...settings, numRuns: Math.min(settings.numRuns, 4) },
    );
  }, 300_000);

  // Last: a bulk package of fewer students ends the others' enrolments.
  it('a valid OneRoster package, as a folder or a zip, enrols exactly its students', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(STUDENTS, { minLength: 1 }),
        fc.boolean(),
        fc.constantFrom('male', 'female'),
        async (students, zipped, sex) => {
          // A package of its own each run (its manifest names the run), so that no file was loaded before.
          const changed = students.map((s) => ({ ...s, sex }));
          const files = rosterPackage(changed, `fuzz run ${run++}`);
          const path = zipped ? w.write('roster.zip', rosterZip(files, 'pkg')) : w.write('roster', files);
          const report = await w.ingest(path);
          expect({ status: report.status, errors: errorsOf(report) }).toEqual({ status: 'loaded', errors: [] });
          const enrolled = await w.all<{ student_pid: string; grade: string }>(
            `SELECT student_pid, grade FROM enrolments WHERE batch_id = $1 ORDER BY 1`,
            [report.batchId],
          );
          expect(enrolled).toEqual(
            changed
              .map((s) => ({ student_pid: w.pseudonymizer.pseudonym(s.id), grade: s.grade }))
              .sort((a, b) => a.student_pid.localeCompare(b.student_pid)),
          );
        },
      ),
      { ...settings, numRuns: Math.min(settings.numRuns, 3) },
    );
  }, 300_000);
});
