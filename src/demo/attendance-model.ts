/**
 * One school's year of daily attendance, built student by student into a status grid
 * (students × school days, one byte a cell) that is small enough per school (≤ ~300 KB) to keep
 * the whole prefecture frugal. The model, in the order the layers are laid down:
 *   臨時休業 (class/school closure) → 出席停止 (suspension) → 忌引 (mourning) → absences
 *   (不登校 spells, long illness, other long absences, short illness episodes, the common year
 *   trend) → late arrivals and early leaves on days the student is present.
 * Every school shares the same year effects, so untreated schools' trends are parallel by
 * construction; the planted programme effect is applied afterwards (programme-effect.ts).
 */
import { ABSENCE, FUTOKO } from './demo-parameters.js';
import { REASON, STATUS } from './attendance-codes.js';
import { civilDate } from './calendar.js';
import type { PlannedSchool } from './municipality-plan.js';
import type { Population } from './population.js';
import { Rng } from './random.js';
import { STREAM } from './streams.js';
import type { YearRoster } from './year-roster.js';

export interface SchoolYearGrid {
  days: Int32Array;
  /** Students in register order. */
  students: Int32Array;
  /** status[k * days.length + d] for the k-th student and d-th school day; reason likewise (absences only). */
  status: Uint8Array;
  reason: Uint8Array;
  /** Whether each student was in the 不登校 state this year. */
  futoko: Uint8Array;
}

/** Share of a grade in the 不登校 state (steady state of the chain) for a district multiplier. */
function futokoShare(grade: number, factor: number): number {
  return grade < 0 ? 0 : Math.min(0.5, FUTOKO.shareByGrade[grade] * factor);
}

/** Chance of entering the state this year, chosen so that each grade's share is the same every year. */
function futokoOnset(grade: number, factor: number): number {
  const before = futokoShare(grade - 1, factor);
  return Math.max(0, (futokoShare(grade, factor) - FUTOKO.persistence * before) / (1 - before));
}

/** A 不登校 student's share of days away: from part-time attendance to none at all. */
function futokoIntensity(rng: Rng): number {
  const u = rng.next();
  if (u < 0.25) return 0.15 + 0.2 * rng.next();
  if (u < 0.6) return 0.35 + 0.35 * rng.next();
  if (u < 0.88) return 0.7 + 0.28 * rng.next();
  return 1;
}

/** Relative chance of falling ill by month (index 1–12): winter is the season of colds and flu. */
const ILLNESS_BY_MONTH = [0, 1.4, 1.4, 1.0, 0.8, 0.8, 1.0, 0.8, 0.8, 0.9, 1.0, 1.1, 1.3];
const ILLNESS_MAX = 1.4;

export function simulateSchoolYear(
  fy: number,
  yearIndex: number,
  school: PlannedSchool,
  days: Int32Array,
  roster: YearRoster,
  pop: Population,
  seed: number,
): SchoolYearGrid {
  const rng = Rng.stream(seed, STREAM.attendance, school.index, fy);
  const stateRng = Rng.stream(seed, STREAM.yearState, school.index, fy);
  const students = roster.schools[school.index].students;
  const D = days.length;
  const n = students.length;
  const status = new Uint8Array(n * D);
  const reason = new Uint8Array(n * D);
  const futoko = new Uint8Array(n);
  const level = school.type === 'elementary' ? 0 : 1;

  const months = Uint8Array.from(days, (d) => civilDate(d).month);
  const inMonths = (wanted: number[]): number[] => [...months.keys()].filter((k) => wanted.includes(months[k]));
  const fluSeason = inMonths([12, 1, 2, 3]);
  const stormSeason = inMonths([9, 10, 1, 2]);
  const pickIn = (window: number[]): number => (window.length ? window[rng.int(window.length)] : rng.int(D));

  // 学級閉鎖: a class closed for 2–4 days in flu season; now and then the whole school for a day.
  const closureOfClass = new Map<number, [number, number]>();
  for (const c of roster.schools[school.index].classes) {
    if (rng.chance(ABSENCE.classClosure[level])) closureOfClass.set(c, [pickIn(fluSeason), rng.range(2, 4)]);
  }
  const schoolClosureDay = rng.chance(ABSENCE.schoolClosure) ? pickIn(stormSeason) : -1;

  const trendPerDay = ABSENCE.trendPerYear * yearIndex;
  const covidLong = fy <= 2022 ? ABSENCE.covidLongUntil2022 : ABSENCE.covidLongAfter;
  const covidShort = fy <= 2022 ? 0.02 : 0.001;

  for (let k = 0; k < n; k++) {
    const i = students[k];
    const base = k * D;
    const grade = pop.gradeIn(i, fy);
    const mark = (d: number, s: number, r: number = REASON.none): boolean => {
      if (d < 0 || d >= D || status[base + d] !== STATUS.present) return false;
      status[base + d] = s;
      reason[base + d] = r;
      return true;
    };
    const run = (start: number, length: number, s: number, r: number = REASON.none): void => {
      for (let d = start; d < start + length && d < D; d++) mark(d, s, r);
    };
    /** `count` days at random among days still present (a few tries each, so it ends on a full grid). */
    const scatter = (count: number, s: number, reasonOf: () => number): void => {
      for (let m = 0; m < count; m++) {
        for (let attempt = 0; attempt < 4; attempt++) if (mark(rng.int(D), s, reasonOf())) break;
      }
    };

    const closure = closureOfClass.get(roster.classOf[i]);
    if (closure) run(closure[0], closure[1], STATUS.closure);
    if (schoolClosureDay >= 0) mark(schoolClosureDay, STATUS.closure);

    // 不登校 state: the first year a student is seen, drawn at the grade's share; then a yearly chain.
    const previous = pop.futoko[i];
    const p =
      previous === 255
        ? futokoShare(grade, school.futokoFactor)
        : previous === 1
          ? FUTOKO.persistence
          : futokoOnset(grade, school.futokoFactor);
    const inState = stateRng.chance(p);
    pop.futoko[i] = inState ? 1 : 0;
    futoko[k] = inState ? 1 : 0;

    if (rng.chance(ABSENCE.influenza[level])) run(pickIn(fluSeason), rng.range(4, 6), STATUS.suspension);
    if (rng.chance(ABSENCE.otherInfection)) run(rng.int(D), rng.range(5, 10), STATUS.suspension);
    if (level === 1 && rng.chance(0.002)) run(rng.int(D), rng.range(3, 7), STATUS.suspension); // for conduct (rare)
    if (rng.chance(ABSENCE.mourning)) run(rng.int(D), rng.range(1, 5), STATUS.mourning);

    if (inState) {
      // A continuing student keeps roughly last year's pattern; a new one draws theirs.
      const kept = previous === 1 ? pop.futokoIntensity[i] : 0;
      const drawn = futokoIntensity(rng);
      const f = kept > 0 ? (kept >= 1 ? 1 : Math.min(0.98, Math.max(0.15, kept + 0.08 * (drawn - 0.6)))) : drawn;
      pop.futokoIntensity[i] = f;
      // Some students in the state learn elsewhere on part of their days away (counted as attended).
      const elsewhere = f < 1 && rng.chance(FUTOKO.countedPresentShare) ? 0.1 + 0.3 * rng.next() : 0;
      // Away in spells: a two-state chain whose long-run share of days away is f.
      const leave = f >= 1 ? 0 : 1 / (3 + 25 * f);
      const enter = f >= 1 ? 1 : Math.min(1, (leave * f) / (1 - f));
      let away = rng.chance(f);
      for (let d = 0; d < D; d++) {
        if (away) {
          if (rng.chance(elsewhere)) mark(d, STATUS.countedPresent);
          else {
            const u = rng.next();
            mark(d, STATUS.absent, u < 0.95 ? REASON.nonAttendance : u < 0.98 ? REASON.none : REASON.other);
          }
        }
        away = away ? !rng.chance(leave) : rng.chance(enter);
      }
    } else if (rng.chance(ABSENCE.mildNonAttendance[level])) {
      scatter(1 + rng.poisson(5), STATUS.absent, () => REASON.nonAttendance);
    }

    if (rng.chance(ABSENCE.longIllness[level]))
      run(rng.int(D), 30 + Math.floor(rng.exponential(25)), STATUS.absent, REASON.illness);
    if (rng.chance(ABSENCE.longOther[level])) {
      scatter(30 + Math.floor(rng.exponential(20)), STATUS.absent, () =>
        rng.chance(0.7) ? REASON.other : REASON.none,
      );
    }
    if (rng.chance(ABSENCE.economic)) scatter(30 + rng.int(120), STATUS.absent, () => REASON.economic);
    if (rng.chance(covidLong))
      scatter(30 + Math.floor(rng.exponential(40)), STATUS.absent, () => REASON.covidAvoidance);
    if (rng.chance(covidShort)) scatter(rng.range(1, 10), STATUS.absent, () => REASON.covidAvoidance);

    const episodes = rng.poisson(ABSENCE.illnessEpisodes[level] * pop.absenceProneness[i] * school.absenceFactor);
    for (let e = 0; e < episodes; e++) {
      let start = rng.int(D);
      while (!rng.chance(ILLNESS_BY_MONTH[months[start]] / ILLNESS_MAX)) start = rng.int(D);
      const u = rng.next();
      run(
        start,
        1 + rng.geometric(0.5),
        STATUS.absent,
        u < 0.82 ? REASON.illness : u < 0.92 ? REASON.other : REASON.none,
      );
    }
    if (trendPerDay > 0)
      scatter(rng.poisson(trendPerDay * D), STATUS.absent, () => (rng.chance(0.5) ? REASON.illness : REASON.other));

    const lateMean = ABSENCE.late[level] * (inState ? 2 : 1);
    scatter(rng.poisson(rng.lognormalWithMean(lateMean, 1)), STATUS.late, () => REASON.none);
    scatter(rng.poisson(rng.lognormalWithMean(ABSENCE.earlyLeave[level], 1)), STATUS.earlyLeave, () => REASON.none);
  }
  return { days, students, status, reason, futoko };
}

/** Per-student totals of a grid (the 指導要録 grain). */
export interface StudentTotals {
  absent: Uint16Array;
  excused: Uint16Array;
  countedPresent: Uint16Array;
  /** absentByReason[k * 6 + reasonCode]. */
  absentByReason: Uint16Array;
}

export function totalsOf(grid: SchoolYearGrid): StudentTotals {
  const D = grid.days.length;
  const n = grid.students.length;
  const totals: StudentTotals = {
    absent: new Uint16Array(n),
    excused: new Uint16Array(n),
    countedPresent: new Uint16Array(n),
    absentByReason: new Uint16Array(n * 6),
  };
  for (let k = 0; k < n; k++) {
    for (let c = k * D, end = c + D; c < end; c++) {
      const s = grid.status[c];
      if (s === STATUS.absent) {
        totals.absent[k]++;
        totals.absentByReason[k * 6 + grid.reason[c]]++;
      } else if (s === STATUS.suspension || s === STATUS.mourning || s === STATUS.closure) totals.excused[k]++;
      else if (s === STATUS.countedPresent) totals.countedPresent[k]++;
    }
  }
  return totals;
}
