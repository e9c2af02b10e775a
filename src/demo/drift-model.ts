/**
 * Planted drift into non-attendance (不登校への移行), for the early-warning watch lists: a few students
 * a year who attend normally, then come late and leave early more and more over the weeks before an
 * onset day, and from it stay away more and more (reason 不登校 mostly). Some were recorded as the
 * victim of a bullying case a few weeks before the onset. truth.json lists them (`watch.planted`), with
 * every student who reached 30 absence days, so a test can measure what the watch list finds.
 * Drawn on its own stream, so nothing else the generator draws moves; laid down before the programme effect.
 */
import { REASON, STATUS } from './attendance-codes.js';
import type { SchoolYearGrid } from './attendance-model.js';
import { civilDate } from './calendar.js';
import { Rng } from './random.js';
import { STREAM } from './streams.js';

export const DRIFT = {
  /** Share of students (not already in the 不登校 state) planted to drift each year: elementary, junior high
   * (MEXT FY2023: new 不登校 is about three times as common in junior high). */
  share: { elementary: 0.003, junior_high: 0.008 },
  /** Onset months: from September (after the summer break, when most drift starts) to December. */
  onsetMonths: [9, 10, 11, 12],
  /** School days before the onset (行き渋り, reluctance) with rising late arrivals, early leaves and days away. */
  leadDays: [30, 60] as const,
  /** Share of the drifting students recorded as the victim of a bullying case before the onset. */
  bullied: 0.4,
} as const;

export interface PlantedDrift {
  /** Register position in the grid. */
  k: number;
  /** School-day index of the onset. */
  onset: number;
  /** School-day index of the bullying record, or -1. */
  bullyingDay: number;
}

const attendedOrPlain = (s: number) => s === STATUS.present || s === STATUS.late || s === STATUS.earlyLeave;

export function plantDrift(
  grid: SchoolYearGrid,
  seed: number,
  schoolIndex: number,
  fy: number,
  schoolType: keyof typeof DRIFT.share,
): PlantedDrift[] {
  const rng = Rng.stream(seed, STREAM.drift, schoolIndex, fy);
  const D = grid.days.length;
  const n = grid.students.length;
  const onsetDays = [...grid.days.keys()].filter((d) =>
    (DRIFT.onsetMonths as readonly number[]).includes(civilDate(grid.days[d]).month),
  );
  const planted: PlantedDrift[] = [];
  if (D === 0 || onsetDays.length === 0) return planted;
  for (let k = 0; k < n; k++) {
    if (!rng.chance(DRIFT.share[schoolType]) || grid.futoko[k] === 1) continue;
    const onset = onsetDays[rng.int(onsetDays.length)];
    const lead = rng.range(DRIFT.leadDays[0], DRIFT.leadDays[1]);
    const base = k * D;
    // Before the onset: late arrivals and early leaves, more often as the onset nears, and now and then a day away.
    for (let d = Math.max(0, onset - lead); d < onset; d++) {
      const c = base + d;
      if (grid.status[c] !== STATUS.present) continue;
      const nearness = 1 - (onset - d) / lead;
      const u = rng.next();
      if (u < 0.04 + 0.12 * nearness) {
        grid.status[c] = STATUS.absent;
        grid.reason[c] = rng.chance(0.6) ? REASON.illness : REASON.none;
      } else if (u < 0.14 + 0.3 * nearness) grid.status[c] = STATUS.late;
      else if (u < 0.2 + 0.38 * nearness) grid.status[c] = STATUS.earlyLeave;
    }
    // From the onset: away more and more, up to nearly every day within about four weeks.
    const ceiling = 0.75 + 0.23 * rng.next();
    for (let d = onset; d < D; d++) {
      const c = base + d;
      if (!attendedOrPlain(grid.status[c])) continue;
      const p = Math.min(ceiling, 0.45 + (ceiling - 0.45) * ((d - onset) / 20));
      if (rng.chance(p)) {
        grid.status[c] = STATUS.absent;
        const u = rng.next();
        grid.reason[c] = u < 0.8 ? REASON.nonAttendance : u < 0.9 ? REASON.illness : REASON.none;
      } else if (grid.status[c] === STATUS.present && rng.chance(0.3)) grid.status[c] = STATUS.late;
    }
    const bullyingDay = rng.chance(DRIFT.bullied) ? Math.max(0, onset - rng.range(5, 30)) : -1;
    planted.push({ k, onset, bullyingDay });
  }
  return planted;
}

/** For truth.json: a student's absences by a day and the day of their 30th absence of the year (-1: never). */
export function absenceCourse(
  grid: SchoolYearGrid,
  k: number,
  byDay: number,
): { absentBy: number; total: number; day30: number } {
  const D = grid.days.length;
  let absentBy = 0;
  let total = 0;
  let day30 = -1;
  for (let d = 0; d < D; d++) {
    if (grid.status[k * D + d] !== STATUS.absent) continue;
    total++;
    if (grid.days[d] <= byDay) absentBy++;
    if (total === 30) day30 = d;
  }
  return { absentBy, total, day30 };
}
