import type { Row } from './disclosure.types.js';
import { DisclosureSpecError, type TablePlan } from './table-plan.js';

/** One total row and the rows it is the sum of, under one `totals` entry of the spec. */
export interface AdditiveGroup {
  dimension: string;
  total: number;
  components: number[];
}

/**
 * The groups of every `totals` entry that have a total row, in spec order. Rows agree on "every
 * other dimension" ignoring the schools column: a total covers more schools than its parts.
 */
export function additiveGroups(rows: readonly Row[], plan: TablePlan): AdditiveGroup[] {
  const groups: AdditiveGroup[] = [];
  for (const entry of plan.totals) {
    const others = plan.dimensions.filter((d) => d !== entry.dimension && d !== plan.schools);
    const byKey = new Map<string, { total?: number; components: number[] }>();
    rows.forEach((row, index) => {
      const key = JSON.stringify(others.map((d) => row[d]));
      let group = byKey.get(key);
      if (!group) byKey.set(key, (group = { components: [] }));
      const value = row[entry.dimension];
      if (value === null || String(value) !== String(entry.totalValue)) group.components.push(index);
      else if (group.total === undefined) group.total = index;
      else
        throw new DisclosureSpecError(
          `rows ${group.total} and ${index} are both the ${entry.dimension} = ${JSON.stringify(entry.totalValue)} total of the same group ${key}`,
        );
    });
    for (const group of byKey.values()) {
      if (group.total !== undefined)
        groups.push({ dimension: entry.dimension, total: group.total, components: group.components });
    }
  }
  return groups;
}

/** For each total row, the components it sums (its first group with any, in spec order). */
export function componentsByTotal(groups: readonly AdditiveGroup[]): Map<number, number[]> {
  const byTotal = new Map<number, number[]>();
  for (const group of groups) {
    if (group.components.length > 0 && !byTotal.has(group.total)) byTotal.set(group.total, group.components);
  }
  return byTotal;
}
