import { IndicatorSettings } from '../../src/watch/indicator-settings.service.js';
import { standaloneIndicatorSql, watchListParams } from '../../src/watch/indicator-engine.js';
import { loadMunicipality } from '../support/municipality.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The days a student is away without breaking a run of absences (and without counting in it). */
const NEUTRAL = new Set(['suspension', 'mourning', 'closure']);

type Day = {
  school_code: string;
  day: string;
};
type Mark = {
  school_code: string;
  student_pid: string;
  day: string;
  status: string;
};
type Fired = Map<string, { value: number; since: string }>;

/**
 * The attendance indicators computed a second way, in plain TypeScript from the warehouse's rows, and compared
 * with the catalogue's SQL (each indicator on its own, as the watch list runs it) on a generated municipality
 * as of several dates: the SQL is written for speed (only the students who can fire are looked at further), and
 * this is what keeps it saying what the definitions say.
 */
describe('attendance indicators: the SQL equals a plain reference computation', () => {
  let t: TestApp;
  let days: Day[];
  let marks: Mark[];
  let enrolled: Set<string>;

  beforeAll(async () => {
    t = await startTestApp();
    await loadMunicipality(t, { schools: 3, students: 600, years: 2, seed: 11 });
    days = await t.warehouse.all<Day>(
      `SELECT school_code, CAST(day AS VARCHAR) AS day FROM school_days WHERE academic_year = 2025 ORDER BY school_code, day`,
    );
    marks = await t.warehouse.all<Mark>(
      `SELECT s.school_code, r.student_pid, CAST(a.day AS VARCHAR) AS day, CAST(a.status AS VARCHAR) AS status
       FROM attendance_records a
       JOIN school_refs s ON s.school_ref = a.school_ref
       JOIN student_refs r ON r.student_ref = a.student_ref
       WHERE a.academic_year = 2025`,
    );
    enrolled = new Set(
      (
        await t.warehouse.all<{ key: string }>(
          `SELECT school_code || '|' || student_pid AS key FROM enrolments WHERE academic_year = 2025`,
        )
      ).map((row) => row.key),
    );
  }, 600_000);
  afterAll(() => t?.close());

  /** One indicator's rows as of a date, by the catalogue's SQL, with its default thresholds. */
  async function bySql(id: string, asOf: string): Promise<Fired> {
    const indicator = t.app
      .get(IndicatorSettings)
      .catalogue()
      .find((i) => i.id === id)!;
    const { params, types } = watchListParams([indicator], {}, asOf, null);
    const sql = indicator.sql.replace(/\$([a-z_]+)\b/g, (whole, name: string) =>
      ['as_of', 'academic_year', 'schools'].includes(name) ? whole : `$p0_${name}`,
    );
    const bound = Object.fromEntries(Object.entries(params).filter(([name]) => !name.startsWith('k0_')));
    const rows = await t.warehouse.all<{ school_code: string; student_pid: string; value: number; since: string }>(
      `SELECT school_code, student_pid, value, CAST(since AS VARCHAR) AS since FROM (${standaloneIndicatorSql(sql)})`,
      bound,
      types,
    );
    return new Map(rows.map((r) => [`${r.school_code}|${r.student_pid}`, { value: r.value, since: r.since }]));
  }

  /** Each enrolled student's marks up to a date, by day, with their school's school days up to it. */
  function studentsAsOf(asOf: string) {
    const schoolDays = new Map<string, string[]>();
    for (const d of days.filter((d) => d.day <= asOf))
      schoolDays.set(d.school_code, [...(schoolDays.get(d.school_code) ?? []), d.day]);
    const students = new Map<string, Map<string, string>>();
    for (const m of marks.filter((m) => m.day <= asOf)) {
      const key = `${m.school_code}|${m.student_pid}`;
      if (!enrolled.has(key)) continue;
      if (!students.has(key)) students.set(key, new Map());
      students.get(key)!.set(m.day, m.status);
    }
    return { schoolDays, students };
  }

  /** 連続欠席: absent on at least 3 school days in a row up to the last school day; neutral days neither break nor count. */
  function consecutive(asOf: string): Fired {
    const { schoolDays, students } = studentsAsOf(asOf);
    const fired: Fired = new Map();
    for (const [key, byDay] of students) {
      const calendar = schoolDays.get(key.split('|')[0]) ?? [];
      let absences = 0;
      let first = '';
      for (let k = calendar.length - 1; k >= 0; k--) {
        const status = byDay.get(calendar[k]);
        if (status === 'absent') {
          absences++;
          first = calendar[k];
        } else if (!status || !NEUTRAL.has(status)) break;
      }
      if (absences >= 3) fired.set(key, { value: absences, since: first });
    }
    return fired;
  }

  /** 年度の欠席日数: at least 15 absence days in the year so far; since = the day of the 15th. */
  function yearToDate(asOf: string): Fired {
    const { students } = studentsAsOf(asOf);
    const fired: Fired = new Map();
    for (const [key, byDay] of students) {
      const absent = [...byDay].filter(([, status]) => status === 'absent').map(([day]) => day);
      absent.sort();
      if (absent.length >= 15) fired.set(key, { value: absent.length, since: absent[14] });
    }
    return fired;
  }

  /** 直近の欠席: at least 5 absences in the last 20 school days; since = the first of them. */
  function recent(asOf: string): Fired {
    const { schoolDays, students } = studentsAsOf(asOf);
    const fired: Fired = new Map();
    for (const [key, byDay] of students) {
      const window = (schoolDays.get(key.split('|')[0]) ?? []).slice(-20);
      const absent = window.filter((day) => byDay.get(day) === 'absent');
      if (absent.length >= 5) fired.set(key, { value: absent.length, since: absent[0] });
    }
    return fired;
  }

  const sorted = (fired: Fired) => [...fired].sort(([a], [b]) => a.localeCompare(b));
  const AS_OF = ['2025-06-13', '2025-10-31', '2026-01-22', '2026-03-19'];

  it.each(AS_OF)('consecutive absences as of %s', async (asOf) => {
    const expected = consecutive(asOf);
    expect(sorted(await bySql('attendance.consecutive_absences', asOf))).toEqual(sorted(expected));
  });

  it.each(AS_OF)('absence days of the year as of %s', async (asOf) => {
    const expected = yearToDate(asOf);
    expect(sorted(await bySql('attendance.year_to_date', asOf))).toEqual(sorted(expected));
  });

  it.each(AS_OF)('recent absences as of %s', async (asOf) => {
    const expected = recent(asOf);
    expect(sorted(await bySql('attendance.recent_absences', asOf))).toEqual(sorted(expected));
  });

  it('has students for each indicator to compare (the comparison is not empty)', () => {
    expect(consecutive('2026-01-22').size).toBeGreaterThan(0);
    expect(yearToDate('2026-03-19').size).toBeGreaterThan(0);
    expect(recent('2025-10-31').size).toBeGreaterThan(0);
  });
});
