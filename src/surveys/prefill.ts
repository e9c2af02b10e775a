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

/**
 * keeper, each dims object tested once: a metric's rows with the same dimension values share one dims object
 * (MetricsService.values), so an issue tests a question's filter once per combination, not once per row and school.
 */
function rememberingKeeper(filter: Binding['filter']): (dims: Record<string, string>) => boolean {
  if (!filter) return () => true;
  const keep = keeper(filter);
  const kept = new Map<Record<string, string>, boolean>();
  return (dims) => {
    let answer = kept.get(dims);
    if (answer === undefined) kept.set(dims, (answer = keep(dims)));
    return answer;
  };
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
  if (type !== 'grid') {
    const keep = rememberingKeeper(binding.filter);
    return rowsOfSchools.map((rows) => {
      let total = 0;
      for (const row of rows) if (keep(row.dims)) total += row.value;
      return type === 'integer' ? Math.round(total) : total;
    });
  }
  const keep = keeper(binding.filter);
  const dimensions = gridDims ?? [];
  // Rows are grouped by their values of the grid's dimensions (in the grid's order), per school. A row's group is
  // found once per dims object (rows of the same combination share one, MetricsService.values); null: filtered out.
  const keyOfGroup = new Map<string, string>();
  const groupOfDims = new Map<Record<string, string>, { group: string; values: string[] } | null>();
  const groupOf = (dims: Record<string, string>) => {
    let found = groupOfDims.get(dims);
    if (found === undefined) {
      const values = dimensions.map((d) => dims[d]);
      found = keep(dims) ? { group: JSON.stringify(values), values } : null;
      groupOfDims.set(dims, found);
    }
    return found;
  };
  const cellsOfSchools = rowsOfSchools.map((rows) => {
    const cells = new Map<string, GridCell>();
    for (const row of rows) {
      const found = groupOf(row.dims);
      if (!found) continue;
      const { group, values } = found;
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
