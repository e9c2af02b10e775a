import type { WatchStudent } from '../watch/watch.types.js';

/** One homeroom's attendance in a school year up to a date ('homeroomId' null: students without a homeroom). */
export interface HomeroomAttendance {
  homeroomId: string | null;
  title: string | null;
  /** The homeroom's grade when it has one (a 複式学級 has several: null). */
  grade: string | null;
  students: number;
  schoolDays: number;
  absentDays: number;
  /** Students with at least `minDays` absence days. */
  studentsOver: number;
  /** 出席率, by the metric attendance.rate; null with no required day yet. */
  rate: number | null;
}

/** A school year's attendance from April up to `asOf`: per homeroom, for all of them, and per month. */
export interface AttendancePeriod {
  academicYear: number;
  asOf: string;
  minDays: number;
  homerooms: HomeroomAttendance[];
  total: Omit<HomeroomAttendance, 'homeroomId' | 'title' | 'grade'>;
  /** Absence days per calendar month (YYYY-MM) up to `asOf`. */
  months: { month: string; absences: number }[];
}

export interface OpenCase {
  id: string;
  student: string;
  status: string;
  responsible: string | null;
  nextReviewOn: string | null;
}

/** What a dashboard page shows: a school's (管理職) or a teacher's classes (担任). */
export interface DashboardView {
  scope: 'school' | 'class';
  schoolCode: string;
  /** The homerooms the page covers (a class page), else null = the whole school. */
  homerooms: { homeroomId: string; title: string }[] | null;
  /** The homerooms a school user may choose on the class page. */
  choices: { homeroomId: string; title: string }[];
  /** This year up to the as-of date, and last year up to the same day a year before. */
  current: AttendancePeriod | null;
  previous: AttendancePeriod | null;
  /** The watch list's as-of date, its flagged students (a class page lists them), and how many. */
  watch: { asOf: string | null; flagged: number; students: WatchStudent[] };
  cases: { byStatus: Record<string, number>; open: OpenCase[] };
  /** The chart of this year against last, drawn on the server (SVG). */
  chart: string | null;
}
