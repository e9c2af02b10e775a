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
 * discovered_by (発見のきっかけ, how the case came to light):
 *   survey       アンケート調査など学校の取組 (the school's regular questionnaires)
 *   self_report  本人からの訴え (the victim told someone)
 *   teacher      学級担任・教職員が発見 (a teacher noticed)
 *   parent       保護者からの訴え (a parent told the school)
 *   peer         児童生徒（本人を除く）からの情報 (another student told)
 *   other        その他 (anyone else: community, counsellors ...)
 * serious = 重大事態 (jūdai jitai, a serious case under the Act for Promoting Measures to Prevent Bullying).
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
export const DISCOVERED_BY = ['survey', 'self_report', 'teacher', 'parent', 'peer', 'other'] as const;
const DISCOVERED_WEIGHTS = [0.52, 0.18, 0.11, 0.11, 0.04, 0.04];

interface GuidanceCase {
  day: number;
  k: number;
  category: 'bullying' | 'violence' | 'other';
  typeCode: number;
  discoveredBy: string;
  resolved: boolean;
  serious: boolean;
}

/** Bullying cases keyed `grade|type_code`. */
export type BullyingCounts = Map<string, number>;

export async function writeGuidanceRows(
  out: BufferedFileWriter,
  fy: number,
  school: PlannedSchool,
  grid: SchoolYearGrid,
  pop: Population,
  seed: number,
  studentIdOf: (k: number) => string,
): Promise<BullyingCounts> {
  const rng = Rng.stream(seed, STREAM.guidance, school.index, fy);
  const n = grid.students.length;
  const D = grid.days.length;
  const counts: BullyingCounts = new Map();
  if (n === 0 || D === 0) return counts;
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
        discoveredBy: rng.chance(0.8) ? 'teacher' : 'other',
        resolved: rng.chance(0.85),
        serious: false,
      });
    }
  }
  cases.sort((a, b) => a.day - b.day || a.k - b.k);

  // The ingest's natural key is student + date + category + type: a case drawn twice on the same key
  // (a few at prefecture scale) is one record, written and counted once.
  const written = new Set<string>();
  for (const c of cases) {
    const type = c.category === 'bullying' ? String(c.typeCode) : '';
    const key = `${c.k}|${c.day}|${c.category}|${type}`;
    if (written.has(key)) continue;
    written.add(key);
    const row = `${school.code},${studentIdOf(c.k)},${formatDate(grid.days[c.day])},${c.category},${type},${c.discoveredBy},${c.resolved},${c.serious}`;
    if (out.line(row)) await out.drain();
    if (c.category === 'bullying') {
      const key = `${gradeCode(pop.gradeIn(grid.students[c.k], fy))}|${c.typeCode}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}
