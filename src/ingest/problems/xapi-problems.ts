import type { ProblemMessage } from './problem-text.js';

/** What a row number means in an xAPI file (read-statements.ts's layouts). */
const LAYOUT = {
  lines: { ja: '行番号 = ファイルの行', en: 'row = line in the file' },
  document: {
    ja: '行番号 = ファイルの中のステートメントの順番（1 から）',
    en: 'row = position of the statement in the file, from 1',
  },
};

/** Why a file cannot be read. */
const WHAT = {
  utf8: { ja: 'UTF-8 として正しくありません', en: 'not valid UTF-8' },
  json: { ja: 'JSON として正しくありません', en: 'not valid JSON' },
};

/** A message of an xAPI file, its row's meaning (`{{layout}}`: a layout) said after it. */
const xapi = (ja: string, en: string): ProblemMessage => ({
  ja: `${ja}（{{layout}}）`,
  en: `${en} ({{layout}})`,
  terms: { layout: LAYOUT },
});

/** Learning records (xAPI statements): the file, each statement's fields, repeats, links to the roster. */
export const XAPI_PROBLEMS = {
  'xapi.unreadable': {
    ja: 'ファイルを読めません: {{what}}',
    en: 'the file cannot be read: {{what}}',
    terms: { what: WHAT },
  },
  'xapi.unreadable_line': {
    ...xapi('ファイルを読めません: {{what}}', 'the file cannot be read: {{what}}'),
    terms: {
      layout: LAYOUT,
      what: WHAT,
    },
  },
  'xapi.unreadable_at_byte': {
    ...xapi(
      'ファイルを読めません: ステートメントの {{byte}} バイト目で {{what}}',
      'the file cannot be read: {{what}} at byte {{byte}} of the statement',
    ),
    terms: {
      layout: LAYOUT,
      what: WHAT,
    },
  },
  'xapi.not_json': xapi('JSON として正しくありません', 'not valid JSON'),
  'xapi.not_object': xapi('ステートメントは JSON のオブジェクトにしてください', 'a statement must be a JSON object'),
  'xapi.id_uuid': xapi('id は UUID にしてください', 'id must be a UUID'),
  'xapi.actor_unnamed': xapi(
    'actor に account.name も mbox もありません。ステートメントを誰にも結びつけられません',
    'actor has neither account.name nor mbox: nobody to link the statement to',
  ),
  'xapi.mbox_mailto': xapi('actor.mbox は mailto: の IRI にしてください', 'actor.mbox must be a mailto: IRI'),
  'xapi.verb_required': xapi('verb.id は必須です', 'verb.id is required'),
  'xapi.repeated_key': xapi(
    'ステートメントに同じキーが 2 回あります（どちらが有効か決められません）',
    'the statement holds the same key twice (which one counts cannot be told)',
  ),
  'xapi.result_not_object': xapi(
    'result は JSON のオブジェクト（score・success・completion・duration を持つもの）にしてください',
    'result must be a JSON object (holding score, success, completion, duration)',
  ),
  'xapi.verb_iri': xapi('verb.id は IRI にしてください', 'verb.id must be an IRI'),
  'xapi.timestamp_required': xapi('timestamp は必須です', 'timestamp is required'),
  'xapi.timestamp_form': xapi(
    'timestamp は秒と UTC からの時差を含む ISO 8601 の日時にしてください（例: 2023-02-28T12:00:21.619+09:00）',
    'timestamp must be an ISO 8601 date and time with seconds and a UTC offset (e.g. 2023-02-28T12:00:21.619+09:00)',
  ),
  'xapi.duration_form': xapi(
    'result.duration は週・日・時・分・秒による ISO 8601 の期間にしてください（例: PT4H35M20.00S、P1DT2H）',
    'result.duration must be an ISO 8601 duration in weeks, days, hours, minutes, seconds (e.g. PT4H35M20.00S, P1DT2H)',
  ),
  'xapi.scaled_number': xapi('result.score.scaled は数値にしてください', 'result.score.scaled must be a number'),
  'xapi.scaled_range': xapi(
    'result.score.scaled は -1 から 1 の間にしてください',
    'result.score.scaled must be between -1 and 1',
  ),
  'xapi.raw_number': xapi('result.score.raw は数値にしてください', 'result.score.raw must be a number'),
  'xapi.success_boolean': xapi(
    'result.success は true か false にしてください',
    'result.success must be true or false',
  ),
  'xapi.completion_boolean': xapi(
    'result.completion は true か false にしてください',
    'result.completion must be true or false',
  ),
  'xapi.derived_ids': xapi(
    'id のないステートメントには、内容から作った id（鍵付きハッシュ）を付けました。同じものが再送されても見分けられます',
    'statements without an id were given one made from their content (keyed hash), ' +
      'so that a re-sent copy is still recognised',
  ),
  'xapi.repeat_in_file': xapi(
    '同じ id のステートメントが 2 つ目です。読み込みませんでした',
    'a second statement with the same id: dropped',
  ),
  'xapi.repeat_in_batch': xapi(
    '同じ id のステートメントがこのバッチの別のファイルにあります。読み込みませんでした',
    'a statement with the same id is in another file of this batch: dropped',
  ),
  'xapi.already_stored': xapi(
    'すでにデータベースにあるステートメントです（前に送られたもの）。読み込みませんでした',
    'statements already in the warehouse (sent before): skipped',
  ),
  'xapi.actor_unlinked': xapi(
    'actor がどの名簿の児童生徒（sourcedId または userIds）にも合いません。' +
      '児童生徒に結びつけずに読み込み、名簿に現れた時点で結びつけます',
    'actor matches no roster student (sourcedId or userIds): loaded unlinked, linked when a roster names it',
  ),
  'xapi.no_enrolment': xapi(
    'timestamp の年度に、この児童生徒の在籍がありません。学校なしで読み込みました',
    'the student has no enrolment in the school year (年度) of the timestamp: loaded without a school',
  ),
} satisfies Record<string, ProblemMessage>;
