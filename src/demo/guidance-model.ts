/**
 * guidance_records.csv: the 生徒指導 (seito shidō, student guidance) records teachers keep, from
 * which the problem-behaviour survey's bullying (いじめ, ijime) and violence (暴力行為, bōryoku
 * kōi) counts come. One row per case; for bullying the student is the victim (MEXT counts
 * recognised cases by the victim's grade), for violence and other cases the student involved.
 *
 * type_code for bullying is the MEXT いじめの態様 (ijime no taiyō, form of bullying) code:
 *   1 冷やかしやからかい、悪口や脅し文句、嫌なことを言われる (teasing, insults, threats)
 *   2 仲間はずれ、集団による無視をされる (exclusion, being ignored by a group)
 *   3 軽くぶつかられたり、遊ぶふりをして叩かれたり、蹴られたりする (light hitting "in play")
 *   4 ひどくぶつかられたり、叩かれたり、蹴られたりする (serious hitting or kicking)
 *   5 金品をたかられる (being made to hand over money or goods)
 *   6 金品を隠されたり、盗まれたり、壊されたり、捨てられたりする (belongings hidden, stolen, broken)
 *   7 嫌なことや恥ずかしいこと、危険なことをされたり、させられたりする (made to do humiliating or dangerous things)
 *   8 パソコンや携帯電話等で、ひぼう・中傷や嫌なことをされる (online abuse)
 *   9 その他 (other)
 * MEXT lets one case have several forms; here each case records its main one.
 *
 * discovered_by (発見のきっかけ, how the case came to light), in MEXT's categories:
 *   found by school staff:
 *     homeroom_teacher  学級担任が発見
 *     other_staff       学級担任以外の教職員が発見
 *     school_nurse      養護教諭が発見
 *     counsellor        スクールカウンセラー等の相談員が発見
 *     survey            アンケート調査など学校の取組により発見 (the school's regular questionnaires)
 *   told by others:
 *     self_report       本人からの訴え (the victim told someone)
 *     parent            本人の保護者からの訴え (the victim's parent told the school)
 *     peer              児童生徒（本人を除く）からの情報 (another student told)
 *     other_parent      保護者（本人の保護者を除く）からの情報
 *     community         地域の住民からの情報
 *     agency            学校以外の関係機関からの情報
 *     other             その他（匿名による投書など）
 * serious = 重大事態 (jūdai jitai, a serious case under the Act for Promoting Measures to Prevent Bullying).
 *
 * type_code for violence is the form and the place, `<form>_<place>`: form teacher (対教師暴力), student
 * (生徒間暴力), person (対人暴力), property (器物損壊); place in (学校の管理下) or out (管理下以外).
 */
import type { SchoolYearGrid } from './attendance-model.js';
import type { BufferedFileWriter } from './buffered-writer.js';
import { formatDate } from './calendar.js';
import { GUIDANCE } from './demo-parameters.js';
import type { PlannedSchool } from './municipality-plan.js';
import type { Population } from './population.js';
import { Rng } from './random.js';
import { STREAM } from './streams.js';
import { gradeCode } from './year-roster.js';

export const GUIDANCE_HEADER = 'school_code,student_id,recorded_on,category,type_code,discovered_by,resolved,serious';

/** Shares of the forms 1–9 (elementary, junior high), near MEXT FY2023. */
const TYPE_WEIGHTS = [
  [0.57, 0.12, 0.25, 0.06, 0.01, 0.055, 0.09, 0.02, 0.04],
  [0.62, 0.09, 0.14, 0.05, 0.01, 0.05, 0.08, 0.1, 0.03],
];
export const DISCOVERED_BY = [
  'homeroom_teacher',
  'other_staff',
  'school_nurse',
  'counsellor',
  'survey',
  'self_report',
  'parent',
  'peer',
  'other_parent',
  'community',
  'agency',
  'other',
] as const;
/** Near MEXT FY2023 (one draw per case, whatever the number of categories). */
const DISCOVERED_WEIGHTS = [0.09, 0.015, 0.004, 0.003, 0.52, 0.18, 0.11, 0.04, 0.01, 0.002, 0.003, 0.023];
/** 暴力行為の形態 and 学校の管理下 or not: shares near MEXT FY2023 (elementary and junior high alike). */
export const VIOLENCE_FORMS = ['teacher', 'student', 'person', 'property'] as const;
const VIOLENCE_FORM_WEIGHTS = [0.13, 0.7, 0.02, 0.15];
const VIOLENCE_IN_SCHOOL = 0.95;

interface GuidanceCase {
  day: number;
  k: number;
  category: 'bullying' | 'violence' | 'other';
  typeCode: number;
  /** violence only: `<form>_<place>`. */
  violenceCode: string;
  discoveredBy: string;
  resolved: boolean;
  serious: boolean;
}

/** Bullying records keyed `grade|type_code`. */
export type BullyingCounts = Map<string, number>;

/** What one school-year's guidance records add up to, for truth.json. */
export interface GuidanceTally {
  /** Bullying records keyed `grade|type_code`. */
  bullying: BullyingCounts;
  /** Bullying cases (one student, one day) keyed `grade|found_by|resolution|serious`. */
  bullyingCases: Map<string, number>;
  /** Violence records keyed `form|place`. */
  violence: Map<string, number>;
  /** Students with a violence record keyed `grade|sex`. */
  violenceStudents: Map<string, number>;
}

export async function writeGuidanceRows(
  out: BufferedFileWriter,
  fy: number,
  school: PlannedSchool,
  grid: SchoolYearGrid,
  pop: Population,
  seed: number,
  studentIdOf: (k: number) => string,
  /** Planted drifting students (drift-model.ts); one with a bullying day is its victim that day: exclusion (2), self-reported, unresolved. */
  planted: readonly { k: number; bullyingDay: number }[] = [],
): Promise<GuidanceTally> {
  const rng = Rng.stream(seed, STREAM.guidance, school.index, fy);
  // The form and place of violence come from their own stream: the other draws stay as they were.
  const violenceRng = Rng.stream(seed, STREAM.violenceForm, school.index, fy);
  const n = grid.students.length;
  const D = grid.days.length;
  const counts: BullyingCounts = new Map();
  const tally: GuidanceTally = {
    bullying: counts,
    bullyingCases: new Map(),
    violence: new Map(),
    violenceStudents: new Map(),
  };
  if (n === 0 || D === 0) return tally;
  const level = school.type === 'elementary' ? 0 : 1;

  // Register positions by grade, to pick a victim by the grade profile.
  const byGrade: number[][] = Array.from({ length: 9 }, () => []);
  for (let k = 0; k < n; k++) byGrade[pop.gradeIn(grid.students[k], fy)].push(k);
  const gradeWeights = byGrade.map((members, g) => (members.length ? GUIDANCE.gradeWeights[g] * members.length : 0));
  const pickStudent = (weighted: boolean): number => {
    if (!weighted) return rng.int(n);
    const members = byGrade[rng.weighted(gradeWeights)];
    return members[rng.int(members.length)];
  };

  const cases: GuidanceCase[] = [];
  const bullying = rng.poisson(n * GUIDANCE.bullying[level] * school.bullyingRecognition);
  for (let c = 0; c < bullying; c++) {
    const day = rng.int(D);
    // Cases found late in the year are less often resolved by the year's end.
    const resolvedChance = day > D * 0.8 ? GUIDANCE.resolved - 0.2 : GUIDANCE.resolved;
    cases.push({
      day,
      k: pickStudent(true),
      category: 'bullying',
      typeCode: 1 + rng.weighted(TYPE_WEIGHTS[level]),
      violenceCode: '',
      discoveredBy: DISCOVERED_BY[rng.weighted(DISCOVERED_WEIGHTS)],
      resolved: rng.chance(resolvedChance),
      serious: rng.chance(GUIDANCE.serious),
    });
  }
  for (const [category, rate] of [
    ['violence', GUIDANCE.violence[level]],
    ['other', GUIDANCE.other[level]],
  ] as const) {
    const count = rng.poisson(n * rate);
    for (let c = 0; c < count; c++) {
      cases.push({
        day: rng.int(D),
        k: pickStudent(false),
        category,
        typeCode: 0,
        violenceCode:
          category === 'violence'
            ? `${VIOLENCE_FORMS[violenceRng.weighted(VIOLENCE_FORM_WEIGHTS)]}_${violenceRng.chance(VIOLENCE_IN_SCHOOL) ? 'in' : 'out'}`
            : '',
        discoveredBy: rng.chance(0.8) ? 'teacher' : 'other',
        resolved: rng.chance(0.85),
        serious: false,
      });
    }
  }
  // Planted cases draw nothing: every other draw stays as it was.
  for (const p of planted) {
    if (p.bullyingDay < 0) continue;
    cases.push({
      day: p.bullyingDay,
      k: p.k,
      category: 'bullying',
      typeCode: 2,
      violenceCode: '',
      discoveredBy: 'self_report',
      resolved: false,
      serious: false,
    });
  }
  cases.sort((a, b) => a.day - b.day || a.k - b.k);

  // The ingest's natural key is student + date + category + type: a case drawn twice on the same key
  // (a few at prefecture scale) is one record, written and counted once.
  const written = new Set<string>();
  // Bullying cases as the ingest sees them: the records of one student and day are one case.
  const bullyingCases = new Map<string, { grade: string; foundBy: string; resolved: boolean; serious: boolean }>();
  const violenceStudents = new Map<number, string>();
  for (const c of cases) {
    const type = c.category === 'bullying' ? String(c.typeCode) : c.violenceCode;
    const key = `${c.k}|${c.day}|${c.category}|${type}`;
    if (written.has(key)) continue;
    written.add(key);
    const row = `${school.code},${studentIdOf(c.k)},${formatDate(grid.days[c.day])},${c.category},${type},${c.discoveredBy},${c.resolved},${c.serious}`;
    if (out.line(row)) await out.drain();
    const grade = gradeCode(pop.gradeIn(grid.students[c.k], fy));
    if (c.category === 'bullying') {
      const key = `${grade}|${c.typeCode}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const caseKey = `${c.k}|${c.day}`;
      const known = bullyingCases.get(caseKey);
      // As the metric reads several records of one case: the first how-found by code, resolved only if all are.
      if (!known)
        bullyingCases.set(caseKey, { grade, foundBy: c.discoveredBy, resolved: c.resolved, serious: c.serious });
      else {
        if (c.discoveredBy < known.foundBy) known.foundBy = c.discoveredBy;
        known.resolved &&= c.resolved;
        known.serious ||= c.serious;
      }
    } else if (c.category === 'violence') {
      const [form, place] = c.violenceCode.split('_');
      const key = `${form}|${place === 'in' ? 'in_school' : 'outside_school'}`;
      tally.violence.set(key, (tally.violence.get(key) ?? 0) + 1);
      violenceStudents.set(c.k, `${grade}|${SEXES[pop.sex[grid.students[c.k]]]}`);
    }
  }
  for (const c of bullyingCases.values()) {
    const key = `${c.grade}|${c.foundBy}|${c.resolved ? 'resolved' : 'in_progress'}|${c.serious}`;
    tally.bullyingCases.set(key, (tally.bullyingCases.get(key) ?? 0) + 1);
  }
  for (const key of violenceStudents.values())
    tally.violenceStudents.set(key, (tally.violenceStudents.get(key) ?? 0) + 1);
  return tally;
}

const SEXES = ['male', 'female'] as const;
