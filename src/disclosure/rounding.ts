import type { CountCells } from './count-cells.js';

/** Rounds to the nearest multiple, halves away from zero (2.5→5, 7.5→10 for a multiple of 5). */
export function roundToMultiple(value: number, multiple: number): number {
  const magnitude = Math.abs(value);
  const quotient = Math.floor(magnitude / multiple);
  const remainder = magnitude - quotient * multiple;
  const rounded = (remainder * 2 >= multiple ? quotient + 1 : quotient) * multiple;
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}

/**
 * A mean of `exactCount` values each within [min, max], as published: the values' sum above
 * exactCount × min rounded to the nearest multiple of rounding × (max − min), divided by the published
 * (rounded) count. One value moves that sum by max − min at most, a fraction 1/rounding of a step,
 * so a mean built to carry one student's value shows nothing of it; and the result depends on rounded
 * figures only, so it does not give the exact count back either.
 */
export function roundedBoundedMean(
  mean: number,
  exactCount: number,
  publishedCount: number,
  range: { min: number; max: number },
  rounding: number,
): number {
  const width = range.max - range.min;
  const excess = roundToMultiple((mean - range.min) * exactCount, rounding * width);
  // A total's published count is the sum of its rounded parts and may fall below its own rounded count.
  return Math.min(range.max, range.min + excess / publishedCount);
}

/**
 * The value every cell of one count column shows unless redacted: a component shows its rounded
 * exact count; a total the sum of its components' values, hidden ones included (recursively, for
 * the margins of a two-way table), or its own rounded count if a component is unknown. It depends
 * on the exact counts only, never on what is hidden, so it is known before suppression starts.
 */
export function roundedCounts(
  cells: CountCells,
  column: string,
  componentsOf: ReadonlyMap<number, number[]>,
  rounding: number,
): (number | null)[] {
  const rounded = new Array<number | null | undefined>(cells.rowCount).fill(undefined);
  const roundedAt = (row: number): number | null => {
    const known = rounded[row];
    if (known !== undefined) return known;
    const exact = cells.exact(column, row);
    let value = exact === null ? null : roundToMultiple(exact, rounding);
    const components = componentsOf.get(row);
    if (components) {
      const parts = components.map(roundedAt);
      if (parts.every((part): part is number => part !== null)) value = parts.reduce((total, part) => total + part, 0);
    }
    rounded[row] = value;
    return value;
  };
  return Array.from({ length: cells.rowCount }, (_, row) => roundedAt(row));
}
