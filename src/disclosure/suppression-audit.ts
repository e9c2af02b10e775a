import type { AdditiveGroup } from './additive-groups.js';
import type { CountCells } from './count-cells.js';
import type { DisclosureSettings } from './disclosure.types.js';
import { roundToMultiple } from './rounding.js';
import { suppressComplements } from './secondary-suppression.js';

/**
 * The audit after secondary suppression. "At least two hidden cells in every group" is not enough
 * in a table with two margins: equations from several groups, together with the fact that no count
 * is negative, can still pin a hidden cell down, and a hidden total whose parts are all visible
 * hides nothing. Without rounding, a grade × sex table with 1: (7, 15), 2: (13, 0), 3: (1, 0) and
 * its margins gives the 7 and the 1 away exactly, because the only complement left for the girls
 * was a zero. So the published figures are attacked the way a reader would (bounds propagated
 * through every total, over the values a cell can be published as) and, while a redacted cell is
 * still exposed, more cells near it are hidden.
 *
 * Exposed means: a count redacted as small is consistent with fewer than two of the counts
 * 1..maxRedactedCount (the reader is assumed to know it is one of them); a count redacted by the
 * area rule has its published value fixed. With rounding to any multiple ≥ 2 a small count is
 * never exposed (1 and 2 round alike, as do 3..7 to 5), so with the default settings the audit only
 * acts for the area rule. Bounds propagation is weaker than linear programming: every exposure it
 * reports is real, but it may miss some.
 *
 * Returns how many cells it hid, directly or by the secondary rule that followed.
 */
export function protectExposedCells(
  groups: readonly AdditiveGroup[],
  cells: CountCells,
  rounded: (column: string, row: number) => number | null,
  settings: DisclosureSettings,
): number {
  let hidden = 0;
  for (const column of cells.columns) {
    const audit = new ColumnAudit(column, groups, cells, rounded, settings);
    for (let bounds = audit.bounds(); ; bounds = audit.bounds()) {
      const exposed = audit.exposedCells(bounds);
      if (exposed.length === 0) break;
      for (const row of exposed) {
        if (!audit.isExposed(row, bounds)) continue; // freed by an earlier cover of this round
        cells.redact(column, audit.cover(row), 'secondary');
        hidden += 1;
        bounds = audit.bounds();
      }
      hidden += suppressComplements(groups, cells);
    }
  }
  return hidden;
}

interface Bounds {
  low: number[];
  high: number[];
}

/** Cap on equation visits, per equation: bounds are valid whenever propagation stops, only perhaps looser. */
const MAX_VISITS_PER_EQUATION = 200;
/** Cap on the candidate covers tried for one exposed cell before settling for the cheapest. */
const MAX_TRIALS = 24;

/** The reader's view of one count column. */
class ColumnAudit {
  private readonly equations: AdditiveGroup[];
  private readonly equationsOf = new Map<number, AdditiveGroup[]>();
  private readonly smallCounts: number[];

  constructor(
    private readonly column: string,
    groups: readonly AdditiveGroup[],
    private readonly cells: CountCells,
    private readonly rounded: (column: string, row: number) => number | null,
    private readonly settings: DisclosureSettings,
  ) {
    this.equations = groups.filter((group) => this.holdsExactly(group));
    for (const equation of this.equations) {
      for (const row of [equation.total, ...equation.components]) {
        const list = this.equationsOf.get(row);
        if (list) list.push(equation);
        else this.equationsOf.set(row, [equation]);
      }
    }
    for (const list of this.equationsOf.values()) list.sort((a, b) => a.components.length - b.components.length);
    // The published values of the counts 1..maxRedactedCount, as a reader would enumerate them.
    this.smallCounts = Array.from({ length: settings.maxRedactedCount }, (_, i) =>
      roundToMultiple(i + 1, settings.rounding),
    );
  }

  /**
   * What a reader can infer about every cell: visible cells are known, hidden ones (and any in
   * `alsoHidden`) lie in [0, ∞) until the equations narrow them. Bounds are multiples of the
   * rounding, as every published value is. An equation is revisited only when one of its bounds moved.
   */
  bounds(alsoHidden?: number): Bounds {
    const { cells, column } = this;
    const rounding = this.settings.rounding;
    const low: number[] = [];
    const high: number[] = [];
    for (let row = 0; row < cells.rowCount; row += 1) {
      const known = row === alsoHidden || cells.isHidden(column, row) ? null : this.rounded(column, row);
      low.push(known ?? 0);
      high.push(known ?? Infinity);
    }
    const queue = [...this.equations];
    const queued = new Set(queue);
    const tighten = (row: number, lower: number, upper: number) => {
      const newLow = Math.max(low[row], Math.ceil(lower / rounding) * rounding);
      const newHigh = Math.min(high[row], upper === Infinity ? Infinity : Math.floor(upper / rounding) * rounding);
      if (newLow === low[row] && newHigh === high[row]) return;
      low[row] = newLow;
      high[row] = newHigh;
      for (const equation of this.equationsOf.get(row) ?? []) {
        if (!queued.has(equation)) {
          queued.add(equation);
          queue.push(equation);
        }
      }
    };
    for (
      let visits = 0, next = 0;
      next < queue.length && visits < MAX_VISITS_PER_EQUATION * this.equations.length;
      visits += 1
    ) {
      const equation = queue[next++];
      queued.delete(equation);
      const { total, components } = equation;
      const lowSum = components.reduce((sum, row) => sum + low[row], 0);
      const unbounded = components.filter((row) => high[row] === Infinity).length;
      const finiteHighSum = components.reduce((sum, row) => (high[row] === Infinity ? sum : sum + high[row]), 0);
      tighten(total, lowSum, unbounded > 0 ? Infinity : finiteHighSum);
      for (const row of components) {
        const othersHigh =
          unbounded - (high[row] === Infinity ? 1 : 0) > 0
            ? Infinity
            : finiteHighSum - (high[row] === Infinity ? 0 : high[row]);
        tighten(row, othersHigh === Infinity ? 0 : low[total] - othersHigh, high[total] - (lowSum - low[row]));
      }
    }
    return { low, high };
  }

  isExposed(row: number, { low, high }: Bounds): boolean {
    const cause = this.cells.causeOf(this.column, row);
    if (cause === 'area') return low[row] === high[row];
    if (cause !== 'primary') return false;
    const consistent = this.smallCounts.filter((published) => published >= low[row] && published <= high[row]).length;
    return consistent < Math.min(2, this.smallCounts.length);
  }

  exposedCells(bounds: Bounds): number[] {
    const exposed: number[] = [];
    for (let row = 0; row < this.cells.rowCount; row += 1) if (this.isExposed(row, bounds)) exposed.push(row);
    return exposed;
  }

  /**
   * The cell to hide for an exposed one: the first candidate that frees it on its own, else the
   * first candidate (the next round goes on from there). While a cell is exposed some equation
   * still has a visible cell, and hiding them all leaves nothing to infer, so this always progresses.
   */
  cover(exposed: number): number {
    const candidates = this.candidates(exposed);
    const freeing = candidates
      .slice(0, MAX_TRIALS)
      .find((candidate) => !this.isExposed(exposed, this.bounds(candidate)));
    const choice =
      freeing ??
      candidates[0] ??
      this.equations.flatMap((group) => [group.total, ...group.components]).find((row) => this.isVisible(row));
    if (choice === undefined)
      throw new Error(
        `disclosure control: column "${this.column}" row ${exposed} is exposed with nothing left to hide`,
      );
    return choice;
  }

  /**
   * Visible cells near an exposed one, cheapest first. Its own equations come first, smallest
   * first (a bound usually comes from a cell's own row or column, not from a total over hundreds of
   * schools): non-zero components from the smallest up, then totals, then zeros. Then the same
   * around the hidden cells of those equations, since a hidden total is worth nothing while its
   * parts are visible.
   */
  private candidates(exposed: number): number[] {
    const value = (row: number) => this.cells.exact(this.column, row) as number;
    const around = (rows: number[]) => {
      const near = [...new Set(rows.flatMap((row) => this.equationsOf.get(row) ?? []))].sort(
        (a, b) => a.components.length - b.components.length,
      );
      const nonZero = near.flatMap((group) =>
        group.components
          .filter((row) => this.isVisible(row) && value(row) !== 0)
          .sort((a, b) => value(a) - value(b) || a - b),
      );
      const totals = near.map((group) => group.total).filter((row) => this.isVisible(row));
      const zeros = near.flatMap((group) => group.components).filter((row) => this.isVisible(row) && value(row) === 0);
      return { near, ordered: [...nonZero, ...totals, ...zeros] };
    };
    const first = around([exposed]);
    const hiddenNear = [...new Set(first.near.flatMap((group) => [group.total, ...group.components]))].filter(
      (row) => row !== exposed && !this.isVisible(row),
    );
    return [...new Set([...first.ordered, ...around(hiddenNear).ordered])];
  }

  private isVisible(row: number): boolean {
    return !this.cells.isHidden(this.column, row);
  }

  /** A total the reader can use as an equation: its published value is exactly the sum of its parts'. */
  private holdsExactly(group: AdditiveGroup): boolean {
    const total = this.rounded(this.column, group.total);
    const parts = group.components.map((row) => this.rounded(this.column, row));
    return (
      group.components.length > 0 &&
      total !== null &&
      parts.every((part) => part !== null) &&
      parts.reduce<number>((sum, part) => sum + part, 0) === total
    );
  }
}
