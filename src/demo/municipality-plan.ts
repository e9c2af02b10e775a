/**
 * The fixed facts of the synthetic municipality, decided before any student exists: its schools
 * (codes, names, sizes, which elementary schools feed which junior high), which schools adopt the
 * programmes and when, and which schools are planted as high growth.
 */
import { makeSchoolCode } from '../schools/school-code.js';
import { academicYearBounds, formatDate } from './calendar.js';
import { FUTOKO, MUNICIPALITY, PLANTED, ROSTER } from './demo-parameters.js';
import type { NormalizedDemoOptions } from './demo-options.js';
import { schoolPlaceName } from './names.js';
import { Rng, stableUuid } from './random.js';
import { ID_KEY, STREAM } from './streams.js';

export type SchoolType = 'elementary' | 'junior_high';

export interface PlannedSchool {
  index: number;
  code: string;
  sourcedId: string;
  name: string;
  type: SchoolType;
  /** Relative size of an elementary school's cohorts (junior high: the sum over its feeders). */
  weight: number;
  /** Elementary: the junior high its P6 leavers go to (学区, gakku). Junior high: its feeders. */
  juniorHigh: number;
  feeders: number[];
  /** Persistent school character, as multipliers with mean 1. */
  absenceFactor: number;
  futokoFactor: number;
  bullyingRecognition: number;
  appUse: number;
  /** assessments.csv identifies students of this school by their e-portal ID instead of sourcedId. */
  assessmentIdIsEPortal: boolean;
  highGrowth: boolean;
}

export interface ProgrammeAdoption {
  schoolIndex: number;
  startDate: string;
  endDate: string;
  /** Academic year of start_date. */
  academicYear: number;
}

export interface PlannedProgramme {
  programmeId: string;
  name: string;
  adoptions: ProgrammeAdoption[];
}

export interface MunicipalityPlan {
  districtSourcedId: string;
  schools: PlannedSchool[];
  academicYears: number[];
  /** The programme with the planted attendance effect (staggered adoption). */
  supportRoom: PlannedProgramme;
  /** An older programme with no effect, adopted before the first year (some schools have left it). */
  ictModel: PlannedProgramme;
  /** Adoption year of the support-room programme by school index (undefined = never). */
  adoptionYear: (number | undefined)[];
}

/** Acklam's rational approximation of the standard normal quantile (|error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number): number =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * Elementary cohort weights from evenly spaced quantiles of a log-normal, shuffled: every run has
 * the full spread, from tiny rural schools to large ones, instead of whatever a few draws give.
 */
function elementaryWeights(count: number, rng: Rng): number[] {
  const [lo, hi] = ROSTER.schoolSizeClamp;
  const weights = Array.from({ length: count }, (_, i) => {
    const z = Math.min(hi, Math.max(lo, normalQuantile((i + 0.5) / count)));
    return Math.exp(ROSTER.schoolSizeSigma * z);
  });
  rng.shuffle(weights);
  return weights;
}

/**
 * Feeder districts: the smallest elementary schools each feed a junior high of their own (the
 * rural village school pair, giving tiny junior highs); the others go, largest first, to the
 * junior high with the smallest intake so far.
 */
function assignFeeders(elementary: number[], juniorCount: number, rng: Rng): number[] {
  const target = new Array<number>(elementary.length).fill(0);
  if (juniorCount === 1) return target;
  const juniorOrder = Array.from({ length: juniorCount }, (_, j) => j);
  rng.shuffle(juniorOrder);
  const rural = Math.max(1, Math.round(juniorCount * 0.15));
  const bySize = elementary.map((w, i) => ({ w, i })).sort((p, q) => p.w - q.w || p.i - q.i);
  bySize.slice(0, rural).forEach(({ i }, k) => (target[i] = juniorOrder[k]));
  const open = juniorOrder.slice(rural);
  const intake = new Map(open.map((j) => [j, 0]));
  for (const { w, i } of bySize.slice(rural).reverse()) {
    let best = open[0];
    for (const j of open)
      if (
        (intake.get(j) ?? 0) < (intake.get(best) ?? 0) ||
        ((intake.get(j) ?? 0) === (intake.get(best) ?? 0) && j < best)
      )
        best = j;
    target[i] = best;
    intake.set(best, (intake.get(best) ?? 0) + w);
  }
  return target;
}

/** Within each school type, deals the shuffled schools round-robin into groups. */
function stratifiedGroups(schools: PlannedSchool[], groups: number, rng: Rng): number[] {
  const group = new Array<number>(schools.length).fill(0);
  for (const type of ['elementary', 'junior_high'] as const) {
    const ofType = schools.filter((s) => s.type === type).map((s) => s.index);
    rng.shuffle(ofType);
    ofType.forEach((index, k) => (group[index] = k % groups));
  }
  return group;
}

export function planMunicipality(options: NormalizedDemoOptions): MunicipalityPlan {
  const { schools: n, seed, years, lastAcademicYear } = options;
  const rng = Rng.stream(seed, STREAM.plan);
  const academicYears = Array.from({ length: years }, (_, i) => lastAcademicYear - years + 1 + i);
  const elementaryCount = Math.max(1, Math.min(n - 1, Math.round((n * 2) / 3)));
  const juniorCount = n - elementaryCount;
  const weights = elementaryWeights(elementaryCount, rng);
  const feederTarget = assignFeeders(weights, juniorCount, rng);

  const schools: PlannedSchool[] = [];
  const make = (type: SchoolType, k: number, weight: number, juniorHigh: number): PlannedSchool => {
    const index = schools.length;
    const elementary = type === 'elementary';
    return {
      index,
      code: makeSchoolCode({
        type: elementary ? 'B1' : 'C1',
        prefecture: MUNICIPALITY.prefectureCode,
        founder: 2,
        number: (elementary ? MUNICIPALITY.elementaryNumberBase : MUNICIPALITY.juniorHighNumberBase) + k + 1,
      }),
      sourcedId: stableUuid(hashOf(seed, ID_KEY.org), index + 1),
      name: `${MUNICIPALITY.cityName}立${schoolPlaceName(k)}${elementary ? '小学校' : '中学校'}`,
      type,
      weight,
      juniorHigh,
      feeders: [],
      absenceFactor: rng.lognormalWithMean(1, 0.2),
      futokoFactor: rng.lognormalWithMean(1, FUTOKO.districtSigma),
      bullyingRecognition: rng.lognormalWithMean(1, 0.4),
      appUse: rng.lognormalWithMean(1, 0.4),
      assessmentIdIsEPortal: index % 2 === 1,
      highGrowth: false,
    };
  };
  weights.forEach((w, k) => schools.push(make('elementary', k, w, elementaryCount + feederTarget[k])));
  for (let k = 0; k < juniorCount; k++) schools.push(make('junior_high', k, 0, -1));
  for (const school of schools.slice(0, elementaryCount)) {
    const junior = schools[school.juniorHigh];
    junior.feeders.push(school.index);
    junior.weight += school.weight * (1 - ROSTER.privateJuniorHighShare);
  }
  // The 不登校 multiplier belongs to the district, so a student keeps it when moving to junior high
  // and each grade's share stays the same from year to year (no drift that could mimic an effect).
  for (const school of schools.slice(0, elementaryCount)) school.futokoFactor = schools[school.juniorHigh].futokoFactor;

  // Recognition varies by school, but each school type averages exactly 1, so the national gap
  // between elementary and junior high recognition rates shows even in a 12-school demo.
  for (const type of ['elementary', 'junior_high'] as const) {
    const ofType = schools.filter((s) => s.type === type);
    const mean = ofType.reduce((sum, s) => sum + s.bullyingRecognition, 0) / ofType.length;
    for (const s of ofType) s.bullyingRecognition /= mean;
  }

  if (options.plantedEffects) plantHighGrowth(schools, options.students, rng);

  const adoptionYear = planSupportRoom(schools, academicYears, rng);
  const supportRoom: PlannedProgramme = {
    programmeId: 'prog-support-room',
    name: '校内教育支援センター設置事業',
    adoptions: schools.flatMap((s) => {
      const fy = adoptionYear[s.index];
      return fy === undefined
        ? []
        : [
            {
              schoolIndex: s.index,
              startDate: formatDate(academicYearBounds(fy).first),
              endDate: '',
              academicYear: fy,
            },
          ];
    }),
  };
  const ictModel = planIctModel(schools, academicYears[0], rng);
  return {
    districtSourcedId: stableUuid(hashOf(seed, ID_KEY.org), 0),
    schools,
    academicYears,
    supportRoom,
    ictModel,
    adoptionYear,
  };
}

function hashOf(seed: number, key: number): number {
  return Rng.stream(seed, STREAM.ids, key).nextUint32();
}

/** ~10% of schools (at least 2 with 8+ schools), among those big enough that growth is measured well. */
function plantHighGrowth(schools: PlannedSchool[], students: number, rng: Rng): void {
  const wanted = Math.min(
    Math.max(2, Math.round(schools.length * PLANTED.highGrowthShare)),
    Math.floor(schools.length / 4),
  );
  if (wanted <= 0) return;
  const totalWeight = schools.reduce((s, x) => s + (x.type === 'elementary' ? x.weight : 0), 0);
  // Expected enrolment: elementary schools hold 6 of the ~8.8 cohorts in school, junior highs the rest.
  const expected = (s: PlannedSchool): number =>
    (students * (s.type === 'elementary' ? 6 : 3) * s.weight) / (totalWeight * 8.8);
  const order = schools.map((s) => s.index);
  rng.shuffle(order);
  const eligible = order.filter((i) => expected(schools[i]) >= PLANTED.highGrowthMinStudents);
  const fallback = order
    .filter((i) => !eligible.includes(i))
    .sort((a, b) => expected(schools[b]) - expected(schools[a]) || a - b);
  for (const i of [...eligible, ...fallback].slice(0, wanted)) schools[i].highGrowth = true;
}

/**
 * Staggered adoption: with 3+ years one cohort of schools adopts at the start of year 2 and
 * another at the start of year 3, the rest never (a never-treated group for comparison); with 2
 * years one cohort at the start of year 2; with 1 year at the start of year 1 (no pre-period).
 * Groups are dealt within each school type so each has elementary and junior high schools.
 */
function planSupportRoom(schools: PlannedSchool[], years: number[], rng: Rng): (number | undefined)[] {
  const cohorts = years.length >= 3 ? [years[1], years[2]] : years.length === 2 ? [years[1]] : [years[0]];
  const group = stratifiedGroups(schools, cohorts.length + 1, rng);
  // Group 0 is never treated: it gets the first school of each shuffled type, so it is never the smallest group.
  return schools.map((s) => (group[s.index] === 0 ? undefined : cohorts[group[s.index] - 1]));
}

/** ICT活用推進モデル校: adopted three years before the data starts by ~30% of schools, half of which left it since. */
function planIctModel(schools: PlannedSchool[], firstYear: number, rng: Rng): PlannedProgramme {
  const start = formatDate(academicYearBounds(firstYear - 3).first);
  const ended = formatDate(academicYearBounds(firstYear - 1).last);
  const adoptions: ProgrammeAdoption[] = [];
  for (const s of schools) {
    if (!rng.chance(0.3)) continue;
    adoptions.push({
      schoolIndex: s.index,
      startDate: start,
      endDate: rng.chance(0.5) ? ended : '',
      academicYear: firstYear - 3,
    });
  }
  return { programmeId: 'prog-ict-model', name: 'ICT活用推進モデル校', adoptions };
}
