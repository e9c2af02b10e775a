import type { MetricValue } from '../metrics/metrics.service.js';
import type { AnswerValue, Binding, GridCell, QuestionType } from './survey.types.js';

/** Units whose rows add up (counts). Ratios, points and minutes do not: a binding must pick one row per answer or cell. */
export const ADDITIVE_UNITS = new Set(['students', 'classes', 'cases', 'days', 'staff']);

export function matchesFilter(dims: Record<string, string>, filter: Binding['filter']): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([dimension, wanted]) =>
    Array.isArray(wanted) ? wanted.includes(dims[dimension]) : dims[dimension] === wanted,
  );
}

const cellKey = (dims: Record<string, string>) => JSON.stringify(Object.entries(dims).sort());
const collator = new Intl.Collator();

/**
 * A school's answer from its metric rows: the sum of the rows the binding's filter keeps, or for a
 * grid the sums by the grid's dimensions (cells in a stable order). No rows means 0: the data holds
 * the school and nothing of that kind happened there.
 */
export function answerFromRows(
  type: QuestionType,
  binding: Binding,
  gridDims: string[] | null,
  rows: MetricValue[],
): AnswerValue {
  const kept = rows.filter((row) => matchesFilter(row.dims, binding.filter));
  if (type === 'grid') {
    const dimensions = gridDims ?? [];
    // Rows are grouped by their values of the grid's dimensions (in the grid's order); a cell's sorting key is made
    // once per cell, not per row nor in the comparator: this runs for every school of a survey.
    const cells = new Map<string, GridCell>();
    for (const row of kept) {
      const values = dimensions.map((d) => row.dims[d]);
      const group = JSON.stringify(values);
      const cell = cells.get(group);
      if (cell) cell.value += row.value;
      else cells.set(group, { dims: Object.fromEntries(dimensions.map((d, i) => [d, values[i]])), value: row.value });
    }
    return [...cells.values()]
      .map((cell) => [cellKey(cell.dims), cell] as const)
      .sort(([a], [b]) => collator.compare(a, b))
      .map(([, cell]) => cell);
  }
  const total = kept.reduce((sum, row) => sum + row.value, 0);
  return type === 'integer' ? Math.round(total) : total;
}

/** Two answers are the same figure (grids compared cell by cell, missing cells as 0). */
export function sameValue(a: AnswerValue | null, b: AnswerValue | null): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const map = (cells: GridCell[]) =>
      new Map(cells.filter((c) => c.value !== 0).map((c) => [cellKey(c.dims), c.value]));
    const left = map(a);
    const right = map(b);
    return (
      left.size === right.size && [...left].every(([key, value]) => Math.abs((right.get(key) ?? NaN) - value) < 1e-9)
    );
  }
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 1e-9;
  return a === b;
}
