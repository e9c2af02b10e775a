import { VOCABULARIES } from '../../labels/labels.js';
import type { ProblemMessage } from './problem-text.js';

/** A feed kind in a message: in Japanese its label, in English the kind as the English text always had it. */
const FEED = Object.fromEntries(
  Object.entries(VOCABULARIES.feedKind).map(([kind, words]) => [kind, { ja: words.ja, en: kind }]),
);

/** The same with the English article a count of columns is said with. */
const A_FEED = Object.fromEntries(
  Object.entries(VOCABULARIES.feedKind).map(([kind, words]) => [
    kind,
    { ja: words.ja, en: `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}` },
  ]),
);

/** DuckDB's CSV reader's kinds of refused line (lower case, as the English text has them). */
const CSV_LINE_ERROR = {
  cast: { ja: '値の型が合いません', en: 'cast' },
  'missing columns': { ja: '列が足りません', en: 'missing columns' },
  'too many columns': { ja: '列が多すぎます', en: 'too many columns' },
  'unquoted value': { ja: '引用符の閉じ忘れ', en: 'unquoted value' },
  'line size over maximum': { ja: '行が長すぎます', en: 'line size over maximum' },
  'invalid unicode': { ja: '文字として読めないバイト', en: 'invalid unicode' },
  'invalid state': { ja: '読み取れない並び', en: 'invalid state' },
};

/** DuckDB's kinds of error that come of what a file holds (unreadable-input.ts). */
const INPUT_ERROR = {
  'invalid input': { ja: '入力が不正', en: 'invalid input' },
  binder: { ja: '列の対応づけ', en: 'binder' },
  parser: { ja: '構文', en: 'parser' },
  conversion: { ja: '値の変換', en: 'conversion' },
  'out of range': { ja: '値の範囲外', en: 'out of range' },
};

const SAVE_AS_UTF8 = {
  ja:
    '。UTF-8 で保存して（Excel では「名前を付けて保存」で「CSV UTF-8（コンマ区切り）」を選んで）' +
    'もう一度送ってください',
  en: '; save the file as UTF-8 (Excel: “CSV UTF-8 (Comma delimited)”) and send it again',
};
const BAD_BYTE = {
  ja: '{{line}} 行目 {{character}} 文字目のバイト {{byte}} は文字の一部ではありません',
  en: 'byte {{byte}} at line {{line}}, character {{character}} is not part of a character',
};

/**
 * What is wrong with a file as a whole or with its header: found before any row is read (detect.ts,
 * encoding checks, csv-header.ts, the CSV reader, zips, the warehouse's ledger).
 */
export const FILE_PROBLEMS = {
  'file.key_fingerprint': {
    ja: '`shirube pseudonymize` が書いた鍵の指紋（16 進数 64 桁）ではありません',
    en: 'not a key fingerprint written by `shirube pseudonymize` (64 hex digits)',
  },
  'file.json_not_xapi': {
    ja: 'xAPI の学習記録（"actor" と "verb"）を含まないファイルです。読み込みませんでした',
    en: 'holds no xAPI learning records (no "actor" and "verb"): ignored',
  },
  'file.unknown_type': {
    ja: 'CSV、zip、xAPI の学習記録のどれでもないファイルです。読み込みませんでした',
    en: 'not a CSV file, a zip or a file of xAPI learning records: ignored',
  },
  'file.header_too_long_any': {
    ja: '見出し行が 64 KB を超えています。このような見出しのデータはありません',
    en: 'the header line is longer than 64 KB: no feed has such a header',
  },
  'file.header_missing_column': {
    ja: '見出しがどのデータにも合いません。必須の列 {{column}} がありません（ほかの列は「{{feed}}」のファイルのものです）',
    en:
      'header matches no feed: required column {{column}} is missing ' +
      '(the other columns are those of a {{feed}} file)',
    terms: { feed: FEED },
  },
  'file.header_no_feed': {
    ja:
      '見出しがどのデータにも合いません（出欠 attendance、学校暦 school_calendar、学力調査 assessments、' +
      '生徒指導 guidance_records、事業・施策 programmes）',
    en: 'header matches no feed (attendance, school_calendar, assessments, guidance_records, programmes)',
  },
  'file.zip_no_manifest': {
    ja: 'zip に OneRoster の manifest.csv がありません',
    en: 'zip holds no OneRoster manifest.csv',
  },
  'encoding.neither': {
    ja: `文字コードが UTF-8 でも Shift_JIS でもありません。${BAD_BYTE.ja}${SAVE_AS_UTF8.ja}`,
    en: `neither UTF-8 nor Shift_JIS: ${BAD_BYTE.en}${SAVE_AS_UTF8.en}`,
  },
  'encoding.not_shift_jis': {
    ja: `指定された Shift_JIS（CP932）として読めません。${BAD_BYTE.ja}${SAVE_AS_UTF8.ja}`,
    en: `not Shift_JIS (CP932), as declared: ${BAD_BYTE.en}${SAVE_AS_UTF8.en}`,
  },
  'encoding.not_utf8': {
    ja: `指定された UTF-8 として読めません。${BAD_BYTE.ja}${SAVE_AS_UTF8.ja}`,
    en: `not UTF-8, as declared: ${BAD_BYTE.en}${SAVE_AS_UTF8.en}`,
  },
  'header.too_long': {
    ja: '見出し行が {{kb}} KB を超えています。「{{feed}}」のファイルにこのような見出しはありません',
    en: 'the header line is longer than {{kb}} KB: no {{feed}} file has such a header',
    terms: { feed: FEED },
  },
  'header.too_many_columns': {
    ja: '見出しに {{count}} 列あります。「{{feed}}」のファイルは多くて {{limit}} 列です',
    en: 'the header has {{count}} columns; {{feed}} file has at most {{limit}}',
    terms: { feed: A_FEED },
  },
  'header.unnamed_column': {
    ja: '見出しの {{position}} 列目に名前がありません',
    en: 'column {{position}} of the header has no name',
  },
  'header.control_character': {
    ja: '見出しの {{position}} 列目の名前に制御文字（NUL、タブなど）があります',
    en: 'column {{position}} of the header has a control character (NUL, tab ...) in its name',
  },
  'header.case_twice': {
    ja: '列 {{column}} が見出しに 2 回あります（大文字・小文字を区別しなければ {{earlier}} と同じです）',
    en: 'column {{column}} appears twice in the header (as {{earlier}} too: letter case aside)',
  },
  'csv.required_column_missing': {
    ja: '必須の列 {{column}} が見出しにありません',
    en: 'required column {{column}} is missing from the header',
  },
  'csv.column_twice': { ja: 'この列が見出しに 2 回あります', en: 'column appears twice in the header' },
  'csv.unknown_column': { ja: '知らない列です。読み飛ばしました', en: 'unknown column, ignored' },
  'csv.malformed_line': {
    ja: 'CSV の行として読めません（{{kind}}）',
    en: 'malformed CSV line ({{kind}})',
    terms: { kind: CSV_LINE_ERROR },
  },
  'input.unreadable': {
    ja: 'ファイルを読めません（{{kind}}のエラー）。このファイルは何も読み込んでいません',
    en: 'the file cannot be read ({{kind}} error); nothing of it was loaded',
    terms: { kind: INPUT_ERROR },
  },
  'ledger.batch_missing': {
    ja:
      'バッチ {{batches}} で読み込み済みと記録されていますが、データベースにそのバッチがありません' +
      '（新しいデータベースか、それより前に戻したもの）。もう一度読み込みました',
    en:
      'recorded as loaded in batch {{batches}}, but the warehouse does not hold that batch (a new warehouse, ' +
      'or one restored from before it): loaded again',
  },
  'zip.unreadable': {
    ja: 'zip ファイルとして読めません（{{detail}}）',
    en: 'not a readable zip file ({{detail}})',
  },
  'zip.too_many_entries': {
    ja: 'zip に {{count}} 個のファイルがあります。OneRoster のパッケージは多くて {{limit}} 個です',
    en: 'the zip holds {{count}} entries; a OneRoster package holds at most {{limit}}',
  },
  'zip.cannot_read': { ja: 'zip を読めません: {{detail}}', en: 'the zip cannot be read: {{detail}}' },
  'zip.outside': {
    ja: 'zip の中の {{entry}} が zip の外を指しています',
    en: 'entry {{entry}} points outside the archive',
  },
  'zip.too_large': {
    ja: 'zip を展開すると {{size}} を超えます。パッケージを分けるか、フォルダのまま送ってください',
    en: 'the zip unpacks to more than {{size}}; split the package or send the folder',
  },
  'zip.ratio': {
    ja: 'zip の中の {{entry}} は圧縮時の {{ratio}} 倍に展開されます（多くて {{limit}} 倍）。CSV の書き出しではありません',
    en: 'entry {{entry}} unpacks {{ratio}} times its packed size (at most {{limit}}): not a CSV export',
  },
  'zip.larger_than_declared': {
    ja: 'zip の中の {{entry}} が記録された大きさより大きくなっています',
    en: 'entry {{entry}} is larger than it says',
  },
  'zip.twice': { ja: 'zip の中に {{entry}} が 2 回あります', en: 'entry {{entry}} appears twice in the zip' },
  'zip.file_and_folder': {
    ja: 'zip の中の {{entry}} がファイルとフォルダの両方になっています',
    en: 'entry {{entry}} is both a file and a folder in the zip',
  },
  'zip.cannot_unpack': {
    ja: 'zip の中の {{entry}} を展開できません: {{detail}}',
    en: 'entry {{entry}} cannot be unpacked: {{detail}}',
  },
} satisfies Record<string, ProblemMessage>;
