import type { Label } from '../../labels/labels.js';
import type { ProblemMessage } from './problem-text.js';

/** What a reference column names (ReferenceTarget.what), as the messages say it. */
const WHAT: Record<string, Label> = {
  org: { ja: '組織', en: 'org' },
  class: { ja: 'クラス', en: 'class' },
  course: { ja: '科目', en: 'course' },
  'academic session': { ja: '学期・年度', en: 'academic session' },
  user: { ja: '利用者', en: 'user' },
};
const withArticle = (words: Record<string, Label>) =>
  Object.fromEntries(
    Object.entries(words).map(([what, w]) => [what, { ja: w.ja, en: `${/^[aeiou]/.test(what) ? 'an' : 'a'} ${w.en}` }]),
  );
const plural = (words: Record<string, Label>) =>
  Object.fromEntries(Object.entries(words).map(([what, w]) => [what, { ja: w.ja, en: `${w.en}s` }]));

/** OneRoster packages: the manifest, every file's rows, references between files, identities. */
export const ONEROSTER_PROBLEMS = {
  'oneroster.manifest_missing': {
    ja: 'OneRoster のパッケージに manifest.csv がありません',
    en: 'manifest.csv is missing from the OneRoster package',
  },
  'oneroster.no_version': {
    ja: 'manifest に oneroster.version がありません',
    en: 'the manifest has no oneroster.version',
  },
  'oneroster.file_mode': {
    ja: 'ファイルの指定は {{values}} のどれかにしてください',
    en: 'a file must be marked {{values}}',
  },
  'oneroster.manifest_file_missing': {
    ja: 'manifest は {{name}}.csv を {{mode}} としていますが、パッケージに {{name}}.csv がありません',
    en: 'the manifest marks {{name}}.csv {{mode}}, but the package has no {{name}}.csv',
  },
  'oneroster.not_in_manifest': {
    ja: 'manifest.csv に載っていないファイルです。読み込みませんでした',
    en: 'not listed in manifest.csv: ignored',
  },
  'oneroster.marked_absent': {
    ja: 'manifest.csv がこのファイルを absent（なし）としています。読み込みませんでした',
    en: 'manifest.csv marks this file absent: ignored',
  },
  'oneroster.roles_in_v11': {
    ja: 'OneRoster 1.1 に roles.csv はありません（役割は users.csv にあります）。読み込みませんでした',
    en: 'OneRoster 1.1 has no roles.csv (roles are on users.csv): ignored',
  },
  'oneroster.required': { ja: '{{column}} は必須です', en: '{{column}} is required' },
  'oneroster.either': { ja: '{{column}} は {{values:or}} にしてください', en: '{{column}} must be {{values:or}}' },
  'oneroster.one_of': {
    ja: '{{column}} は {{values}} のどれかにしてください',
    en: '{{column}} must be one of {{values}}',
  },
  'oneroster.class_type': {
    ja: 'classType は {{values:or}} にしてください（大文字と小文字を区別します）',
    en: 'classType must be {{values:or}} (the vocabulary is case-sensitive)',
  },
  'oneroster.sex': {
    ja: 'sex は {{values}} のどれかか、空欄にしてください',
    en: 'sex must be one of {{values}} or empty',
  },
  'oneroster.disability_type': {
    ja: '{{column}} は特別支援学級の障害種別のコード（{{values}}）か、空欄にしてください',
    en: '{{column}} must be a code of a type of disability ({{values}}) or empty',
  },
  'oneroster.disability_not_special_needs': {
    ja: '{{column}} は特別支援学級（metadata.jp.specialNeeds が true）にだけ書けます',
    en: '{{column}} is given for special-needs classes only (metadata.jp.specialNeeds true)',
  },
  'oneroster.boolean': { ja: '{{column}} は true か false にしてください', en: '{{column}} must be true or false' },
  'oneroster.enabled_user': {
    ja: 'enabledUser は true か false（TRUE、FALSE）にしてください',
    en: 'enabledUser must be true or false (TRUE, FALSE)',
  },
  'oneroster.date': {
    ja: '{{column}} は日付（YYYY-MM-DD）にしてください',
    en: '{{column}} must be a date (YYYY-MM-DD)',
  },
  'oneroster.not_datetime': {
    ja: '日時（YYYY-MM-DDTHH:MM:SS.sssZ）ではありません',
    en: 'not a date-time (YYYY-MM-DDTHH:MM:SS.sssZ)',
  },
  'oneroster.school_year': { ja: 'schoolYear は西暦年（YYYY）にしてください', en: 'schoolYear must be a year (YYYY)' },
  'oneroster.end_before_start': { ja: 'endDate が startDate より前です', en: 'endDate is before startDate' },
  'oneroster.status_blank_bulk': {
    ja: 'bulk のファイルでは status を空欄にしてください',
    en: 'status must be blank in a bulk file',
  },
  'oneroster.status_required_delta': {
    ja: 'delta のファイルでは status は必須です',
    en: 'status is required in a delta file',
  },
  'oneroster.dlm_required_delta': {
    ja: 'delta のファイルでは dateLastModified は必須です',
    en: 'dateLastModified is required in a delta file',
  },
  'oneroster.older_ignored': {
    ja: 'この sourcedId で読み込み済みの行より古い行です。読み込みませんでした',
    en: 'older than the row already loaded for this sourcedId: ignored',
  },
  'oneroster.repeat': {
    ja: '同じ {{key}} の行が前にあります',
    en: 'repeats an earlier row for the same {{key}}',
  },
  'oneroster.identifier_invalid': {
    ja: '正しい学校コード（文部科学省、13 桁、検査数字つき）ではありません',
    en: 'not a valid MEXT school code (13 characters, check digit)',
  },
  'oneroster.identifier_missing': {
    ja: '学校に学校コード（identifier）がありません。表示した仮のコードで扱います',
    en: 'school has no MEXT school code (identifier): keyed by the synthetic code shown',
  },
  'oneroster.identifier_twice': {
    ja: '同じ学校コードが別の組織の identifier になっています',
    en: 'the same school code is the identifier of another org',
  },
  'oneroster.not_a_school': {
    ja: 'schoolSourcedId が学校ではない組織を指しています',
    en: 'schoolSourcedId names an org that is not a school',
  },
  'oneroster.reference_unknown': {
    ja: '{{column}} が指す{{what}}が {{file}} にも以前の名簿にもありません',
    en: '{{column}} names no {{what}} in {{file}} or earlier rosters',
    terms: { what: WHAT },
  },
  'oneroster.reference_rejected': {
    ja: '{{column}} が指す{{what}}の {{file}} の行はエラーで読み込まれていません',
    en: '{{column}} names {{what}} whose row in {{file}} was rejected',
    terms: { what: withArticle(WHAT) },
  },
  'oneroster.course_absent': {
    ja: 'courseSourcedId が科目を指していますが、courses.csv は absent（なし）で、以前の名簿にもありません',
    en: 'courseSourcedId names a course, but courses.csv is absent and no earlier roster has it',
  },
  'oneroster.list_unknown': {
    ja: '{{column}} が指す{{what}}が {{file}} にも以前の名簿にもありません',
    en: '{{column}} names {{what}} not in {{file}} or earlier rosters',
    terms: { what: plural(WHAT) },
  },
  'oneroster.list_rejected': {
    ja: '{{column}} が指す{{what}}の {{file}} の行はエラーで読み込まれていません',
    en: '{{column}} names {{what}} whose rows in {{file}} were rejected',
    terms: { what: plural(WHAT) },
  },
  'oneroster.grades_outside': {
    ja: 'grades に日本プロファイルの学年コード（{{values}}）以外があります',
    en: 'grades outside the Japan profile codes ({{values}})',
  },
  'oneroster.first_grade': {
    ja: '児童生徒の最初の学年は日本プロファイルの学年コード（{{values}}）にしてください',
    en: "a student's first grade must be a Japan profile grade code ({{values}})",
  },
  'oneroster.no_grade': {
    ja: '児童生徒に学年がありません。在籍は学年なしで読み込みます',
    en: 'student has no grade: the enrolment loads without one',
  },
  'oneroster.user_ids_form': {
    ja: 'userIds は {type:id},{type:id} の形にしてください',
    en: 'userIds must look like {type:id},{type:id}',
  },
  'oneroster.user_ids_shared': {
    ja: 'userIds の ID（種類と値）が別の児童生徒と同じです',
    en: 'userIds gives an id (type and value) that another student has',
  },
  'oneroster.home_class_not_homeroom': {
    ja: 'metadata.jp.homeClass が学級（homeroom）ではないクラスを指しています。使いませんでした',
    en: 'metadata.jp.homeClass names a class that is not a homeroom: not used',
  },
  'oneroster.emails_not_pseudonyms': {
    ja: '仮名化済みのパッケージに仮名でないメールアドレスがあります。使いませんでした',
    en: 'e-mail addresses that are not pseudonyms in a pre-pseudonymised package: not used',
  },
  'oneroster.email_shared': {
    ja: '別の児童生徒に同じメールアドレスがあります。学習記録との結びつけには使いませんでした',
    en: 'another student has the same e-mail address: not used to link learning records',
  },
  'oneroster.no_role': {
    ja: 'roles.csv にも以前の名簿にも役割がない利用者です。読み込みませんでした',
    en: 'user has no role in roles.csv or earlier rosters: not loaded',
  },
} satisfies Record<string, ProblemMessage>;
