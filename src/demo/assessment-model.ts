/**
 * The municipal achievement test (市町村学力調査), one sitting a year in January, japanese and
 * math for P3–P6 and J1–J3, english too in junior high; scores 0–100.
 *
 * Each student carries a latent score per subject that moves year to year as
 *   L(t) = mean + persistence · (L(t−1) − mean) + valueAdded(school) + noise,
 * and the written score is L plus a year effect common to all schools, rounded and clipped. That
 * is exactly "current score = what the prior score predicts + the school's value added", so a
 * value-added model recovers the planted high-growth schools. Students first seen above their
 * first tested grade get a simulated history, so every year starts from the steady state.
 */
import { STATUS } from './attendance-codes.js';
import type { SchoolYearGrid } from './attendance-model.js';
import type { BufferedFileWriter } from './buffered-writer.js';
import { civilDate, formatDate } from './calendar.js';
import { ASSESSMENT, FIRST_JUNIOR_HIGH_GRADE } from './demo-parameters.js';
import type { MunicipalityPlan, PlannedSchool } from './municipality-plan.js';
import { type Population, SUBJECT_SLOTS } from './population.js';
import { Rng } from './random.js';
import { STREAM } from './streams.js';
import { gradeCode } from './year-roster.js';

export const SUBJECTS = ['japanese', 'math', 'english'] as const;
export type Subject = (typeof SUBJECTS)[number];
/** First tested grade per subject slot: P3 for japanese and math, J1 for english. */
const FIRST_GRADE = [2, 2, FIRST_JUNIOR_HIGH_GRADE];

export const ASSESSMENT_HEADER = 'school_code,student_id,assessment_id,subject,administered_on,score,max_score';

/** Subject slots tested in a grade. */
export function subjectSlotsOf(grade: number): number[] {
  return [0, 1, 2].filter((slot) => grade >= FIRST_GRADE[slot] && grade <= 8);
}

const NOISE_SD = ASSESSMENT.sd * Math.sqrt(1 - ASSESSMENT.persistence * ASSESSMENT.persistence);

function firstScore(rng: Rng, ability: number): number {
  return ASSESSMENT.mean + ASSESSMENT.sd * (0.75 * ability + 0.66 * rng.normal());
}

/** One year of growth from a standard-normal draw `z`. */
function grow(z: number, latent: number, valueAdded: number): number {
  return ASSESSMENT.mean + ASSESSMENT.persistence * (latent - ASSESSMENT.mean) + valueAdded + NOISE_SD * z;
}

/** The sitting: the first school day on or after 15 January, a few days later at some schools. */
function testDay(days: Int32Array, fy: number, rng: Rng): number {
  const jitter = rng.int(4);
  const first = days.findIndex((d) => {
    const { year, month, day } = civilDate(d);
    return year === fy + 1 && (month > 1 || day >= 15);
  });
  return first < 0 ? days.length - 1 : Math.min(days.length - 1, first + jitter);
}

export interface AssessmentContext {
  fy: number;
  school: PlannedSchool;
  plan: MunicipalityPlan;
  grid: SchoolYearGrid;
  pop: Population;
  seed: number;
  /** Points of value added per year at high-growth schools (0 without planted effects). */
  valueAddedPoints: number;
  /** student_id to write for the k-th student of the register. */
  studentIdOf: (k: number) => string;
}

/** Sums for assessment.mean_score, keyed `grade|subject`. */
export type ScoreSums = Map<string, { sum: number; count: number }>;

export async function writeAssessmentRows(out: BufferedFileWriter, ctx: AssessmentContext): Promise<ScoreSums> {
  const { fy, school, plan, grid, pop, seed } = ctx;
  const latentRng = Rng.stream(seed, STREAM.assessment, school.index, fy);
  const sitRng = Rng.stream(seed, STREAM.assessment, school.index, fy, 1);
  const yearEffect = 1.5 * Rng.stream(seed, STREAM.assessmentYear, fy).normal();
  const valueAddedAt = (schoolIndex: number): number =>
    schoolIndex >= 0 && plan.schools[schoolIndex].highGrowth ? ctx.valueAddedPoints : 0;
  const D = grid.days.length;
  const day = testDay(grid.days, fy, sitRng);
  const date = formatDate(grid.days[day]);
  const sums: ScoreSums = new Map();

  // Growth noise, centred within the school, year and subject: the school's realised value added
  // is then exactly the planted one (0 or +valueAddedPoints) instead of planted ± sampling luck,
  // while each student's growth still varies as much as before.
  const noise = SUBJECTS.map(() => [] as number[]);
  for (let k = 0; k < grid.students.length; k++) {
    const i = grid.students[k];
    for (const slot of subjectSlotsOf(pop.gradeIn(i, fy)))
      if (!Number.isNaN(pop.latent[i * SUBJECT_SLOTS + slot])) noise[slot].push(latentRng.normal());
  }
  for (const draws of noise) {
    if (draws.length < 2) continue;
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const scale = Math.sqrt(draws.length / (draws.length - 1));
    for (let m = 0; m < draws.length; m++) draws[m] = (draws[m] - mean) * scale;
  }
  const used = [0, 0, 0];

  for (let k = 0; k < grid.students.length; k++) {
    const i = grid.students[k];
    const grade = pop.gradeIn(i, fy);
    const slots = subjectSlotsOf(grade);
    if (slots.length === 0) continue;
    for (const slot of slots) {
      const at = i * SUBJECT_SLOTS + slot;
      let latent = pop.latent[at];
      if (Number.isNaN(latent)) {
        // First seen in a tested grade: replay the years before the data from the first tested grade.
        const history = Rng.stream(seed, STREAM.scoreHistory, i, slot);
        latent = firstScore(history, pop.ability[i]);
        for (let g = FIRST_GRADE[slot] + 1; g <= grade; g++) {
          const schoolThen = g < FIRST_JUNIOR_HIGH_GRADE ? pop.elementary[i] : pop.juniorHigh[i];
          latent = grow(history.normal(), latent, valueAddedAt(schoolThen));
        }
      } else {
        latent = grow(noise[slot][used[slot]++], latent, valueAddedAt(school.index));
      }
      pop.latent[at] = latent;
    }
    const statusThatDay = grid.status[k * D + day];
    const there =
      statusThatDay === STATUS.present || statusThatDay === STATUS.late || statusThatDay === STATUS.earlyLeave;
    const sits =
      there &&
      (!pop.specialNeeds[i] || sitRng.chance(ASSESSMENT.specialNeedsSitting)) &&
      !sitRng.chance(ASSESSMENT.randomMiss);
    if (!sits) continue;
    const code = gradeCode(grade);
    for (const slot of slots) {
      const subject = SUBJECTS[slot];
      const score = Math.min(100, Math.max(0, Math.round(pop.latent[i * SUBJECT_SLOTS + slot] + yearEffect)));
      if (
        out.line(`${school.code},${ctx.studentIdOf(k)},muni-${fy}-${code}-${subject},${subject},${date},${score},100`)
      )
        await out.drain();
      const key = `${code}|${subject}`;
      const cell = sums.get(key) ?? { sum: 0, count: 0 };
      cell.sum += score;
      cell.count++;
      sums.set(key, cell);
    }
  }
  return sums;
}
