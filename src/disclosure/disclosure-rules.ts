import type { DisclosureSettings } from './disclosure.types.js';

/** What a table contains, which decides which rules its footnote must state. */
export interface RuleFeatures {
  area: boolean;
  secondary: boolean;
  rates: boolean;
  statistics: boolean;
  /** Means of values within a declared range (analysts' derived outcomes). */
  boundedMeans?: boolean;
}

export interface RuleSentences {
  rules: string[];
  rulesJa: string[];
}

/**
 * The footnote printed under a controlled table, in English and Japanese, sentence by sentence in
 * the order the rules are applied. A reader needs it to interpret a total that is not the sum of
 * the visible cells, or a blank that is not a zero.
 */
export function describeRules(settings: DisclosureSettings, features: RuleFeatures): RuleSentences {
  const { maxRedactedCount: max, rounding, minSchools } = settings;
  const sentences: [string, string][] = [];
  if (features.area && minSchools > 0) {
    sentences.push([
      `Figures for an area of fewer than ${minSchools} ${minSchools === 1 ? 'school' : 'schools'} are redacted.`,
      `${minSchools}校未満の地域の集計値は秘匿しています。`,
    ]);
  }
  if (max >= 1) {
    sentences.push(
      max === 1
        ? ['Statistics about 1 student are redacted.', '1人に関する統計値は秘匿しています。']
        : [`Statistics about 1–${max} students are redacted.`, `1〜${max}人に関する統計値は秘匿しています。`],
    );
  } else {
    sentences.push([
      'No figure is redacted for describing few students.',
      '少人数であることによる秘匿は行っていません。',
    ]);
  }
  if (features.statistics) {
    sentences.push(
      max >= 1
        ? [
            `A mean or other statistic is redacted when it describes ${max} or fewer students.`,
            `平均値などの統計値は、対象が${max}人以下の場合は秘匿しています。`,
          ]
        : [
            'A mean or other statistic about no students is left blank.',
            '対象が0人の平均値などの統計値は空欄にしています。',
          ],
    );
  }
  if (features.secondary) {
    sentences.push([
      'Where a redacted figure could be worked out from a total, further figures are redacted.',
      '合計から秘匿した値を逆算できる場合は、他の値もあわせて秘匿しています。',
    ]);
  }
  if (rounding > 1) {
    sentences.push([
      `Counts are rounded to the nearest multiple of ${rounding}; a total is the sum of the rounded counts (redacted ones included), so it may differ from the exact total.`,
      `人数は${rounding}人単位に丸めています。合計は丸めた人数（秘匿した値を含む）の和のため、実際の合計と異なる場合があります。`,
    ]);
  } else {
    sentences.push(['Counts are not rounded.', '人数は丸めずに表示しています。']);
  }
  if (features.rates) {
    sentences.push([
      'A rate is computed from the rounded counts and is redacted when its numerator or denominator is redacted.',
      '率は丸めた人数から算出し、分子または分母を秘匿した場合は表示していません。',
    ]);
  }
  if (features.boundedMeans) {
    sentences.push([
      `A mean of an analyst's expression is of each student's value clipped into its declared range; its sum is rounded to a multiple of ${rounding} × the range's width and divided by the rounded count, so no single student's value shows in it.`,
      `分析者が定義した式の平均値は、各児童生徒の値を宣言された範囲に収めたうえで、合計を範囲の幅の${rounding}倍単位に丸め、丸めた人数で割っています。一人の値が平均値から読み取れることはありません。`,
    ]);
  }
  return { rules: sentences.map(([en]) => en), rulesJa: sentences.map(([, ja]) => ja) };
}
