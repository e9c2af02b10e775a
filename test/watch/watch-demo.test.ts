import { DATE, VARCHAR } from '@duckdb/node-api';
import { readPseudonymKey } from '../../src/config/pseudonym-key.js';
import { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { dateValue } from '../../src/watch/indicator-engine.js';
import { WatchRefresher } from '../../src/watch/watch-refresh.service.js';
import { loadMunicipality } from '../support/municipality.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface WatchTruth {
  watch: {
    academicYear: number;
    asOf: string;
    planted: { schoolCode: string; studentId: string; onset: string; bullyingVictim: boolean }[];
    reachers: { schoolCode: string; studentId: string; absentByAsOf: number; absentDays: number; day30: string }[];
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Acceptance 1 of issue 17, on the demo municipality (12 schools, 4,000 students, three years), against its truth.json. */
describe('watch lists on the demo municipality', () => {
  let t: TestApp;
  let truth: WatchTruth['watch'];
  let pseudonym: (id: string) => string;

  beforeAll(async () => {
    t = await startTestApp();
    truth = (await loadMunicipality<WatchTruth>(t, { schools: 12, students: 4000, years: 3, seed: 1 })).watch;
    const pseudonymizer = new Pseudonymizer(readPseudonymKey(t.stores.config.pseudonymKeyFile!));
    pseudonym = (id) => pseudonymizer.pseudonym(id);
  }, 600_000);
  afterAll(() => t?.close());

  it('flags, as of 31 October, at least 80% of those who go on to reach 30 absence days, with precision ≥ 0.6, and prints the lead time', async () => {
    const watch = t.app.get(WatchRefresher);
    expect(truth.asOf).toBe(`${truth.academicYear}-10-31`);
    const flagged = new Set((await watch.compute(truth.asOf, null)).map((row) => row.student));
    const reachers = new Map(truth.reachers.map((r) => [pseudonym(r.studentId), r]));
    // Those still to be found: at least 3 and fewer than 30 absence days by 31 October, 30 or more by 31 March.
    const target = truth.reachers.filter((r) => r.absentByAsOf >= 3 && r.absentByAsOf < 30);
    const found = target.filter((r) => flagged.has(pseudonym(r.studentId)));
    const recall = found.length / target.length;
    const precision = [...flagged].filter((student) => reachers.has(student)).length / flagged.size;
    const planted = truth.planted.filter((p) => p.onset <= truth.asOf);
    const plantedFound = planted.filter((p) => flagged.has(pseudonym(p.studentId)));

    // Lead time: the watch list refreshed every week of the year; school days from a student's first flag to the 30th absence.
    const firstFlag = new Map<string, string>();
    const start = new Date(Date.UTC(truth.academicYear, 3, 6));
    for (
      let day = start;
      day <= new Date(Date.UTC(truth.academicYear + 1, 2, 31));
      day = new Date(day.getTime() + 7 * 86_400_000)
    ) {
      const asOf = day.toISOString().slice(0, 10);
      for (const row of await watch.compute(asOf, null))
        if (!firstFlag.has(row.student)) firstFlag.set(row.student, asOf);
    }
    const leads: number[] = [];
    for (const r of target) {
      const first = firstFlag.get(pseudonym(r.studentId));
      if (!first || first > r.day30) continue;
      const [{ days }] = await t.warehouse.all<{ days: number }>(
        'SELECT CAST(count(*) AS INTEGER) AS days FROM school_days WHERE school_code = $school AND day > $first AND day <= $day30',
        { school: r.schoolCode, first: dateValue(first), day30: dateValue(r.day30) },
        { school: VARCHAR, first: DATE, day30: DATE },
      );
      leads.push(days);
    }
    console.log(
      `watch list as of ${truth.asOf}: ${flagged.size} students flagged; of the ${target.length} with 3–29 absence days then who reach 30 by 31 March, ` +
        `${found.length} flagged (recall ${recall.toFixed(3)}); precision ${precision.toFixed(3)}; planted drifting students with onset by then: ` +
        `${plantedFound.length} of ${planted.length} flagged. Weekly refreshes: ${leads.length} of the ${target.length} flagged before their 30th absence, ` +
        `median lead time ${median(leads)} school days`,
    );
    expect(target.length).toBeGreaterThanOrEqual(30);
    expect(recall).toBeGreaterThanOrEqual(0.8);
    expect(precision).toBeGreaterThanOrEqual(0.6);
    expect(plantedFound.length).toBeGreaterThanOrEqual(0.8 * planted.length);
    expect(median(leads)).toBeGreaterThan(0);
  }, 600_000);

  it('plants drifting students in truth.json, some with a bullying-victim record the indicator finds', async () => {
    expect(truth.planted.length).toBeGreaterThan(10);
    const victims = truth.planted.filter((p) => p.bullyingVictim);
    expect(victims.length).toBeGreaterThan(0);
    const watch = t.app.get(WatchRefresher);
    const lastDay = `${truth.academicYear + 1}-03-31`;
    const fired = await watch.compute(lastDay, null);
    // Every planted student drifts into non-attendance by the year's end: each is on the list.
    const listed = new Set(fired.map((row) => row.student));
    expect(truth.planted.every((p) => listed.has(pseudonym(p.studentId)))).toBe(true);
    // A victim's bullying record (5–30 school days before the onset) fires on the onset day.
    const latest = victims.reduce((a, b) => (a.onset >= b.onset ? a : b));
    const atOnset = await watch.compute(latest.onset, null);
    const withRecord = new Set(
      atOnset.filter((row) => row.indicatorId === 'guidance.recorded_case').map((row) => row.student),
    );
    expect(withRecord.has(pseudonym(latest.studentId))).toBe(true);
  });
});
