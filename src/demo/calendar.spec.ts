import {
  academicYearBounds,
  academicYearOf,
  civilDate,
  dayNumber,
  drawCalendarVariation,
  formatDate,
  holidaysOfAcademicYear,
  japaneseHolidays,
  mondayWeek,
  schoolDays,
  weekday,
  weeksWithSchoolDays,
} from './calendar.js';
import { Rng } from './random.js';

describe('day numbers', () => {
  it('round-trips every day of 2000–2100 and knows the weekday', () => {
    const broken: number[] = [];
    for (let d = dayNumber(2000, 1, 1); d <= dayNumber(2100, 12, 31); d++) {
      const { year, month, day } = civilDate(d);
      if (dayNumber(year, month, day) !== d) broken.push(d);
    }
    expect(broken).toEqual([]);
    expect(dayNumber(1970, 1, 1)).toBe(0);
    expect(formatDate(dayNumber(2025, 4, 1))).toBe('2025-04-01');
    expect(weekday(dayNumber(2025, 4, 1))).toBe(2); // Tuesday
    expect(weekday(dayNumber(2024, 2, 29))).toBe(4); // Thursday
  });

  it('puts January–March in the previous academic year', () => {
    expect(academicYearOf(dayNumber(2025, 4, 1))).toBe(2025);
    expect(academicYearOf(dayNumber(2026, 3, 31))).toBe(2025);
    expect(academicYearOf(dayNumber(2025, 3, 31))).toBe(2024);
    const { first, last } = academicYearBounds(2025);
    expect([formatDate(first), formatDate(last)]).toEqual(['2025-04-01', '2026-03-31']);
  });

  it('numbers Monday-to-Sunday weeks', () => {
    const monday = dayNumber(2025, 4, 7);
    expect(mondayWeek(monday)).toBe(mondayWeek(monday + 6));
    expect(mondayWeek(monday - 1)).toBe(mondayWeek(monday) - 1);
    expect(weeksWithSchoolDays(Int32Array.from([monday, monday + 1, monday + 7, monday + 20]))).toBe(3);
  });
});

describe('japaneseHolidays', () => {
  it('matches the Cabinet Office list for 2025, with 振替休日', () => {
    const list = [...japaneseHolidays(2025)].sort((a, b) => a - b).map(formatDate);
    expect(list).toEqual([
      '2025-01-01',
      '2025-01-13',
      '2025-02-11',
      '2025-02-23',
      '2025-02-24',
      '2025-03-20',
      '2025-04-29',
      '2025-05-03',
      '2025-05-04',
      '2025-05-05',
      '2025-05-06',
      '2025-07-21',
      '2025-08-11',
      '2025-09-15',
      '2025-09-23',
      '2025-10-13',
      '2025-11-03',
      '2025-11-23',
      '2025-11-24',
    ]);
  });

  it('adds 国民の休日 between two holidays (22 September 2026)', () => {
    const days = japaneseHolidays(2026);
    expect(days.has(dayNumber(2026, 9, 21))).toBe(true);
    expect(days.has(dayNumber(2026, 9, 22))).toBe(true);
    expect(days.has(dayNumber(2026, 9, 23))).toBe(true);
  });
});

describe('schoolDays', () => {
  it('gives about 200 days a year, none in the breaks, on holidays or on Sundays', () => {
    for (const fy of [2020, 2023, 2025, 2026]) {
      const holidays = holidaysOfAcademicYear(fy);
      for (let k = 0; k < 20; k++) {
        const v = drawCalendarVariation(Rng.stream(3, 7, k, fy));
        const days = schoolDays(fy, v, holidays);
        expect(days.length).toBeGreaterThanOrEqual(190);
        expect(days.length).toBeLessThanOrEqual(212);
        const saturdays = [...days].filter((d) => weekday(d) === 6);
        expect(saturdays.length).toBe(1); // sports day
        const wrong = [...days].filter((d) => {
          const { month, day } = civilDate(d);
          const inBreak =
            (month === 4 && day < v.aprilStart) ||
            (month === 7 && day >= v.summerStartDay) ||
            (month === 8 && day <= v.summerEndDay) ||
            (month === 12 && day >= v.winterStartDay) ||
            (month === 1 && day <= v.winterEndDay) ||
            (month === 3 && day > v.marchLastDay);
          return weekday(d) === 0 || holidays.has(d) || inBreak;
        });
        expect(wrong.map(formatDate)).toEqual([]);
        expect([...days].every((d, i) => i === 0 || d > days[i - 1])).toBe(true);
      }
    }
  });

  it('is the same for the same variation and differs between schools', () => {
    const a = schoolDays(2025, drawCalendarVariation(Rng.stream(1, 7, 0, 2025)));
    const b = schoolDays(2025, drawCalendarVariation(Rng.stream(1, 7, 0, 2025)));
    expect(Array.from(a)).toEqual(Array.from(b));
    const others = Array.from({ length: 10 }, (_, k) =>
      schoolDays(2025, drawCalendarVariation(Rng.stream(1, 7, k + 1, 2025))).join(),
    );
    expect(others.some((o) => o !== Array.from(a).join())).toBe(true);
  });
});
