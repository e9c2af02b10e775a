/**
 * Placeholders in report texts and cohort definitions. In text, `{{path|format}}` where path is a
 * parameter or context value (`academicYear`, `school.name`, `programme.name`) or a dataset figure:
 * `dataset.first.field`, `dataset.last.field` (rows in the order given), `dataset.N.field`,
 * `dataset.count` (rows), `dataset.sum.field` (sum over rows), `dataset.KEY.field` (the row whose
 * first column equals KEY, e.g. `status.submitted.schools`). In a cohort definition template a whole
 * JSON string `"{{name}}"` (or `"{{name-1}}"`) becomes the parameter's JSON value.
 */
import { textOf } from '../common/text-of.js';

export type Locale = 'ja' | 'en';
export type DatasetRows = Record<string, unknown>[];

export interface PlaceholderContext {
  locale: Locale;
  values: Record<string, unknown>;
  datasets: Record<string, DatasetRows>;
  /** The first column of each dataset (for `dataset.KEY.field`). */
  keyColumn: (dataset: string) => string | undefined;
  /** Name of a school by code (for the `schoolName` format). */
  schoolName?: (code: string) => string | undefined;
  /** Outcome of the report, for the `effect` format (percentage points for rates). */
  outcome?: string;
}

export class PlaceholderError extends Error {}

const RATE_OUTCOMES = new Set(['attendance_rate', 'long_term_absence']);

/** A value formatted for print; null (a redacted or missing figure) prints as a dash with a note mark. */
export function formatValue(
  value: unknown,
  format: string | undefined,
  context: Pick<PlaceholderContext, 'locale' | 'schoolName' | 'outcome'>,
): string {
  if (value === null || value === undefined) return context.locale === 'ja' ? '—(秘匿)' : '— (redacted)';
  const number = typeof value === 'number' ? value : Number.NaN;
  const fixed = (digits: number) =>
    number.toLocaleString(context.locale === 'ja' ? 'ja-JP' : 'en-GB', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  switch (format) {
    case undefined:
      return textOf(value);
    case 'integer':
      return Number.isFinite(number) ? fixed(0) : textOf(value);
    case 'number1':
      return Number.isFinite(number) ? fixed(1) : textOf(value);
    case 'number2':
      return Number.isFinite(number) ? fixed(2) : textOf(value);
    case 'percent':
      return Number.isFinite(number) ? `${(number * 100).toFixed(1)}%` : textOf(value);
    case 'effect': {
      if (!Number.isFinite(number)) return textOf(value);
      const sign = number > 0 ? '+' : number < 0 ? '−' : '±';
      if (RATE_OUTCOMES.has(context.outcome ?? ''))
        return `${sign}${Math.abs(number * 100).toFixed(2)}${context.locale === 'ja' ? 'ポイント' : ' pt'}`;
      return `${sign}${Math.abs(number).toFixed(2)}`;
    }
    case 'effectKind':
      return value === 'overall'
        ? context.locale === 'ja'
          ? '導入後の平均'
          : 'Average after adoption'
        : value === 'event_time'
          ? context.locale === 'ja'
            ? '導入後年数別'
            : 'By years since adoption'
          : textOf(value);
    case 'schoolName': {
      const name = context.schoolName?.(textOf(value));
      return name ? `${name}(${textOf(value)})` : textOf(value);
    }
    default:
      throw new PlaceholderError(`unknown format "${format}"`);
  }
}

export const FORMATS = ['integer', 'number1', 'number2', 'percent', 'effect', 'effectKind', 'schoolName'];

function lookup(path: string, context: PlaceholderContext): unknown {
  const parts = path.split('.');
  if (parts[0] in context.datasets) {
    const rows = context.datasets[parts[0]];
    const selector = parts[1];
    if (selector === 'count' && parts.length === 2) return rows.length;
    if (parts.length !== 3) throw new PlaceholderError(`{{${path}}}: a dataset figure is dataset.row.field`);
    const field = parts[2];
    if (selector === 'sum') {
      let sum = 0;
      for (const r of rows) {
        const v = r[field];
        if (v === null || v === undefined) return null;
        sum += Number(v);
      }
      return sum;
    }
    let row: Record<string, unknown> | undefined;
    if (selector === 'first') row = rows[0];
    else if (selector === 'last') row = rows[rows.length - 1];
    else if (/^\d+$/.test(selector)) row = rows[Number(selector)];
    else {
      const key = context.keyColumn(parts[0]);
      row = key ? rows.find((r) => String(r[key]) === selector) : undefined;
      if (!row) return 0; // a status or burden kind with no row counts nothing
    }
    return row ? row[field] : null;
  }
  let value: unknown = context.values;
  for (const part of parts) {
    if (value === null || typeof value !== 'object' || !(part in value))
      throw new PlaceholderError(`{{${path}}} names nothing known`);
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Replaces every `{{path|format}}` of a text. An unknown name is an error (found at boot by a dry run). */
export function fillText(text: string, context: PlaceholderContext): string {
  return text.replace(
    /\{\{\s*([^}|]+?)\s*(?:\|\s*([a-zA-Z0-9]+)\s*)?\}\}/g,
    (_, path: string, format: string | undefined) => formatValue(lookup(path, context), format, context),
  );
}

/** The placeholders of a text, for the boot check. */
export function placeholdersOf(text: string): { path: string; format?: string }[] {
  return [...text.matchAll(/\{\{\s*([^}|]+?)\s*(?:\|\s*([a-zA-Z0-9]+)\s*)?\}\}/g)].map((m) => ({
    path: m[1],
    format: m[2],
  }));
}

/** Substitutes parameters into a JSON template: a string that is exactly `{{name}}` or `{{name-N}}` becomes the value. */
export function fillJson(template: unknown, params: Record<string, unknown>): unknown {
  if (Array.isArray(template)) return template.map((t) => fillJson(t, params));
  if (template && typeof template === 'object')
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillJson(v, params)]));
  if (typeof template === 'string') {
    const m = /^\{\{\s*([a-zA-Z][a-zA-Z0-9]*)\s*(?:-\s*(\d+))?\s*\}\}$/.exec(template);
    if (!m) return template;
    if (!(m[1] in params)) throw new PlaceholderError(`{{${m[1]}}} is not a parameter`);
    const value = params[m[1]];
    return m[2] ? Number(value) - Number(m[2]) : value;
  }
  return template;
}
