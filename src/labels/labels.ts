/**
 * The one label catalogue: every code a person reads — grades, sexes, reasons, categories, statuses,
 * booleans — turned into words, in Japanese and English, for pages, PDFs, chart axes and CSV headers
 * alike. A code that reaches a person is a bug; a vocabulary in vocabularies.ts is the place to add its words.
 * The order of each vocabulary is the order people expect (小1 before 小2, 男 before 女), used to sort.
 */
import type { Locale } from '../config/config.js';
import { VOCABULARIES, type Label, type Vocabulary, type VocabularyName } from './vocabularies.js';

export { VOCABULARIES, type Label, type VocabularyName };

/**
 * Which vocabulary a dimension of a metric, a survey grid or a cohort breakdown takes its words from.
 * A dimension not named here (a school code, a homeroom) is shown as it is.
 */
const DIMENSION_VOCABULARY: Record<string, VocabularyName> = {
  grade: 'grade',
  sex: 'sex',
  reason: 'reason',
  main_reason: 'reason',
  type: 'bullyingType',
  type_code: 'bullyingType',
  kind: 'classKind',
  band: 'futokoBand',
  status: 'responseStatus',
  school_type: 'schoolType',
  special_needs: 'specialNeeds',
  class_form: 'classForm',
  span: 'classSpan',
  disability: 'disability',
  found_by: 'foundBy',
  resolution: 'resolution',
  serious: 'boolean',
  violence_form: 'violenceForm',
  place: 'violencePlace',
  staff_role: 'staffRole',
  teacher_title: 'teacherTitle',
  staff_title: 'staffTitle',
  counted_present_place: 'countedPresentPlace',
  futoko_fact: 'futokoFact',
  flag: 'funnelFlag',
  flagged: 'boolean',
  subject: 'subject',
};

/** The dimensions' own names, for a table's column or a chart's axis. */
const DIMENSION_NAMES: Record<string, Label> = {
  grade: { ja: '学年', en: 'Grade' },
  sex: { ja: '性別', en: 'Sex' },
  reason: { ja: '理由', en: 'Reason' },
  main_reason: { ja: '主たる理由', en: 'Main reason' },
  type: { ja: '態様', en: 'Form' },
  type_code: { ja: '態様', en: 'Form' },
  kind: { ja: '学級の種類', en: 'Kind of class' },
  band: { ja: '区分', en: 'Band' },
  subject: { ja: '教科', en: 'Subject' },
  status: { ja: '状況', en: 'Status' },
  school_type: { ja: '学校種', en: 'Type of school' },
  special_needs: { ja: '学級', en: 'Class' },
  class_form: { ja: '編制方式', en: 'How the class is formed' },
  span: { ja: '個学年数', en: 'Grades in the class' },
  disability: { ja: '障害種別', en: 'Type of disability' },
  found_by: { ja: '発見のきっかけ', en: 'How it was found' },
  resolution: { ja: '解消状況', en: 'Resolution' },
  serious: { ja: '重大事態', en: 'Serious case' },
  violence_form: { ja: '形態', en: 'Form' },
  place: { ja: '発生場所', en: 'Place' },
  staff_role: { ja: '名簿の役割', en: 'Roster role' },
  teacher_title: { ja: '職名', en: 'Title' },
  staff_title: { ja: '職名', en: 'Title' },
  counted_present_place: { ja: '出席扱いの場所', en: 'Where the learning took place' },
  futoko_fact: { ja: '把握した事実', en: 'What the school learned' },
  school_code: { ja: '学校コード', en: 'School code' },
  school: { ja: '学校', en: 'School' },
  academic_year: { ja: '年度', en: 'School year' },
  period: { ja: '期間', en: 'Period' },
  group: { ja: '群', en: 'Group' },
  arm: { ja: '群', en: 'Group' },
  flag: { ja: '管理限界との関係', en: 'Against the limits' },
};

const pick = (label: Label, locale: Locale) => (locale === 'en' ? label.en : label.ja);

/** The words for a code of a vocabulary; an unknown code is returned as it is (and a test looks for those). */
export function label(vocabulary: VocabularyName, code: string | number | boolean, locale: Locale = 'ja'): string {
  const words: Vocabulary = VOCABULARIES[vocabulary];
  const found = words[String(code)];
  return found ? pick(found, locale) : String(code);
}

/** A value of a dimension in words: `grade`/`P1` → 小1; a dimension without a vocabulary keeps the value. */
export function dimensionValueLabel(dimension: string, code: string | number | boolean, locale: Locale = 'ja'): string {
  const vocabulary = DIMENSION_VOCABULARY[dimension];
  if (vocabulary) return label(vocabulary, code, locale);
  if (dimension === 'group' || dimension === 'grp' || dimension === 'arm')
    return programmeGroupLabel(String(code), locale);
  if (typeof code === 'boolean') return label('boolean', code, locale);
  return String(code);
}

/** A dimension's own name: `grade` → 学年. */
export function dimensionLabel(dimension: string, locale: Locale = 'ja'): string {
  const found = DIMENSION_NAMES[dimension];
  return found ? pick(found, locale) : dimension;
}

/** The dimensions whose values are programme groups (adopted_2024, never …). */
const PROGRAMME_GROUP_DIMENSIONS = new Set(['group', 'grp', 'arm']);

/** Whether a dimension's values are codes this catalogue has words for (a grade, a sex, a programme group …). */
export function isLabelledDimension(dimension: string): boolean {
  return dimension in DIMENSION_VOCABULARY || PROGRAMME_GROUP_DIMENSIONS.has(dimension);
}

/** A dimension's codes in the order people read them ([] where it has no vocabulary). */
export function dimensionCodes(dimension: string): string[] {
  const vocabulary = DIMENSION_VOCABULARY[dimension];
  return vocabulary ? Object.keys(VOCABULARIES[vocabulary]) : [];
}

/** The position of a code in its dimension's vocabulary, to sort 小1 before 小2 (unknown codes last, by text). */
export function dimensionOrder(dimension: string): (a: string, b: string) => number {
  const vocabulary = DIMENSION_VOCABULARY[dimension];
  const keys = vocabulary ? Object.keys(VOCABULARIES[vocabulary]) : [];
  const rank = (code: string) => {
    const at = keys.indexOf(code);
    return at < 0 ? keys.length : at;
  };
  return (a, b) => rank(a) - rank(b) || a.localeCompare(b, 'ja');
}

/**
 * A cohort's programme group: `adopted_2024` → 2024年度導入, `never` → 未導入 (and the groups a
 * definition names itself, `treated`/`comparison`, …).
 */
export function programmeGroupLabel(code: string, locale: Locale = 'ja'): string {
  const adopted = /^adopted_(\d{4})$/.exec(code);
  if (adopted) return locale === 'en' ? `Adopted FY${adopted[1]}` : `${adopted[1]}年度導入`;
  const words: Record<string, Label> = {
    never: { ja: '未導入', en: 'Never adopted' },
    not_yet: { ja: 'まだ導入していない', en: 'Not yet adopted' },
    treated: { ja: '導入校', en: 'Adopting schools' },
    participating: { ja: '参加', en: 'Participating' },
    not_participating: { ja: '不参加', en: 'Not participating' },
    comparison: { ja: '比較群', en: 'Comparison schools' },
    all: VOCABULARIES.aggregate.all,
  };
  return words[code] ? pick(words[code], locale) : code;
}

const ERAS = [
  { name: '令和', en: 'Reiwa', start: '2019-05-01' },
  { name: '平成', en: 'Heisei', start: '1989-01-08' },
  { name: '昭和', en: 'Showa', start: '1926-12-25' },
];

/**
 * 和暦 of a school year (年度, April to March), beside the western year: 令和7年度 (2025年度). A school
 * year is named by the era of its April; 2019年度 is 令和元年度 by usage (April 2019 was still 平成).
 */
export function academicYearLabel(year: number, locale: Locale = 'ja'): string {
  if (locale === 'en') return `FY${year} (April ${year} – March ${year + 1})`;
  const era = year >= 2019 ? ERAS[0] : year >= 1989 ? ERAS[1] : ERAS[2];
  const n = year - Number(era.start.slice(0, 4)) + 1;
  return `${era.name}${n === 1 ? '元' : n}年度 (${year}年度)`;
}

/** 和暦 of a date beside the western date: 令和7年5月1日 (2025年5月1日); English: 1 May 2025. */
export function dateLabel(isoDate: string, locale: Locale = 'ja'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (locale === 'en')
    return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(Date.UTC(year, month - 1, day)),
    );
  const era = ERAS.find((e) => isoDate.slice(0, 10) >= e.start);
  if (!era) return `${year}年${month}月${day}日`;
  const n = year - Number(era.start.slice(0, 4)) + 1;
  return `${era.name}${n === 1 ? '元' : n}年${month}月${day}日 (${year}年${month}月${day}日)`;
}
