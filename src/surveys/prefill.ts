import type { MetricValue } from '../metrics/metrics.service.js';
import type { AnswerValue, Binding, GridCell, QuestionType } from './survey.types.js';

/** Units whose rows add up (counts). Ratios, points and minutes do not: a binding must pick one row per answer or cell. */
export const ADDITIVE_UNITS = new Set(['students', 'classes', 'cases', 'days', 'staff']);

export function matchesFilter(dims: Record<string, string>, filter: Binding['filter']): boolean {
  return keeper(filter)(dims);
}

/** A binding's filter as a test of a row's dimensions, its entries read once. */
function keeper(filter: Binding['filter']): (dims: Record<string, string>) => boolean {
  if (!filter) return () => true;
  const wanted = Object.entries(filter);
  return (dims) =>
    wanted.every(([dimension, value]) =>
      Array.isArray(value) ? value.includes(dims[dimension]) : dims[dimension] === value,
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
  rows: readonly MetricValue[],
): AnswerValue {
  return answersFromRows(type, binding, gridDims, [rows])[0];
}

/**
 * answerFromRows for many schools at once (each school's rows in `rowsOfSchools`, answers in the same
 * order), as an issue does for every school of a survey: the grid's cell order is worked out once for the
 * cells of all the schools — each cell's sorting key made and compared once, not per school.
 */
export function answersFromRows(
  type: QuestionType,
  binding: Binding,
  gridDims: string[] | null,
  rowsOfSchools: (readonly MetricValue[])[],
): AnswerValue[] {
  const keep = keeper(binding.filter);
  if (type !== 'grid')
    return rowsOfSchools.map((rows) => {
      let total = 0;
      for (const row of rows) if (keep(row.dims)) total += row.value;
      return type === 'integer' ? Math.round(total) : total;
    });
  const dimensions = gridDims ?? [];
  // Rows are grouped by their values of the grid's dimensions (in the grid's order), per school.
  const keyOfGroup = new Map<string, string>();
  const cellsOfSchools = rowsOfSchools.map((rows) => {
    const cells = new Map<string, GridCell>();
    for (const row of rows) {
      if (!keep(row.dims)) continue;
      const values = dimensions.map((d) => row.dims[d]);
      const group = JSON.stringify(values);
      const cell = cells.get(group);
      if (cell) {
        cell.value += row.value;
      } else {
        const dims = Object.fromEntries(dimensions.map((d, i) => [d, values[i]]));
        cells.set(group, { dims, value: row.value });
        if (!keyOfGroup.has(group)) keyOfGroup.set(group, cellKey(dims));
      }
    }
    return cells;
  });
  // Every cell's place in the collator's order of cell keys; equal keys share a place (the sort keeps their order).
  const byKey = [...keyOfGroup].sort(([, a], [, b]) => collator.compare(a, b));
  const rank = new Map<string, number>();
  byKey.forEach(([group, key], i) =>
    rank.set(group, i > 0 && collator.compare(byKey[i - 1][1], key) === 0 ? rank.get(byKey[i - 1][0])! : i),
  );
  return cellsOfSchools.map((cells) =>
    [...cells].sort(([a], [b]) => rank.get(a)! - rank.get(b)!).map(([, cell]) => cell),
  );
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
