/**
 * What a report prints in words: the categories of its datasets (学年 P1 → 小1, 性別 female → 女, a
 * programme group adopted_2024 → 2024年度導入, a funnel flag high_95 → 95%限界より上, true → はい) for its
 * charts and tables, and its charts' bilingual titles ("学年 / grade") in the report's language. The
 * placeholders of its texts keep reading the codes (`{{status.submitted.schools}}`).
 */
import { dimensionCodes, dimensionValueLabel, isLabelledDimension } from '../labels/labels.js';
import type { DatasetRows, Locale } from './placeholders.js';

/** A column's value in words, where the column is a dimension the label catalogue has words for. */
function wordsFor(field: string, value: unknown, locale: Locale): unknown {
  if (!isLabelledDimension(field)) return value;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return value;
  return dimensionValueLabel(field, value, locale);
}

/** Every dataset with its coded columns in words (a copy: the placeholders keep the codes). */
export function labelDatasets(datasets: Record<string, DatasetRows>, locale: Locale): Record<string, DatasetRows> {
  return Object.fromEntries(
    Object.entries(datasets).map(([name, rows]) => [
      name,
      rows.map((row) =>
        Object.fromEntries(Object.entries(row).map(([field, value]) => [field, wordsFor(field, value, locale)])),
      ),
    ]),
  );
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The catalogue's words of a labelled field, in the order people read them (小1 … 中3, 男 before 女). */
function labelOrder(field: string, locale: Locale): string[] | undefined {
  const codes = dimensionCodes(field);
  return codes.length > 0 ? codes.map((code) => dimensionValueLabel(field, code, locale)) : undefined;
}

const ZERO_NOTE = { ja: '(縦軸は0から始まりません)', en: ' (axis does not start at zero)' };

/**
 * A chart spec as the report's language prints it: a title "日本語 / English" keeps its side; an
 * encoding of a labelled field sorts by the words in the catalogue's order; an axis that does not
 * start at zero says so in its title.
 */
export function localizeSpec(spec: object, locale: Locale): object {
  const walk = (node: Json, key: string | undefined): Json => {
    if (Array.isArray(node)) return node.map((item) => walk(item, undefined));
    if (node === null || typeof node !== 'object') {
      if (key === 'title' && typeof node === 'string' && node.includes(' / ')) {
        const [ja, ...en] = node.split(' / ');
        return locale === 'ja' ? ja.trim() : en.join(' / ').trim();
      }
      return node;
    }
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v, k);
    const field = typeof out.field === 'string' ? out.field : undefined;
    if (field && isLabelledDimension(field) && out.type === 'nominal') {
      const order = labelOrder(field, locale);
      if (Array.isArray(out.sort))
        out.sort = out.sort.map((code) => (typeof code === 'string' ? String(wordsFor(field, code, locale)) : code));
      else if (out.sort === undefined && order) out.sort = order;
    }
    const scale = out.scale as { [key: string]: Json } | undefined;
    if (out.type === 'quantitative' && scale && scale.zero === false && typeof out.title === 'string')
      out.title = `${out.title}${ZERO_NOTE[locale]}`;
    return out;
  };
  return walk(spec as Json, undefined) as object;
}
