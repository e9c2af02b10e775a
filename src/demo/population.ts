/**
 * Every student who is enrolled in any of the generated years, created up front cohort by
 * cohort and kept in typed arrays (~50 bytes a student), so 500,000 students cost ~30 MB.
 *
 * A cohort is the students who enter P1 (小学1年) in the same academic year at the same elementary
 * school; in P6 most of them move on together to the junior high of their district, a few leave
 * for a private junior high. Grade in a year = year − entry year (0 = P1 ... 8 = J3).
 */
import { dayNumber } from './calendar.js';
import { FIRST_JUNIOR_HIGH_GRADE, ROSTER } from './demo-parameters.js';
import type { MunicipalityPlan } from './municipality-plan.js';
import { BOYS_NAMES, FAMILY_NAMES, GIRLS_NAMES } from './names.js';
import { apportion, Rng } from './random.js';
import { STREAM } from './streams.js';

export const SUBJECT_SLOTS = 3; // japanese, math, english: one latent score chain each

export class Population {
  readonly count: number;
  /** Academic year in which the student entered P1. */
  readonly entryYear: Int16Array;
  readonly elementary: Int32Array;
  /** The junior high the student moves on to, or −1 when they leave the board's schools after P6. */
  readonly juniorHigh: Int32Array;
  /** 0 male, 1 female. */
  readonly sex: Uint8Array;
  readonly familyName: Uint16Array;
  readonly givenName: Uint16Array;
  /** Days after 2 April of the birth year window (see birthDay). */
  readonly birthOffset: Uint16Array;
  readonly specialNeeds: Uint8Array;
  /** Multiplier on short-absence rates (mean 1, heavy-tailed). */
  readonly absenceProneness: Float32Array;
  /** Standard-normal academic ability, shared by all subjects. */
  readonly ability: Float32Array;
  readonly appUse: Float32Array;
  /** 不登校 state in the last year the student was seen: 0 no, 1 yes, 255 not seen yet. */
  readonly futoko: Uint8Array;
  /** Share of days away while in the state (kept from year to year: a student's pattern persists). */
  readonly futokoIntensity: Float32Array;
  /** Latent score per subject slot (NaN until the first tested grade). */
  readonly latent: Float32Array;

  constructor(count: number) {
    this.count = count;
    this.entryYear = new Int16Array(count);
    this.elementary = new Int32Array(count);
    this.juniorHigh = new Int32Array(count);
    this.sex = new Uint8Array(count);
    this.familyName = new Uint16Array(count);
    this.givenName = new Uint16Array(count);
    this.birthOffset = new Uint16Array(count);
    this.specialNeeds = new Uint8Array(count);
    this.absenceProneness = new Float32Array(count);
    this.ability = new Float32Array(count);
    this.appUse = new Float32Array(count);
    this.futoko = new Uint8Array(count).fill(255);
    this.futokoIntensity = new Float32Array(count);
    this.latent = new Float32Array(count * SUBJECT_SLOTS).fill(Number.NaN);
  }

  /** Grade index (0 = P1 ... 8 = J3) in an academic year; outside 0–8 the student is not at school. */
  gradeIn(student: number, fy: number): number {
    return fy - this.entryYear[student];
  }

  /** The school the student attends in an academic year, or −1. */
  schoolIn(student: number, fy: number): number {
    const grade = fy - this.entryYear[student];
    if (grade < 0 || grade > 8) return -1;
    return grade < FIRST_JUNIOR_HIGH_GRADE ? this.elementary[student] : this.juniorHigh[student];
  }

  /**
   * Birth date: children born 2 April of year Y to 1 April of Y + 1 are in the same grade
   * (学齢, gakurei), and enter P1 in the April after they turn 6, i.e. the year they turn 7.
   */
  birthDay(student: number): number {
    return dayNumber(this.entryYear[student] - 7, 4, 2) + this.birthOffset[student];
  }

  givenNameOf(student: number): { kanji: string; kana: string } {
    return (this.sex[student] === 0 ? BOYS_NAMES : GIRLS_NAMES)[this.givenName[student]];
  }

  familyNameOf(student: number): { kanji: string; kana: string } {
    return FAMILY_NAMES[this.familyName[student]];
  }
}

/** Cohort sizes per (entry year, elementary school) such that the last year's enrolment is exact. */
function planCohorts(
  plan: MunicipalityPlan,
  students: number,
  rng: Rng,
): { firstEntry: number; sizes: number[][]; leavers: number[][] } {
  const years = plan.academicYears;
  const last = years[years.length - 1];
  const firstEntry = years[0] - 8;
  const elementary = plan.schools.filter((s) => s.type === 'elementary');
  const stay = 1 - ROSTER.privateJuniorHighShare;
  // Expected cohort total T(c) = k · shrink^(c − last); pick k so that the last year holds `students`.
  let unit = 0;
  for (let g = 0; g <= 8; g++) unit += Math.pow(ROSTER.cohortShrink, -g) * (g < FIRST_JUNIOR_HIGH_GRADE ? 1 : stay);
  const k = students / unit;

  const sizes: number[][] = [];
  for (let c = firstEntry; c <= last; c++) {
    const total = Math.round(k * Math.pow(ROSTER.cohortShrink, c - last));
    const weights = elementary.map((s) => Math.max(0.05, s.weight * (1 + 0.1 * rng.normal())));
    sizes.push(apportion(total, weights));
  }
  const leaversOf = (row: number[]): number[] => row.map((n) => Math.round(n * ROSTER.privateJuniorHighShare));
  const enrolledLastYear = (): number => {
    let sum = 0;
    for (let c = last - 8; c <= last; c++) {
      const row = sizes[c - firstEntry];
      const leavers = leaversOf(row);
      row.forEach((n, e) => (sum += last - c >= FIRST_JUNIOR_HIGH_GRADE ? n - leavers[e] : n));
    }
    return sum;
  };
  // Rounding leaves the total a few students off: the newest cohort (P1 in the last year) absorbs it.
  const newest = sizes[sizes.length - 1];
  const newestTotal = Math.max(0, newest.reduce((s, n) => s + n, 0) + students - enrolledLastYear());
  sizes[sizes.length - 1] = apportion(
    newestTotal,
    elementary.map((s) => s.weight),
  );
  return { firstEntry, sizes, leavers: sizes.map(leaversOf) };
}

export function createPopulation(plan: MunicipalityPlan, students: number, seed: number): Population {
  const rng = Rng.stream(seed, STREAM.population);
  const { firstEntry, sizes, leavers } = planCohorts(plan, students, rng);
  const elementary = plan.schools.filter((s) => s.type === 'elementary');
  const total = sizes.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const pop = new Population(total);
  let next = 0;
  sizes.forEach((row, ci) => {
    const entry = firstEntry + ci;
    const birthWindow = dayNumber(entry - 6, 4, 2) - dayNumber(entry - 7, 4, 2);
    row.forEach((size, e) => {
      const school = elementary[e];
      const leaving = new Set<number>();
      while (leaving.size < leavers[ci][e]) leaving.add(rng.int(size));
      for (let m = 0; m < size; m++) {
        const i = next++;
        pop.entryYear[i] = entry;
        pop.elementary[i] = school.index;
        pop.juniorHigh[i] = leaving.has(m) ? -1 : school.juniorHigh;
        pop.sex[i] = rng.chance(0.512) ? 0 : 1; // 105 boys to 100 girls at birth
        pop.familyName[i] = rng.int(FAMILY_NAMES.length);
        pop.givenName[i] = rng.int(pop.sex[i] === 0 ? BOYS_NAMES.length : GIRLS_NAMES.length);
        pop.birthOffset[i] = rng.int(birthWindow);
        pop.specialNeeds[i] = rng.chance(ROSTER.specialNeedsShare) ? 1 : 0;
        pop.absenceProneness[i] = rng.lognormalWithMean(1, 0.65);
        pop.ability[i] = rng.normal();
        pop.appUse[i] = rng.lognormalWithMean(1, 0.7);
      }
    });
  });
  return pop;
}
