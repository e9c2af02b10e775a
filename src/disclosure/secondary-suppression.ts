import type { AdditiveGroup } from './additive-groups.js';
import type { CountCells } from './count-cells.js';

/**
 * Secondary (complementary) suppression: a lone hidden component beside a visible total could be
 * recovered as total − the other components, so a second cell is hidden with it. Repeated over
 * every group until nothing changes, since a cell hidden in one group (or a hidden total that is a
 * component of another group, as in a grade × sex table with both margins) can leave another
 * group with a lone hidden cell. Terminates: every pass hides at least one more cell.
 *
 * Returns how many cells that the input had a value for were hidden.
 */
export function suppressComplements(groups: readonly AdditiveGroup[], cells: CountCells): number {
  let redacted = 0;
  for (let changed = true; changed;) {
    changed = false;
    for (const group of groups) {
      for (const column of cells.columns) {
        if (cells.isHidden(column, group.total)) continue;
        const visible = group.components.filter((row) => !cells.isHidden(column, row));
        if (group.components.length - visible.length !== 1) continue;
        const complement =
          smallestPreferringNonZero(visible, (row) => cells.exact(column, row) as number) ?? group.total;
        if (cells.redact(column, complement, 'secondary')) redacted += 1;
        changed = true;
      }
    }
  }
  return redacted;
}

/**
 * The cheapest cell to give up: the smallest, but not a zero if there is any other, because a
 * hidden zero a reader can guess (an empty category) protects nothing. Ties go to the first row, so
 * the same table always loses the same cells.
 */
function smallestPreferringNonZero(rows: readonly number[], value: (row: number) => number): number | undefined {
  let best: number | undefined;
  for (const row of rows) {
    if (best === undefined) best = row;
    else {
      const [a, b] = [value(row), value(best)];
      if ((a === 0) !== (b === 0) ? b === 0 : a < b) best = row;
    }
  }
  return best;
}
