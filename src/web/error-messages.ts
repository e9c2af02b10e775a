import type { ErrorCode } from '../common/error-codes.js';
import type { Locale } from '../config/config.js';

/**
 * What a page says for each error code (the message page of WebErrorFilter). Typed by ErrorCode:
 * a code declared without its words here does not build.
 */
const ja: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'リクエストが正しくありません。',
  NOT_FOUND: 'ページが見つかりません。',
  PAYLOAD_TOO_LARGE: '送信されたデータが大きすぎます。',
  REQUEST_REFUSED: 'リクエストを受け付けられませんでした。時間をおいて再度お試しください。',
  STORE_UNAVAILABLE: 'データベースに接続できません。時間をおいて再度お試しください。',
  INTERNAL: 'エラーが発生しました。時間をおいて再度お試しください。',
  UNAUTHENTICATED: 'ログインしてください。',
  FORBIDDEN_ROLE: 'このページを表示する権限がありません。',
  FORBIDDEN_SCHOOL: '他の学校のデータは表示できません。',
  FORBIDDEN_ORIGIN: '他のサイトから送信されたフォームは受け付けません。',
  USER_NAME_TAKEN: '同じ名前の利用者がすでにいます。',
  USER_DISABLED: 'この利用者は無効になっています。',
  USER_DISABLE_SELF: '自分自身を無効にすることはできません。',
  SURVEY_DEFINITION_INVALID: '調査の設問または対象に誤りがあります。',
  SURVEY_NOT_DRAFT: 'この調査はすでに配布されています。',
  SURVEY_NO_TARGET_SCHOOL: '調査の対象に該当する学校がありません。',
  SURVEY_RESPONSE_STALE: '他の更新がありました。再読み込みしてください。',
  SURVEY_RESPONSE_SUBMITTED: 'この回答はすでに提出されています。修正が必要な場合は教育委員会が差し戻します。',
  SURVEY_RESPONSE_NOT_SUBMITTED: 'この回答は提出済みではないため差し戻せません。',
  SURVEY_SUBMISSION_BLOCKED: '提出できません。確認事項を解決してください。',
  INGEST_BATCH_REJECTED: '取り込みを中止しました。報告の問題を修正してから再度送信してください。',
  INGEST_FEED_FORBIDDEN: '学校が送信できるのは出欠・学校暦・学力調査・生徒指導のファイルだけです。',
  PSEUDONYM_KEY_MISMATCH: '仮名化の鍵がデータ基盤の鍵と一致しません。',
  PSEUDONYM_KEY_UNAVAILABLE: '仮名化の鍵を読み込めません。管理者に連絡してください。',
  PSEUDONYM_KEY_EXISTS: '仮名化の鍵はすでにあります。鍵は置き換えません。',
  BACKUP_TARGET_NOT_EMPTY: 'バックアップは空のフォルダにだけ書き、空のデータベースにだけ復元します。',
  BACKUP_RESTORE_MISMATCH: '復元したデータがバックアップと一致しません。管理者に連絡してください。',
  BACKUP_UNUSABLE: 'このフォルダは復元できるバックアップではありません(不完全、破損、または新しい版のもの)。',
  BACKUP_FOLDER_CHOSEN: 'バックアップの保存先を選べるのはサーバー上のコマンドだけです。',
  COHORT_DEFINITION_INVALID: 'コホートの定義に誤りがあります。',
  COHORT_ANALYSIS_NOT_POSSIBLE: 'このコホートではこの分析を行えません。',
  COHORT_VERSION_CONFLICT: '同じ名前の定義が同時に保存されました。もう一度保存してください。',
  REPORT_TEMPLATE_FORBIDDEN: 'この帳票を作成する権限がありません。',
  REPORT_RUN_NOT_DONE: '帳票の一括作成がまだ終わっていません。',
  REPORT_PRINTER_UNAVAILABLE: 'PDF を作成できません(Chromium が見つかりません)。管理者に連絡してください。',
  REPORT_TEMPLATE_INVALID: '帳票のテンプレートに誤りがあります。管理者に連絡してください。',
  QUERY_LIMIT: '処理が上限(時間またはメモリ)を超えたため中止しました。条件を絞ってください。',
  QUERY_CANCELLED: '処理を中止しました。',
};

const en: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is not valid.',
  NOT_FOUND: 'Page not found.',
  PAYLOAD_TOO_LARGE: 'What was sent is too large.',
  REQUEST_REFUSED: 'The request was refused. Please try again later.',
  STORE_UNAVAILABLE: 'The database does not answer. Please try again later.',
  INTERNAL: 'Something went wrong. Please try again later.',
  UNAUTHENTICATED: 'Please sign in.',
  FORBIDDEN_ROLE: 'You may not see this page.',
  FORBIDDEN_SCHOOL: 'You may not see another school’s data.',
  FORBIDDEN_ORIGIN: 'A form sent from another site is refused.',
  USER_NAME_TAKEN: 'A user with this name already exists.',
  USER_DISABLED: 'This user is disabled.',
  USER_DISABLE_SELF: 'You cannot disable yourself.',
  SURVEY_DEFINITION_INVALID: 'The survey’s questions or targets are not valid.',
  SURVEY_NOT_DRAFT: 'This survey has already been issued.',
  SURVEY_NO_TARGET_SCHOOL: 'No school matches the survey’s targets.',
  SURVEY_RESPONSE_STALE: 'Someone else updated this in the meantime. Please reload the page.',
  SURVEY_RESPONSE_SUBMITTED: 'This response has already been submitted. If it needs correcting, the board returns it.',
  SURVEY_RESPONSE_NOT_SUBMITTED: 'This response is not submitted, so it cannot be returned.',
  SURVEY_SUBMISSION_BLOCKED: 'The response cannot be submitted yet: resolve the checks.',
  INGEST_BATCH_REJECTED: 'Nothing was loaded: fix the problems in the report and send the files again.',
  INGEST_FEED_FORBIDDEN: 'A school may send attendance, calendar, assessment and guidance files only.',
  PSEUDONYM_KEY_MISMATCH: 'The pseudonym key is not the warehouse’s key.',
  PSEUDONYM_KEY_UNAVAILABLE: 'The pseudonym key cannot be read. Please contact the administrator.',
  PSEUDONYM_KEY_EXISTS: 'A pseudonym key is already there; it is never replaced.',
  BACKUP_TARGET_NOT_EMPTY: 'A backup is written into an empty folder only, and restored into empty stores only.',
  BACKUP_RESTORE_MISMATCH: 'The restored data does not match the backup. Please contact the administrator.',
  BACKUP_UNUSABLE: 'This folder is not a backup that can be restored (incomplete, damaged, or from a newer version).',
  BACKUP_FOLDER_CHOSEN: 'Only the command line on the server chooses where a backup goes.',
  COHORT_DEFINITION_INVALID: 'The cohort definition is not valid.',
  COHORT_ANALYSIS_NOT_POSSIBLE: 'This analysis cannot run on this cohort.',
  COHORT_VERSION_CONFLICT: 'The same definition name was saved at the same time. Please save again.',
  REPORT_TEMPLATE_FORBIDDEN: 'You may not render this report.',
  REPORT_RUN_NOT_DONE: 'The every-school run is not done yet.',
  REPORT_PRINTER_UNAVAILABLE: 'PDFs cannot be made (Chromium is missing). Please contact the administrator.',
  REPORT_TEMPLATE_INVALID: 'The report template is broken. Please contact the administrator.',
  QUERY_LIMIT: 'The work went past a limit (time or memory) and was stopped. Narrow the question.',
  QUERY_CANCELLED: 'The work was stopped.',
};

const TEXT: Record<Locale, Record<ErrorCode, string>> = { ja, en };

export function errorText(code: ErrorCode, locale: Locale): string {
  return TEXT[locale][code];
}
