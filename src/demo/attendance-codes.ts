/**
 * The daily attendance vocabulary of attendance.csv and the per-student rules built on it
 * (出欠の記録, shukketsu no kiroku, in the 指導要録 / shidō yōroku, the cumulative record).
 * Codes are small integers so a school-year of days fits in one Uint8Array.
 */

export const STATUS = {
  present: 0,
  absent: 1, // 欠席 (kesseki)
  late: 2, // 遅刻 (chikoku): attended
  earlyLeave: 3, // 早退 (sōtai): attended
  suspension: 4, // 出席停止 (shusseki teishi): not required, e.g. influenza
  mourning: 5, // 忌引 (kibiki): not required
  closure: 6, // 臨時休業 (rinji kyūgyō), e.g. 学級閉鎖 (gakkyū heisa, class closure): not required
  countedPresent: 7, // 指導要録上出席扱い: learning elsewhere (ICT at home, a support centre), counted as attended
} as const;

/** attendance.csv `status` text by code. */
export const STATUS_TEXT = [
  'present',
  'absent',
  'late',
  'early_leave',
  'suspension',
  'mourning',
  'closure',
  'counted_present',
] as const;

/** Absence reasons as recorded on a day; 0 = none given (an empty cell). */
export const REASON = {
  none: 0,
  illness: 1, // 病気 (byōki)
  economic: 2, // 経済的理由 (keizaiteki riyū)
  nonAttendance: 3, // 不登校 (futōkō)
  covidAvoidance: 4, // 新型コロナウイルスの感染回避 (from FY2020)
  other: 5, // その他 (sonota)
} as const;

/** attendance.csv `reason` text by code ('' = not given). */
export const REASON_TEXT = ['', 'illness', 'economic', 'non_attendance', 'covid_avoidance', 'other'] as const;

/** The main reasons of the MEXT survey, in the order truth.json lists them. */
export const MAIN_REASONS = ['illness', 'economic', 'non_attendance', 'covid_avoidance', 'other'] as const;
export type MainReason = (typeof MAIN_REASONS)[number];

/** 長期欠席 (chōki kesseki): absent 30 days or more in the school year, consecutive or not. */
export const LONG_TERM_ABSENCE_DAYS = 30;

/**
 * A long-term absentee's single main reason: the reason with the most absence days, an absence
 * with no reason counting as `other`, and a tie between reasons also giving `other` (the survey's
 * catch-all, rather than an arbitrary pick). `daysByReason` is indexed by REASON codes.
 */
export function mainAbsenceReason(daysByReason: ArrayLike<number>): MainReason {
  const days = [
    daysByReason[REASON.illness] ?? 0,
    daysByReason[REASON.economic] ?? 0,
    daysByReason[REASON.nonAttendance] ?? 0,
    daysByReason[REASON.covidAvoidance] ?? 0,
    (daysByReason[REASON.other] ?? 0) + (daysByReason[REASON.none] ?? 0),
  ];
  const most = Math.max(...days);
  if (most <= 0) return 'other';
  const leaders = days.flatMap((d, i) => (d === most ? [i] : []));
  return leaders.length === 1 ? MAIN_REASONS[leaders[0]] : 'other';
}

/** What one student's year of daily rows adds up to (the grain most survey items ask at). */
export interface StudentYearTotals {
  schoolDays: number;
  /** Suspension + mourning + closure days: not required, not absences. */
  excusedDays: number;
  absentDays: number;
  countedPresentDays: number;
}

/** Where a day counted present is spent (attendance.csv `place`): MEXT's two places, and elsewhere. */
export const COUNTED_PRESENT_PLACES = ['external_facility', 'ict_home', 'other'] as const;
export type CountedPresentPlace = (typeof COUNTED_PRESENT_PLACES)[number];

/**
 * The one place a student's days counted present are spent, fixed by the student's number (no random
 * stream is drawn, so adding it changed no other figure): half at a facility outside the school (a 教育支援
 * センター, say), a third learning at home with ICT, the rest elsewhere.
 */
export function countedPresentPlace(student: number): CountedPresentPlace {
  const bucket = Math.imul(student + 1, 0x9e3779b1) >>> 0;
  const share = bucket % 6;
  return share < 3 ? 'external_facility' : share < 5 ? 'ict_home' : 'other';
}

/** 出席しなければならない日数 (days required) = school days − suspension/mourning/closure days. */
export function requiredDays(t: StudentYearTotals): number {
  return t.schoolDays - t.excusedDays;
}

/** 出席日数 (days attended) = required − absent; late, early leave and counted-present days are attended. */
export function attendedDays(t: StudentYearTotals): number {
  return requiredDays(t) - t.absentDays;
}

export type FutokoBand = 'absent_90_plus' | 'attended_10_or_less' | 'attended_0';

/**
 * The MEXT 不登校 sub-counts a long-term absentee with main reason non_attendance falls in:
 * 90 or more days absent; 10 or fewer days attended; no day attended. A student can be in several.
 */
export function futokoBands(t: StudentYearTotals): FutokoBand[] {
  const bands: FutokoBand[] = [];
  if (t.absentDays >= 90) bands.push('absent_90_plus');
  const attended = attendedDays(t);
  if (attended <= 10) bands.push('attended_10_or_less');
  if (attended === 0) bands.push('attended_0');
  return bands;
}
