import type { FieldProblem } from '../common/domain-error.js';
import type { Locale } from '../config/config.js';

/**
 * The surveys service's refusals (the API's request validation and checkSurveyDefinition, whose messages
 * are English for API clients) in words for the builder's pages: in Japanese by the kind of field it names
 * (and, where one field can fail for more than one reason, by which rule failed); in English as the service
 * said it.
 */
export interface PageProblem {
  /** The refused field, as the service names it (`questions.3.binding.metric`). */
  field: string;
  text: string;
}

const RULES: [RegExp, (messages: string) => string][] = [
  [/^title\.(ja|en)$/, () => '調査名を入力してください(500文字まで)。'],
  [/^description\.(ja|en)$/, () => '説明は5000文字までにしてください。'],
  [/^academicYear$/, () => '年度は2000から2100までの西暦で入力してください。'],
  [/^asOfDate$/, () => '基準日を日付で入力してください。'],
  [
    /^deadline$/,
    (m) =>
      m.includes('before the as-of date') ? '提出期限が基準日より前です。' : '提出期限を日付で入力してください。',
  ],
  [/^targets(\.|$)/, () => '対象の学校を1校以上選んでください。'],
  [/^questions$/, () => '設問を1つ以上にしてください(200まで)。'],
  [
    /\.code$/,
    (m) =>
      m.includes('used twice')
        ? 'この設問コードはほかの設問でも使われています。'
        : '設問コードは英小文字で始まる、半角の英小文字・数字・_ の32文字までにしてください。',
  ],
  [/\.text\.(ja|en)$/, () => '設問文を入力してください(500文字まで)。'],
  [/\.type$/, () => '回答の形を選んでください。'],
  [/\.choices$/, () => '選択式の設問には、選択肢を1行に1つずつ2つ以上入力してください。'],
  [
    /\.gridDims$/,
    (m) =>
      m.includes('has no dimension')
        ? '結び付けた指標にない区分が、表の区分に選ばれています。'
        : '表形式の設問には、表の区分を1つ以上選んでください。',
  ],
  [/\.binding$/, () => '文章・選択式の設問はデータから回答できません。数値か表形式にするか、指標を外してください。'],
  [/\.binding\.metric$/, () => '指標の一覧にある指標を選んでください。'],
  [
    /\.binding\.filter$/,
    (m) =>
      m.includes('do not add up')
        ? 'この指標(率・平均など)は足し合わせられません。表の区分にしない区分はそれぞれ値を1つだけ選んでください。'
        : '結び付けた指標にない区分で絞り込んでいます。',
  ],
  [/\.rules\.\d+\.(min|max)$/, () => '最小値・最大値は数で入力してください。'],
  [/\.rules\.\d+\.question$/, () => '比べる設問を選んでください(この調査にある設問です)。'],
  [/\.rules\.\d+\.threshold$/, () => '差の上限を0以上の%で入力してください。'],
  [/\.rules\.\d+\.(check|severity)$/, () => '確認すること・重さを選んでください。'],
];

/** One refused field in the page's language. */
export function problemText(problem: FieldProblem, locale: Locale): string {
  const messages = problem.messages.join('; ');
  if (locale === 'en') return messages;
  const rule = RULES.find(([pattern]) => pattern.test(problem.field));
  return rule ? rule[1](messages) : 'この欄の値を確認してください。';
}

export function pageProblems(fields: FieldProblem[], locale: Locale): PageProblem[] {
  return fields.map((f) => ({ field: f.field, text: problemText(f, locale) }));
}
