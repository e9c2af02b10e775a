import { nearestFeed, feedOfCsvHeader } from '../../src/ingest/detect.js';
import { SCHOOLS } from '../../bench/fuzz-feeds.js';
import { errorsOf, startFuzzWorld, type FuzzWorld } from './fuzz-support.js';

/** Defects bench/fuzz.ts found, each reproduced on real stores. */
describe('defects the fuzz found (real stores)', () => {
  let w: FuzzWorld;
  beforeAll(async () => {
    w = await startFuzzWorld();
  });
  afterAll(async () => w.t.close());

  it('an attendance file without its student_id column is refused, not loaded as a school calendar', async () => {
    // school_code,date,status,reason: once taken for a calendar, it replaced the school's calendar for the year.
    const file = ['school_code,date,status,reason', `${SCHOOLS[0]},2025-05-12,absent,illness`].join('\n') + '\n';
    const before = await w.counts();
    const report = await w.ingest(w.write('attendance.csv', file));
    expect(report).toMatchObject({ status: 'rejected', rowsLoaded: 0 });
    expect(report.problems).toEqual([
      expect.objectContaining({ severity: 'error', file: 'attendance.csv', row: 1, column: 'student_id' }),
    ]);
    expect(report.problems[0].rule).toMatch(/required column student_id is missing .* attendance file/);
    expect(await w.counts()).toEqual(before);
    expect(feedOfCsvHeader(['school_code', 'date', 'status', 'reason'])).toBeNull();
    expect(feedOfCsvHeader(['school_code', 'date'])).toBe('calendar');
    expect(feedOfCsvHeader(['school_code', 'date', 'note'])).toBe('calendar');
  });

  it('a header that matches no feed names the column the nearest feed lacks', async () => {
    const cases: [string[], string, string][] = [
      [['school_code', 'student_id', 'date', 'reason'], 'attendance', 'status'],
      [['school_code', 'student_id', 'status', 'reason'], 'attendance', 'date'],
      [
        ['school_code', 'student_id', 'assessment_id', 'subject', 'administered_on', 'max_score'],
        'assessments',
        'score',
      ],
      [['school_code', 'student_id', 'category', 'type_code'], 'guidance', 'recorded_on'],
      [['programme_name', 'school_code', 'start_date', 'end_date'], 'programmes', 'programme_id'],
      [['date'], 'calendar', 'school_code'],
    ];
    for (const [header, kind, missing] of cases)
      expect([header, nearestFeed(header)]).toEqual([header, { kind, missing }]);
    expect(nearestFeed(['a', 'b'])).toBeNull();

    const report = await w.ingest(
      w.write(
        'results.csv',
        `school_code,student_id,assessment_id,subject,administered_on,max_score\n${SCHOOLS[0]},stu-0001,t,kokugo,2025-05-12,100\n`,
      ),
    );
    expect(errorsOf(report)).toEqual([
      expect.stringMatching(/^results\.csv 1 score: header matches no feed: required column score is missing/),
    ]);
  });
});
