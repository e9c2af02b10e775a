import { WatchRefresher } from '../../src/watch/watch-refresh.service.js';
import { loadMunicipality } from '../support/municipality.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Stored = {
  school_code: string;
  student_pid: string;
  indicator_id: string;
  value: number | null;
  since: string | null;
  first_flagged_on: string;
};

/**
 * The stored lists are written by difference (queries/watch/store-list.sql): after each refresh they must hold
 * exactly what the indicators find as of its date, and a flag found by the refresh before keeps the day it was
 * first flagged.
 */
describe('watch lists stored by difference (real DuckDB)', () => {
  let t: TestApp;
  let schools: string[];

  beforeAll(async () => {
    t = await startTestApp();
    await loadMunicipality(t, { schools: 3, students: 600, years: 1, seed: 5 });
    schools = (await t.warehouse.all<{ school_code: string }>('SELECT school_code FROM schools ORDER BY 1')).map(
      (row) => row.school_code,
    );
  }, 600_000);
  afterAll(() => t?.close());

  const stored = async () =>
    new Map(
      (
        await t.warehouse.all<Stored>(
          `SELECT school_code, student_pid, indicator_id, value, CAST(since AS VARCHAR) AS since,
                  CAST(first_flagged_on AS VARCHAR) AS first_flagged_on
           FROM watch_flags`,
        )
      ).map((row) => [`${row.school_code}|${row.student_pid}|${row.indicator_id}`, row]),
    );

  /** What the indicators find as of a date, keyed like the stored rows. */
  const found = async (asOf: string) =>
    new Map(
      (await t.app.get(WatchRefresher).compute(asOf, null)).map((row) => [
        `${row.schoolCode}|${row.student}|${row.indicatorId}`,
        { value: row.value, since: row.since },
      ]),
    );

  it('holds what the indicators find after each refresh, and keeps the first day of a flag that stays', async () => {
    const watch = t.app.get(WatchRefresher);
    const days = ['2025-10-03', '2025-10-10', '2025-10-17', '2025-10-10'];
    let before = new Map<string, Stored>();
    let kept = 0;
    let changed = 0;
    for (const [k, asOf] of days.entries()) {
      await watch.refresh(schools, asOf);
      const after = await stored();
      const expected = await found(asOf);
      expect([...after.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [key, row] of after) {
        expect({ value: row.value, since: row.since }).toEqual(expected.get(key));
        const earlier = before.get(key);
        // Going forward, a flag that stays keeps its first day; a new one starts on the refresh's date. Going
        // back to a date before a flag's first day starts it again on that date.
        if (earlier && earlier.first_flagged_on <= asOf) {
          expect(row.first_flagged_on).toBe(earlier.first_flagged_on);
          if (k > 0) kept++;
          if (earlier.value !== row.value || earlier.since !== row.since) changed++;
        } else expect(row.first_flagged_on).toBe(asOf);
      }
      before = after;
    }
    // The comparison is not empty: flags stayed across refreshes, and some of them changed their value.
    expect(kept).toBeGreaterThan(0);
    expect(changed).toBeGreaterThan(0);
  });

  it('changes nothing when refreshed again as of the same date', async () => {
    const watch = t.app.get(WatchRefresher);
    await watch.refresh(schools, '2025-11-07');
    const first = await stored();
    await watch.refresh(schools, '2025-11-07');
    expect(await stored()).toEqual(first);
  });
});
