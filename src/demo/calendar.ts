/**
 * Dates as integer day numbers (days since 1970-01-01, no time zone) and the school calendar.
 * Plain integer arithmetic instead of Date keeps formatting locale- and zone-free and fast.
 *
 * The Japanese school year (年度, nendo) runs from 1 April to 31 March; FY2025 = April 2025–March 2026.
 */
import type { Rng } from './random.js';

/** Day number of a calendar date (Howard Hinnant's days_from_civil). Month is 1–12. */
export function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Calendar date of a day number (civil_from_days). */
export function civilDate(dayNum: number): { year: number; month: number; day: number } {
  const z = dayNum + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD`. */
export function formatDate(dayNum: number): string {
  const { year, month, day } = civilDate(dayNum);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(dayNum: number): number {
  return (((dayNum + 4) % 7) + 7) % 7;
}

/** Index of the Monday-to-Sunday week a day falls in (same weeks as DuckDB's date_trunc('week', d)). */
export function mondayWeek(dayNum: number): number {
  return Math.floor((dayNum + 3) / 7);
}

/** The academic year (年度) a date belongs to. */
export function academicYearOf(dayNum: number): number {
  const { year, month } = civilDate(dayNum);
  return month >= 4 ? year : year - 1;
}

/** First (1 April) and last (31 March) day of an academic year. */
export function academicYearBounds(fy: number): { first: number; last: number } {
  return { first: dayNumber(fy, 4, 1), last: dayNumber(fy + 1, 3, 31) };
}

/** The n-th (1-based) given weekday of a month. */
function nthWeekday(year: number, month: number, wd: number, n: number): number {
  const first = dayNumber(year, month, 1);
  return first + ((wd - weekday(first) + 7) % 7) + 7 * (n - 1);
}

/** 春分の日 / 秋分の日 (shunbun / shūbun no hi), by the usual approximation valid 1980–2099. */
function equinoxDay(year: number, spring: boolean): number {
  const base = spring ? 20.8431 : 23.2488;
  return Math.floor(base + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4));
}

/**
 * Japanese national holidays (国民の祝日) of one calendar year as day numbers, with 振替休日
 * (furikae kyūjitsu: a holiday on Sunday moves to the next non-holiday) and 国民の休日 (a day
 * between two holidays). Approximate: the one-off 2019–2021 changes are not modelled.
 */
export function japaneseHolidays(year: number): Set<number> {
  const days = [
    dayNumber(year, 1, 1),
    nthWeekday(year, 1, 1, 2), // 成人の日 (seijin no hi), 2nd Monday of January
    dayNumber(year, 2, 11),
    year >= 2020 ? dayNumber(year, 2, 23) : dayNumber(year, 12, 23), // 天皇誕生日
    dayNumber(year, 3, equinoxDay(year, true)),
    dayNumber(year, 4, 29),
    dayNumber(year, 5, 3),
    dayNumber(year, 5, 4),
    dayNumber(year, 5, 5),
    nthWeekday(year, 7, 1, 3), // 海の日 (umi no hi)
    ...(year >= 2016 ? [dayNumber(year, 8, 11)] : []), // 山の日 (yama no hi)
    nthWeekday(year, 9, 1, 3), // 敬老の日 (keirō no hi)
    dayNumber(year, 9, equinoxDay(year, false)),
    nthWeekday(year, 10, 1, 2), // スポーツの日
    dayNumber(year, 11, 3),
    dayNumber(year, 11, 23),
  ];
  const holidays = new Set(days);
  for (const day of [...days].sort((a, b) => a - b)) {
    if (weekday(day) !== 0) continue;
    let substitute = day + 1;
    while (holidays.has(substitute)) substitute++;
    holidays.add(substitute);
  }
  for (const day of days) {
    if (holidays.has(day + 2) && !holidays.has(day + 1) && weekday(day + 1) !== 0) holidays.add(day + 1);
  }
  return holidays;
}

/** The holidays that fall in an academic year (April of `fy` to March of `fy + 1`). */
export function holidaysOfAcademicYear(fy: number): Set<number> {
  return new Set([...japaneseHolidays(fy), ...japaneseHolidays(fy + 1)]);
}

/** One school's breaks and special days in one year; schools differ by a few days. */
export interface CalendarVariation {
  /** First day of term in April (始業式, shigyōshiki), day of month. */
  aprilStart: number;
  /** Summer break (夏休み) from this day of July through `summerEndDay` of August. */
  summerStartDay: number;
  summerEndDay: number;
  /** Winter break from this day of December through `winterEndDay` of January. */
  winterStartDay: number;
  winterEndDay: number;
  /** Last day of the year in March (修了式, shūryōshiki); spring break follows. */
  marchLastDay: number;
  /** The school's founding day (開校記念日, kaikō kinenbi) as [month, day]: a day off. */
  foundingDay: [number, number];
  /** Sports day (運動会, undōkai) on a Saturday, with the next Monday off (振替休業日). */
  sportsDayMonth: 5 | 9 | 10;
}

export function drawCalendarVariation(rng: Rng): CalendarVariation {
  const months: (5 | 9 | 10)[] = [5, 9, 10];
  return {
    aprilStart: rng.range(6, 8),
    summerStartDay: rng.range(19, 21),
    summerEndDay: [31, 31, 28, 25][rng.int(4)],
    winterStartDay: rng.range(24, 26),
    winterEndDay: rng.range(6, 8),
    marchLastDay: rng.range(22, 24),
    foundingDay: [[4, 5, 6, 7, 9, 10, 11, 12, 1, 2][rng.int(10)], rng.range(1, 28)],
    sportsDayMonth: months[rng.int(3)],
  };
}

/**
 * The school days (授業日, jugyōbi) of one school in one academic year, ascending: weekdays minus
 * national holidays and breaks, minus the founding day and the Monday after sports day, plus the
 * sports-day Saturday. About 200 days, as in real Japanese schools.
 */
export function schoolDays(
  fy: number,
  v: CalendarVariation,
  holidays: Set<number> = holidaysOfAcademicYear(fy),
): Int32Array {
  const { first, last } = academicYearBounds(fy);
  const termStart = dayNumber(fy, 4, v.aprilStart);
  const summer = [dayNumber(fy, 7, v.summerStartDay), dayNumber(fy, 8, v.summerEndDay)];
  const winter = [dayNumber(fy, 12, v.winterStartDay), dayNumber(fy + 1, 1, v.winterEndDay)];
  const yearEnd = dayNumber(fy + 1, 3, v.marchLastDay);
  const [fm, fd] = v.foundingDay;
  const founding = dayNumber(fm >= 4 ? fy : fy + 1, fm, fd);
  // The last Saturday of the sports-day month that is not a holiday; the following Monday is off.
  let sportsDay = nthWeekday(fy, v.sportsDayMonth, 6, 4);
  while (holidays.has(sportsDay)) sportsDay -= 7;
  const mondayOff = sportsDay + 2;

  const days: number[] = [];
  for (let d = first; d <= last; d++) {
    const wd = weekday(d);
    const inBreak =
      d < termStart || (d >= summer[0] && d <= summer[1]) || (d >= winter[0] && d <= winter[1]) || d > yearEnd;
    if (inBreak) continue;
    if (d === sportsDay) {
      days.push(d);
      continue;
    }
    if (wd === 0 || wd === 6 || holidays.has(d) || d === founding || d === mondayOff) continue;
    days.push(d);
  }
  return Int32Array.from(days);
}

/** Number of Monday-to-Sunday weeks that contain at least one of the (ascending) days. */
export function weeksWithSchoolDays(days: Int32Array): number {
  let weeks = 0;
  let previous = Number.NaN;
  for (const d of days) {
    const w = mondayWeek(d);
    if (w !== previous) weeks++;
    previous = w;
  }
  return weeks;
}
