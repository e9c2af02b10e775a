/**
 * The numbers that give the synthetic municipality its shape, in one place. Rates are per student
 * per school year unless said otherwise; they were chosen to land near MEXT's published national
 * figures (児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査, FY2022–FY2023) while keeping
 * the planted effects detectable on the small default demo.
 */

/** The synthetic board: a fictional city in Ibaraki (prefecture 08). */
export const MUNICIPALITY = {
  prefectureCode: '08',
  prefectureName: '茨城県',
  cityName: 'しるべ市',
  boardName: 'しるべ市教育委員会',
  /** School numbers 91xxxxx (elementary) and 92xxxxx (junior high): no real school uses them here. */
  elementaryNumberBase: 9_100_000,
  juniorHighNumberBase: 9_200_000,
} as const;

export const GRADES = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'J1', 'J2', 'J3'] as const;
export type Grade = (typeof GRADES)[number];
/** Grade index 0–5 is elementary (小学校), 6–8 junior high (中学校). */
export const FIRST_JUNIOR_HIGH_GRADE = 6;

export const ROSTER = {
  /** Each new cohort is this much smaller than the one before (Japan's falling births). */
  cohortShrink: 0.985,
  /** Share of P6 leavers who go to a private or national junior high outside the board. */
  privateJuniorHighShare: 0.06,
  /** Share of students taught in a 特別支援学級 (special-needs class). */
  specialNeedsShare: 0.04,
  /** Legal maximum class sizes: 35 for ordinary classes (set by law for elementary; used for all here), 8 for special-needs classes. */
  maxOrdinaryClass: 35,
  maxSpecialNeedsClass: 8,
  /**
   * The types of disability (障害種別, classes.csv metadata.shirube.disabilityType) a school's special-needs
   * classes take in turn, its first class starting at the school's index: 知的障害 and 自閉症・情緒障害
   * are most of them nationally, the other five types a few each.
   */
  specialNeedsDisabilities: [
    'intellectual',
    'autism_emotional',
    'physical',
    'intellectual',
    'autism_emotional',
    'speech',
    'health',
    'hearing',
    'low_vision',
  ],
  /** Spread of school sizes (log scale) and its clamp in standard deviations. */
  schoolSizeSigma: 1.1,
  schoolSizeClamp: [-2.4, 1.5] as const,
} as const;

/**
 * 不登校 (futōkō) state: the share of students of each grade in the state in a year (the chain's
 * steady state), and the chance a student in the state stays in it the next year.
 */
export const FUTOKO = {
  shareByGrade: [0.0025, 0.004, 0.006, 0.009, 0.012, 0.016, 0.033, 0.046, 0.052],
  persistence: 0.9,
  /** Spread of the multiplier on those shares (log scale), shared by a junior high and its feeder elementary schools. */
  districtSigma: 0.35,
  /** Share of students in the state who get 指導要録上出席扱い days (ICT home learning, a support centre). */
  countedPresentShare: 0.3,
} as const;

export const ABSENCE = {
  /** Short illness episodes per year (each 1 + geometric days), before the student's proneness. */
  illnessEpisodes: [2.4, 2.2] as const, // [elementary, junior high]
  /** Long illness (入院 etc.), long absence for other reasons, economic reasons, per year. */
  longIllness: [0.004, 0.006] as const,
  longOther: [0.0025, 0.0035] as const,
  economic: 0.0003,
  /** COVID-avoidance long absence: common through FY2022, rare after (5類移行, May 2023). */
  covidLongUntil2022: 0.004,
  covidLongAfter: 0.0003,
  /** Occasional non-attendance days of students not in the 不登校 state. */
  mildNonAttendance: [0.02, 0.05] as const,
  /** Common year trend: extra absence probability per school day per year after the first (additive, same for every school). */
  trendPerYear: 0.0025,
  /** Late arrivals and early leaves per year (mean; heavy-tailed across students). */
  late: [4, 5] as const,
  earlyLeave: [2, 2.5] as const,
  /** 出席停止 for influenza (5 days after onset) and other notifiable diseases. */
  influenza: [0.1, 0.08] as const,
  otherInfection: 0.02,
  /** 忌引 (mourning), e.g. a grandparent's funeral. */
  mourning: 0.02,
  /** Chance a class has an influenza 学級閉鎖 in a year; chance a school closes a day (typhoon, snow). */
  classClosure: [0.18, 0.12] as const,
  schoolClosure: 0.12,
} as const;

/** 暴力行為 and いじめ recognitions per student per year (MEXT FY2023: elementary 88.6 / 1,000, junior high 36.0 / 1,000). */
export const GUIDANCE = {
  bullying: [0.085, 0.036] as const,
  violence: [0.01, 0.013] as const,
  other: [0.004, 0.006] as const,
  /** Share of recognised bullying cases that are 重大事態 (jūdai jitai, serious cases). */
  serious: 0.004,
  resolved: 0.78,
  /** Relative bullying recognition by grade within a school level (younger children are recognised more). */
  gradeWeights: [1.0, 1.2, 1.15, 1.05, 0.9, 0.7, 1.0, 0.7, 0.4],
} as const;

export const ASSESSMENT = {
  /** Scores are 0–100 with mean ~60, SD ~15 at each grade. */
  mean: 60,
  sd: 15,
  /** Persistence of a student's standing from one year to the next (the prior-score slope). */
  persistence: 0.8,
  /** Share of special-needs-class students who sit the municipal test. */
  specialNeedsSitting: 0.5,
  /** Share who miss it for other reasons (appointments, transfers in and out). */
  randomMiss: 0.01,
} as const;

export const XAPI = {
  /** Statements per student per year before school and student app-use multipliers. */
  statementsPerStudentYear: 3,
  /** Chance that a statement is delivered twice (same id), and that an unlinked actor's statement follows one. */
  duplicateRate: 0.004,
  unlinkedRate: 0.003,
  homePage: 'https://app.example.jp',
  profile: 'https://w3id.org/xapi/jpedudataspec/v/1',
} as const;

/**
 * The planted answers a method should recover. With `plantedEffects: false` both are zero.
 * - programme: 校内教育支援センター (an in-school support room) raises the attendance rate of an
 *   adopting school by exactly this many percentage points in every year from adoption on
 *   (absence days turned into attended days; see programme-effect.ts). 1.5 points is large for
 *   a real programme, but school-year attendance rates move by ~0.3–0.5 points (more in tiny
 *   schools) as long absentees come and go, and the 12-school default demo must still give a
 *   DiD interval that excludes zero and is reasonably tight.
 * - valueAdded: students of a high-growth school gain this many points a year beyond what their
 *   prior score predicts, in every subject with a prior.
 */
export const PLANTED = {
  programmeEffectPoints: 1.5,
  valueAddedPoints: 5,
  /** Share of schools planted as high growth (at least 2 when there are 8 or more schools). */
  highGrowthShare: 0.1,
  /** High-growth schools are drawn from schools expected to have at least this many students. */
  highGrowthMinStudents: 150,
} as const;
