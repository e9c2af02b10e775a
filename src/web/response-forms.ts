import type { AnswerView } from '../surveys/response-view.js';
import type { AnswerValue, GridCell } from '../surveys/survey.types.js';
import type { Messages } from './messages.js';

/** A posted form, as Express's urlencoded parser gives it. */
export type FormBody = Record<string, unknown>;

export type Problem = keyof Messages['invalid'];
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(problem: Problem): Parsed<T> => ({ ok: false, problem });

/** One text field of a form ('' when absent or not text). */
export function field(body: FormBody | undefined, name: string): string {
  const value = body?.[name];
  return typeof value === 'string' ? value : '';
}

/** The version the form was read at; anything else is 0, which no row has, so the write is a conflict. */
export function formVersion(body: FormBody | undefined): number {
  const text = field(body, 'version').trim();
  return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : 0;
}

/** Grid inputs: one number per cell, the cell's categories beside it. */
export const cellValueField = (index: number) => `cell.${index}.value`;
export const cellDimField = (index: number, dimension: string) => `cell.${index}.dim.${dimension}`;

/**
 * A number as people type it in Japan: full-width digits (１２３), thousands commas and spaces are
 * accepted; `whole` asks for an integer ≥ 0 (counts).
 */
export function parseNumberText(text: string, whole: boolean): Parsed<number> {
  const normalized = text.normalize('NFKC').replace(/[,\s]/g, '').replace(/^−/, '-');
  if (normalized === '') return fail('required');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(normalized)) return fail(whole ? 'wholeNumber' : 'number');
  const value = Number(normalized);
  if (!Number.isFinite(value)) return fail('number');
  if (whole && (!Number.isInteger(value) || value < 0)) return fail('wholeNumber');
  return ok(value);
}

function parseGrid(gridDims: string[], body: FormBody): Parsed<GridCell[]> {
  const indexes = new Set<number>();
  for (const key of Object.keys(body)) {
    const match = /^cell\.(\d{1,4})\./.exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  const cells: GridCell[] = [];
  for (const index of [...indexes].sort((a, b) => a - b)) {
    const dims = Object.fromEntries(
      gridDims.map((d) => [d, field(body, cellDimField(index, d)).normalize('NFKC').trim()]),
    );
    const valueText = field(body, cellValueField(index));
    const blank = Object.values(dims).every((v) => v === '') && valueText.trim() === '';
    if (blank) continue; // an unused "add a row" line
    if (Object.values(dims).some((v) => v === '')) return fail('cellDims');
    const value = parseNumberText(valueText, true);
    if (!value.ok) return fail(value.problem === 'required' ? 'wholeNumber' : value.problem);
    cells.push({ dims, value: value.value });
  }
  return ok(cells);
}

/** The answer a form carries, typed by its question; the service checks it again. */
export function parseAnswerForm(
  question: Pick<AnswerView, 'type' | 'gridDims' | 'choices'>,
  body: FormBody,
): Parsed<AnswerValue> {
  switch (question.type) {
    case 'integer':
      return parseNumberText(field(body, 'value'), true);
    case 'number':
      return parseNumberText(field(body, 'value'), false);
    case 'choice': {
      const value = field(body, 'value');
      return (question.choices ?? []).includes(value) ? ok(value) : fail('choice');
    }
    case 'text': {
      const value = field(body, 'value').trim();
      if (value === '') return fail('required');
      return value.length > 5000 ? fail('tooLong') : ok(value);
    }
    case 'grid':
      return parseGrid(question.gridDims ?? [], body);
  }
}
