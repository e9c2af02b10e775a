/**
 * Words for what a cohort result names by code: its methods, its tables, their columns and the codes in
 * their cells (an effect's kind, a comparison). The cohort page reads them; grades, sexes, programme groups
 * and funnel flags come from the catalogue in labels.ts.
 */
import type { Locale } from '../config/config.js';
import { label, programmeGroupLabel, type Label } from './labels.js';

const pick = (label: Label, locale: Locale) => (locale === 'en' ? label.en : label.ja);

export const COHORT_METHOD_LABELS: Record<string, Label> = {
  descriptive: { ja: '記述統計(群・期間別の集計)', en: 'Descriptive (by group and period)' },
  did_2x2: { ja: '差の差分析(2群×前後)', en: 'Difference-in-differences (2×2)' },
  did_staggered: {
    ja: '差の差分析(段階的導入、Callaway & Sant’Anna)',
    en: 'Difference-in-differences, staggered adoption (Callaway & Sant’Anna)',
  },
  funnel: { ja: 'ファネルプロット(学校別の率)', en: 'Funnel plot (school rates)' },
  value_added: { ja: '付加価値(前年度の得点からの伸び)', en: 'Value added (growth on the prior score)' },
  case_before_after: {
    ja: '見守りケースの前後比較(ケース開始月の前後の月別推移)',
    en: 'Support cases, before and after (by month around the opening of the case)',
  },
};

export const COHORT_TABLE_LABELS: Record<string, Label> = {
  descriptive: { ja: '集計表', en: 'Summary table' },
  effect: { ja: '効果の推定', en: 'Effect estimate' },
  effects: {
    ja: '効果の推定(導入後の平均と導入後年数別)',
    en: 'Effect estimates (overall and by years since adoption)',
  },
  group_time: { ja: '導入年度・年度別の効果', en: 'Effects by adoption year and year' },
  trends: { ja: '群別の推移(学校平均)', en: 'Trends by group (school means)' },
  schools: { ja: '学校別', en: 'By school' },
  limits: { ja: '管理限界', en: 'Control limits' },
  good_practice: { ja: '好事例の学校の取組', en: 'What the schools above expectation do' },
  before_after: {
    ja: 'ケース開始前後の平均(児童生徒ごとの対応のある比較)',
    en: 'Mean before and after the case (paired)',
  },
  by_month: { ja: 'ケース開始月からの月別', en: 'By month from the opening of the case' },
};

const COLUMN_LABELS: Record<string, Label> = {
  group: { ja: '群', en: 'Group' },
  period: { ja: '期間', en: 'Period' },
  students: { ja: '児童生徒数', en: 'Students' },
  schools: { ja: '学校数', en: 'Schools' },
  attendance_students: { ja: '出欠の記録がある児童生徒数', en: 'Students with attendance records' },
  attendance_rate: { ja: '出席率', en: 'Attendance rate' },
  absence_days: { ja: '欠席日数(平均)', en: 'Absence days (mean)' },
  long_term_absent: { ja: '長期欠席者数', en: 'Long-term absent students' },
  long_term_absence_rate: { ja: '長期欠席の割合', en: 'Share of long-term absence' },
  assessed: { ja: '学力調査の受検者数', en: 'Students assessed' },
  assessment_score: { ja: '学力調査の得点(平均)', en: 'Assessment score (mean)' },
  app_minutes: { ja: '学習アプリ利用時間(分、平均)', en: 'Learning-app minutes (mean)' },
  effect: { ja: '区分', en: 'Effect' },
  event_time: { ja: '導入後年数', en: 'Years since adoption' },
  estimate: { ja: '推定値', en: 'Estimate' },
  se: { ja: '標準誤差', en: 'Standard error' },
  lower: { ja: '95%信頼区間の下限', en: 'Lower 95% limit' },
  upper: { ja: '95%信頼区間の上限', en: 'Upper 95% limit' },
  df: { ja: '自由度', en: 'Degrees of freedom' },
  treated_schools: { ja: '導入校数', en: 'Treated schools' },
  comparison_schools: { ja: '比較校数', en: 'Comparison schools' },
  min_arm_schools: { ja: '少ない方の群の学校数', en: 'Schools in the smaller group' },
  arm: { ja: '群', en: 'Group' },
  mean: { ja: '学校平均', en: 'School mean' },
  school: { ja: '学校', en: 'School' },
  rate: { ja: '率', en: 'Rate' },
  required_days: { ja: '出席しなければならない日数の延べ', en: 'Required days (total)' },
  z: { ja: 'zスコア', en: 'z-score' },
  lower95: { ja: '95%限界(下)', en: '95% limit (lower)' },
  upper95: { ja: '95%限界(上)', en: '95% limit (upper)' },
  lower998: { ja: '99.8%限界(下)', en: '99.8% limit (lower)' },
  upper998: { ja: '99.8%限界(上)', en: '99.8% limit (upper)' },
  flag: { ja: '管理限界との関係', en: 'Against the limits' },
  denominator: { ja: '分母', en: 'Denominator' },
  raw: { ja: '調整前の平均残差', en: 'Raw mean residual' },
  shrinkage: { ja: '縮小係数', en: 'Shrinkage' },
  flagged: { ja: '期待を上回る(区間が0超)', en: 'Above expectation (interval above zero)' },
  programmes: { ja: '参加している事業', en: 'Programmes taken part in' },
  app_minutes_per_student_week: {
    ja: '学習アプリ利用時間(分/人・週)',
    en: 'Learning-app minutes per student-week',
  },
  all_schools_app_minutes_per_student_week: {
    ja: '全校の学習アプリ利用時間(分/人・週)',
    en: 'All schools: learning-app minutes per student-week',
  },
  side: { ja: '区分', en: 'Comparison' },
  relative_month: { ja: 'ケース開始月からの月数', en: 'Months from the opening of the case' },
  student_mean: { ja: '児童生徒の平均', en: 'Mean per student' },
  grade: { ja: '学年', en: 'Grade' },
  sex: { ja: '性別', en: 'Sex' },
  school_type: { ja: '学校種', en: 'Type of school' },
  special_needs: { ja: '学級', en: 'Class' },
};

/** A result column's name in words (a derived outcome's own name is shown as the analyst gave it). */
export function cohortColumnLabel(column: string, locale: Locale): string {
  const found = COLUMN_LABELS[column];
  if (found) return pick(found, locale);
  const derivedCount = /^(.+)_students$/.exec(column);
  if (derivedCount) return locale === 'en' ? `${derivedCount[1]}: students` : `${derivedCount[1]}(人数)`;
  return column;
}

export function cohortMethodLabel(method: string, locale: Locale): string {
  return COHORT_METHOD_LABELS[method] ? pick(COHORT_METHOD_LABELS[method], locale) : method;
}

export function cohortTableLabel(table: string, locale: Locale): string {
  return COHORT_TABLE_LABELS[table] ? pick(COHORT_TABLE_LABELS[table], locale) : table;
}

/** An effect row's kind: the average after adoption, or one year since adoption. */
export function effectKindLabel(code: string, locale: Locale): string {
  const words: Record<string, Label> = {
    overall: { ja: '導入後の平均', en: 'Average after adoption' },
    event_time: { ja: '導入後年数別', en: 'By years since adoption' },
  };
  return words[code] ? pick(words[code], locale) : code;
}

/** A side of the support cases' before/after comparison (the opening month belongs to neither). */
export function caseSideLabel(code: string, locale: Locale): string {
  const words: Record<string, Label> = {
    before: { ja: '開始前(開始月を除く)', en: 'Before (opening month excluded)' },
    after: { ja: '開始後(開始月を除く)', en: 'After (opening month excluded)' },
    difference: { ja: '差(後 − 前、児童生徒ごと)', en: 'Difference (after − before, per student)' },
  };
  return words[code] ? pick(words[code], locale) : code;
}

/** How the staggered design picks its comparison schools. */
export const COMPARISON_LABELS: Record<string, Label> = {
  never_treated: { ja: '一度も導入していない学校', en: 'Schools that did not adopt it in any year' },
  not_yet_treated: {
    ja: 'まだ導入していない学校(未導入校を含む)',
    en: 'Schools that had not adopted it yet (including those that did not adopt it in any year)',
  },
};

/**
 * A descriptive result's group in words: the groups are the values of what the population was split by
 * (a sex, a kind of class, a type of school), or programme participation.
 */
export function cohortGroupLabel(by: string | undefined, code: string, locale: Locale): string {
  switch (by) {
    case 'sex':
      return label('sex', code, locale);
    case 'special_needs':
      return label('specialNeeds', code, locale);
    case 'school_type':
      return label('schoolType', code, locale);
    default:
      return programmeGroupLabel(code === 'programme' ? 'participating' : code, locale);
  }
}
