/**
 * truth.json: the answers the generated files were built to give, for tests that check
 * Shirube's survey figures and policy-evaluation estimates. Answers are tidy rows
 * `{schoolCode, dims, value}` per academic year and metric id; cells that would be zero are left
 * out; dims values are strings; rows are ordered by school code, then dims in their natural order
 * (grades P1…J3, male before female, reasons as in MAIN_REASONS).
 *
 * Definitions (DOMAIN.md), all from that year's roster for grade, sex and school:
 * - enrolment.students {grade, sex}: students enrolled.
 * - enrolment.classes {grade, kind}: homerooms; a special-needs class counts once, under the
 *   lowest grade it serves (so classes add up to the number of classes).
 * - attendance.long_term_absence {grade, sex, reason}: students absent ≥ 30 days; reason is the
 *   main reason (mainAbsenceReason: most days, no reason = other, tie = other).
 * - attendance.futoko_severity {band}: long-term absentees whose main reason is non_attendance,
 *   by MEXT sub-count (a student may be in several bands).
 * - attendance.rate {}: Σ attended days / Σ required days over the school's students (a fraction).
 * - guidance.bullying_cases {grade, type}: bullying records by the victim's grade and form code.
 * - assessment.mean_score {grade, subject}: mean score of the rows written (2 decimals).
 * - learning.app_minutes_per_student_week {}: minutes of distinct statements of the school's
 *   students / students enrolled / weeks with at least one school day (Monday-based weeks).
 * - enrolment.class_forms {class_form, grade, span}: homerooms as single_grade, multi_grade (複式) or
 *   special_needs, under the lowest grade, span = number of grades served.
 * - enrolment.special_needs_students {grade, sex}: students whose homeroom is a special-needs class.
 * - enrolment.special_needs_classes {disability}, enrolment.special_needs_students_by_disability
 *   {disability, sex}: special-needs classes and their students by the class's type of disability.
 * - attendance.futoko_attendance {grade, sex, band}: 不登校 long-term absentees absent ≥ 90 days by
 *   days attended (11+, 1–10, 0).
 * - attendance.counted_present {grade, sex}: 不登校 long-term absentees with a day counted present;
 *   attendance.counted_present_by_place {counted_present_place, grade, sex}: the same by the student's place.
 * - guidance.bullying_recognised {grade, found_by, resolution, serious}: bullying cases (one student
 *   and day), the first how-found by code, resolved only if every record of the case is.
 * - guidance.violence_incidents {violence_form, place}: violence records by form and place.
 * - guidance.violence_students {grade, sex}: students with a violence record.
 * - staff.roster_staff {role}: the teachers the roster places at the school.
 */
import { writeFile } from 'node:fs/promises';
import {
  COUNTED_PRESENT_PLACES,
  countedPresentPlace,
  futokoBands,
  LONG_TERM_ABSENCE_DAYS,
  MAIN_REASONS,
  mainAbsenceReason,
  type MainReason,
} from './attendance-codes.js';
import type { StudentTotals } from './attendance-model.js';
import { GRADES } from './demo-parameters.js';
import { DISABILITIES, pushClassAnswers } from './class-truth.js';
import type { NormalizedDemoOptions } from './demo-options.js';
import type { MunicipalityPlan } from './municipality-plan.js';
import type { Population } from './population.js';
import type { AppliedEffect } from './programme-effect.js';
import type { XapiTally } from './xapi-writer.js';
import { gradeCode, type YearRoster } from './year-roster.js';
import type { ScoreSums } from './assessment-model.js';
import { SUBJECTS } from './assessment-model.js';
import type { GuidanceTally } from './guidance-model.js';

export const METRIC_IDS = [
  'enrolment.students',
  'enrolment.classes',
  'attendance.long_term_absence',
  'attendance.futoko_severity',
  'attendance.rate',
  'guidance.bullying_cases',
  'assessment.mean_score',
  'learning.app_minutes_per_student_week',
  'enrolment.class_forms',
  'enrolment.special_needs_students',
  'attendance.futoko_attendance',
  'attendance.counted_present',
  'guidance.bullying_recognised',
  'guidance.violence_incidents',
  'guidance.violence_students',
  'staff.roster_staff',
  'enrolment.special_needs_classes',
  'enrolment.special_needs_students_by_disability',
  'attendance.counted_present_by_place',
] as const;
export type MetricId = (typeof METRIC_IDS)[number];

export interface TruthRow {
  schoolCode: string;
  dims: Record<string, string>;
  value: number;
}

const SEXES = ['male', 'female'] as const;
const BANDS = ['absent_90_plus', 'attended_10_or_less', 'attended_0'] as const;
const FUTOKO_90_BANDS = ['absent_90_attended_11_plus', 'absent_90_attended_1_10', 'absent_90_attended_0'] as const;
const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** Everything one school-year contributes to truth.json. */
export interface SchoolYearFacts {
  fy: number;
  schoolIndex: number;
  roster: YearRoster;
  students: Int32Array;
  schoolDays: number;
  weeks: number;
  totals: StudentTotals;
  effect: AppliedEffect | undefined;
  scores: ScoreSums;
  guidance: GuidanceTally;
  xapi: XapiTally;
}

export class TruthBuilder {
  private readonly answers = new Map<number, Map<MetricId, TruthRow[]>>();
  private readonly realised: {
    schoolCode: string;
    academicYear: number;
    removedDays: number;
    requiredDays: number;
    effect: number;
  }[] = [];
  private readonly enrolment = new Map<number, number[]>();
  private readonly xapi = { lines: 0, distinctStatements: 0, duplicateLines: 0, unlinkedStatements: 0 };
  private readonly watch: {
    academicYear: number;
    asOf: string;
    planted: { schoolCode: string; studentId: string; onset: string; bullyingVictim: boolean }[];
    reachers: { schoolCode: string; studentId: string; absentByAsOf: number; absentDays: number; day30: string }[];
  } = { academicYear: 0, asOf: '', planted: [], reachers: [] };

  constructor(
    private readonly options: NormalizedDemoOptions,
    private readonly plan: MunicipalityPlan,
    private readonly pop: Population,
    private readonly effect: number,
    private readonly valueAdded: number,
  ) {
    for (const fy of plan.academicYears) this.answers.set(fy, new Map(METRIC_IDS.map((id) => [id, []])));
    for (const s of plan.schools) this.enrolment.set(s.index, []);
  }

  /**
   * The last year's early-warning answers: the planted drifting students (onset, bullying record) and
   * every student who reached 30 absence days in the year, with their absences by `asOf` and the day of the 30th.
   */
  addWatch(
    asOf: string,
    planted: (typeof this.watch.planted)[number][],
    reachers: (typeof this.watch.reachers)[number][],
  ): void {
    this.watch.academicYear = this.options.lastAcademicYear;
    this.watch.asOf = asOf;
    this.watch.planted.push(...planted);
    this.watch.reachers.push(...reachers);
  }

  addSchoolYear(f: SchoolYearFacts): void {
    const { fy, totals, students } = f;
    const code = this.plan.schools[f.schoolIndex].code;
    const metrics = this.answers.get(fy) as Map<MetricId, TruthRow[]>;
    const push = (id: MetricId, dims: Record<string, string>, value: number): void => {
      if (value !== 0 || id === 'attendance.rate' || id === 'learning.app_minutes_per_student_week')
        metrics.get(id)?.push({ schoolCode: code, dims, value });
    };
    const pop = this.pop;
    this.enrolment.get(f.schoolIndex)?.push(students.length);

    const bySexGrade = new Map<string, number>();
    const lta = new Map<string, number>();
    const bands = new Map<string, number>();
    const futoko90 = new Map<string, number>();
    const countedPresent = new Map<string, number>();
    const specialNeeds = new Map<string, number>();
    const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    let required = 0;
    let attended = 0;
    for (let k = 0; k < students.length; k++) {
      const i = students[k];
      const grade = gradeCode(pop.gradeIn(i, fy));
      const sex = SEXES[pop.sex[i]];
      bySexGrade.set(`${grade}|${sex}`, (bySexGrade.get(`${grade}|${sex}`) ?? 0) + 1);
      const klass = f.roster.classes[f.roster.classOf[i]];
      if (klass?.specialNeeds) {
        add(specialNeeds, `${grade}|${sex}`);
        add(specialNeeds, `${klass.disabilityType ?? 'unspecified'}|${sex}`);
      }
      const t = {
        schoolDays: f.schoolDays,
        excusedDays: totals.excused[k],
        absentDays: totals.absent[k],
        countedPresentDays: totals.countedPresent[k],
      };
      required += t.schoolDays - t.excusedDays;
      attended += t.schoolDays - t.excusedDays - t.absentDays;
      if (t.absentDays < LONG_TERM_ABSENCE_DAYS) continue;
      const reason = mainAbsenceReason(totals.absentByReason.subarray(k * 6, k * 6 + 6));
      lta.set(`${grade}|${sex}|${reason}`, (lta.get(`${grade}|${sex}|${reason}`) ?? 0) + 1);
      if (reason !== 'non_attendance') continue;
      for (const band of futokoBands(t)) bands.set(band, (bands.get(band) ?? 0) + 1);
      if (t.countedPresentDays > 0) add(countedPresent, `${grade}|${sex}`);
      if (t.countedPresentDays > 0) add(countedPresent, `${countedPresentPlace(i)}|${grade}|${sex}`);
      if (t.absentDays >= 90) {
        const attendedDays = t.schoolDays - t.excusedDays - t.absentDays;
        const band = attendedDays >= 11 ? '11_plus' : attendedDays >= 1 ? '1_10' : '0';
        add(futoko90, `${grade}|${sex}|absent_90_attended_${band}`);
      }
    }

    for (const grade of GRADES)
      for (const sex of SEXES) push('enrolment.students', { grade, sex }, bySexGrade.get(`${grade}|${sex}`) ?? 0);
    pushClassAnswers(f.roster, f.schoolIndex, push);
    for (const disability of DISABILITIES)
      for (const sex of SEXES) {
        const students = specialNeeds.get(`${disability}|${sex}`) ?? 0;
        push('enrolment.special_needs_students_by_disability', { disability, sex }, students);
      }
    for (const grade of GRADES) {
      for (const sex of SEXES)
        for (const reason of MAIN_REASONS as readonly MainReason[])
          push('attendance.long_term_absence', { grade, sex, reason }, lta.get(`${grade}|${sex}|${reason}`) ?? 0);
    }
    for (const band of BANDS) push('attendance.futoko_severity', { band }, bands.get(band) ?? 0);
    for (const grade of GRADES)
      for (const sex of SEXES) {
        push('enrolment.special_needs_students', { grade, sex }, specialNeeds.get(`${grade}|${sex}`) ?? 0);
        for (const band of FUTOKO_90_BANDS)
          push('attendance.futoko_attendance', { grade, sex, band }, futoko90.get(`${grade}|${sex}|${band}`) ?? 0);
        push('attendance.counted_present', { grade, sex }, countedPresent.get(`${grade}|${sex}`) ?? 0);
        for (const place of COUNTED_PRESENT_PLACES) {
          const dims = { counted_present_place: place, grade, sex };
          push('attendance.counted_present_by_place', dims, countedPresent.get(`${place}|${grade}|${sex}`) ?? 0);
        }
      }
    push('attendance.rate', {}, required > 0 ? round(attended / required, 6) : 0);
    for (const grade of GRADES)
      for (let type = 1; type <= 9; type++)
        push(
          'guidance.bullying_cases',
          { grade, type: String(type) },
          f.guidance.bullying.get(`${grade}|${type}`) ?? 0,
        );
    for (const [key, value] of [...f.guidance.bullyingCases].sort()) {
      const [grade, found_by, resolution, serious] = key.split('|');
      push('guidance.bullying_recognised', { grade, found_by, resolution, serious }, value);
    }
    for (const [key, value] of [...f.guidance.violence].sort()) {
      const [violence_form, place] = key.split('|');
      push('guidance.violence_incidents', { violence_form, place }, value);
    }
    for (const grade of GRADES)
      for (const sex of SEXES)
        push('guidance.violence_students', { grade, sex }, f.guidance.violenceStudents.get(`${grade}|${sex}`) ?? 0);
    push('staff.roster_staff', { staff_role: 'teacher' }, f.roster.schools[f.schoolIndex].teachers.length);
    for (const grade of GRADES) {
      for (const subject of SUBJECTS) {
        const cell = f.scores.get(`${grade}|${subject}`);
        if (cell) push('assessment.mean_score', { grade, subject }, round(cell.sum / cell.count, 2));
      }
    }
    const minutes = students.length > 0 && f.weeks > 0 ? f.xapi.linkedSeconds / 60 / students.length / f.weeks : 0;
    push('learning.app_minutes_per_student_week', {}, round(minutes, 6));

    if (f.effect)
      this.realised.push({
        schoolCode: code,
        academicYear: fy,
        removedDays: f.effect.removedDays,
        requiredDays: f.effect.requiredDays,
        effect: round(f.effect.realisedEffect, 8),
      });
    this.xapi.lines += f.xapi.lines;
    this.xapi.duplicateLines += f.xapi.duplicates;
    this.xapi.unlinkedStatements += f.xapi.unlinked;
    this.xapi.distinctStatements += f.xapi.lines - f.xapi.duplicates;
  }

  /** The whole document, keys in a fixed order. */
  document(): object {
    const { options, plan, effect, valueAdded } = this;
    const years = plan.academicYears;
    const codeOf = (index: number): string => plan.schools[index].code;
    const answers: Record<string, Record<string, TruthRow[]>> = {};
    for (const fy of years) {
      const metrics = this.answers.get(fy) as Map<MetricId, TruthRow[]>;
      answers[String(fy)] = Object.fromEntries(
        METRIC_IDS.map((id) => [
          id,
          [...(metrics.get(id) ?? [])].sort((a, b) =>
            a.schoolCode < b.schoolCode ? -1 : a.schoolCode > b.schoolCode ? 1 : 0,
          ),
        ]),
      );
    }
    const meanRealised = this.realised.length
      ? this.realised.reduce((s, r) => s + r.effect, 0) / this.realised.length
      : 0;
    return {
      generator: { name: 'shirube-demo', formatVersion: 1 },
      options: {
        schools: options.schools,
        students: options.students,
        years: options.years,
        seed: options.seed,
        lastAcademicYear: options.lastAcademicYear,
        attendance: options.attendance,
        plantedEffects: options.plantedEffects,
      },
      academicYears: years,
      district: { sourcedId: plan.districtSourcedId, name: 'しるべ市教育委員会', prefectureCode: '08' },
      enrolmentByYear: Object.fromEntries(
        years.map((fy, t) => [
          String(fy),
          plan.schools.reduce((s, x) => s + (this.enrolment.get(x.index)?.[t] ?? 0), 0),
        ]),
      ),
      schools: plan.schools.map((s) => ({
        code: s.code,
        sourcedId: s.sourcedId,
        name: s.name,
        type: s.type,
        size: this.enrolment.get(s.index)?.[years.length - 1] ?? 0,
        enrolmentByYear: Object.fromEntries(years.map((fy, t) => [String(fy), this.enrolment.get(s.index)?.[t] ?? 0])),
        ...(s.type === 'elementary'
          ? { juniorHighCode: codeOf(s.juniorHigh) }
          : { feederCodes: s.feeders.map(codeOf) }),
        assessmentStudentId: s.assessmentIdIsEPortal ? 'ePortal' : 'sourcedId',
        highGrowth: s.highGrowth,
        supportRoomFrom: plan.adoptionYear[s.index] ?? null,
      })),
      programmes: [
        {
          programmeId: plan.supportRoom.programmeId,
          name: plan.supportRoom.name,
          outcome: 'attendance.rate',
          effect,
          effectPercentagePoints: round(effect * 100, 6),
          design:
            years.length >= 2
              ? 'staggered adoption at the start of an academic year; never-treated schools remain'
              : 'adopted at the start of the only year (no pre-period)',
          mechanism:
            'absence days turned into attended days; exactly round(effect × required days) per adopting school-year',
          adoptions: plan.supportRoom.adoptions.map((a) => ({
            schoolCode: codeOf(a.schoolIndex),
            startDate: a.startDate,
            academicYear: a.academicYear,
          })),
          neverTreated: plan.schools.filter((s) => plan.adoptionYear[s.index] === undefined).map((s) => s.code),
          realisedEffects: this.realised,
          meanRealisedEffect: round(meanRealised, 8),
        },
        {
          programmeId: plan.ictModel.programmeId,
          name: plan.ictModel.name,
          outcome: null,
          effect: 0,
          effectPercentagePoints: 0,
          design: 'adopted three years before the first year; some schools have left it',
          mechanism: 'none: a programme with no planted effect',
          adoptions: plan.ictModel.adoptions.map((a) => ({
            schoolCode: codeOf(a.schoolIndex),
            startDate: a.startDate,
            endDate: a.endDate || null,
            academicYear: a.academicYear,
          })),
        },
      ],
      highGrowth: {
        valueAddedPoints: valueAdded,
        meaning:
          'students gain this many points a year beyond what their prior score predicts, in every subject with a prior score',
        schoolCodes: plan.schools.filter((s) => s.highGrowth).map((s) => s.code),
      },
      xapi: { ...this.xapi },
      watch: this.watch,
      answers,
    };
  }

  async write(path: string): Promise<number> {
    const doc = this.document() as { answers: Record<string, Record<string, TruthRow[]>> };
    await writeFile(path, `${JSON.stringify(doc, null, 2)}\n`, 'utf8');
    return Object.values(doc.answers).reduce((s, m) => s + Object.values(m).reduce((a, rows) => a + rows.length, 0), 0);
  }
}
