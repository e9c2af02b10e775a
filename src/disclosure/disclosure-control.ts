/**
 * Disclosure control: the one step every analytical or published output passes (API JSON, CSV,
 * Arrow, PDF reports) before it leaves Shirube. Administrative channels (a school's own pre-filled
 * figures, the returns a board asked for) show exact figures behind access control and audit and do
 * not come here.
 *
 * The rules are those of /work/shared/DOMAIN.md, "Disclosure control for analytical and published
 * outputs", which adopts the rule OpenSAFELY applies to pseudonymised health records (OpenSAFELY
 * documentation, "Updated disclosure control guidance": redact counts of 7 or fewer, then round
 * every count to the nearest 5). In order:
 *   1. Area rule: in an 'area' table a row covering fewer than minSchools schools loses every
 *      count, rate and statistic.
 *   2. Primary: a count of 1..maxRedactedCount is redacted (0 describes nobody and stays); so is
 *      a total whose published value (step 4) would fall in 1..maxRedactedCount, e.g. 2 + 6 → 0 + 5,
 *      since a published 5 reads as "a handful of students". A statistic about maxRedactedCount
 *      or fewer students, or about a redacted count, is redacted.
 *   3. Secondary: a lone redacted cell beside a visible total takes a second cell with it
 *      (secondary-suppression.ts), until no group has one; then more cells are hidden while a
 *      reader could still narrow a redacted cell down from the totals (suppression-audit.ts).
 *   4. Rounding: counts to the nearest multiple of `rounding`; a total is the sum of its rounded
 *      components, redacted ones included, so that two tables differing by one school differ in
 *      their totals only by that school's rounded count, never by its exact count.
 *   5. Rates are recomputed from the published counts.
 * Nothing is random: asking twice gives the same answer, so averaging repeated queries reveals
 * nothing. Pure: no I/O, and the input rows are never modified.
 */
import { additiveGroups, componentsByTotal } from './additive-groups.js';
import { CountCells, type RedactionCause } from './count-cells.js';
import { describeRules } from './disclosure-rules.js';
import { roundedBoundedMean, roundedCounts } from './rounding.js';
import {
  DEFAULT_DISCLOSURE,
  type ControlledTable,
  type DisclosureReport,
  type DisclosureSettings,
  type Row,
  type TableSpec,
} from './disclosure.types.js';
import { suppressComplements } from './secondary-suppression.js';
import { protectExposedCells } from './suppression-audit.js';
import { checkRows, checkSettings, DisclosureSpecError, planTable } from './table-plan.js';

export { roundToMultiple } from './rounding.js';
export { DisclosureSpecError } from './table-plan.js';

export function applyDisclosureControl(
  rows: readonly Row[],
  spec: TableSpec,
  settings: DisclosureSettings = DEFAULT_DISCLOSURE,
): ControlledTable {
  checkSettings(settings);
  const plan = planTable(spec);
  checkRows(rows, spec, plan);
  const cells = new CountCells(rows, plan.counts);
  const tally = { primary: 0, secondary: 0, areaRows: 0, areaCells: 0, rates: 0 };

  // 1. Area rule.
  const schoolsColumn = plan.schools;
  const areaRedacted = rows.map(
    (row) =>
      plan.unit === 'area' &&
      (spec.isArea?.(row) ?? true) &&
      schoolsColumn !== undefined &&
      !coversEnoughSchools(row[schoolsColumn], settings.minSchools),
  );
  areaRedacted.forEach((redacted, row) => {
    if (!redacted) return;
    tally.areaRows += 1;
    for (const column of plan.counts) if (cells.redact(column, row, 'area')) tally.areaCells += 1;
  });

  // The values step 4 will publish do not depend on what is hidden, so the small ones are known now.
  const groups = additiveGroups(rows, plan);
  const componentsOf = componentsByTotal(groups);
  const rounded = new Map(
    plan.counts.map((column) => [column, roundedCounts(cells, column, componentsOf, settings.rounding)]),
  );
  const roundedCount = (column: string, row: number) => (rounded.get(column) as (number | null)[])[row];
  const isSmall = (value: number | null) => value !== null && value >= 1 && value <= settings.maxRedactedCount;

  // 2. Primary suppression of counts (statistics follow their counts after step 3).
  for (const column of plan.counts) {
    rows.forEach((_, row) => {
      if (
        (isSmall(cells.exact(column, row)) || isSmall(roundedCount(column, row))) &&
        cells.redact(column, row, 'primary')
      )
        tally.primary += 1;
    });
  }

  // 3. Secondary suppression, then the audit of what a reader could still work out.
  tally.secondary += suppressComplements(groups, cells);
  tally.secondary += protectExposedCells(groups, cells, roundedCount, settings);

  // 4. Rounding: what is still visible shows its rounded value.
  const publishedCount = (column: string, row: number) =>
    cells.isHidden(column, row) ? null : roundedCount(column, row);

  const controlled = rows.map((input, row): Row => {
    const output: Row = { ...input };
    for (const column of plan.counts) output[column] = publishedCount(column, row);

    for (const statistic of plan.statistics) {
      const cause = areaRedacted[row]
        ? 'area'
        : statisticCause(cells, statistic.students, row, settings.maxRedactedCount);
      if (cause === undefined) {
        const value = input[statistic.name];
        const published = publishedCount(statistic.students, row);
        if (statistic.range && typeof value === 'number')
          output[statistic.name] =
            published === null || published === 0
              ? null
              : roundedBoundedMean(
                  value,
                  cells.exact(statistic.students, row)!,
                  published,
                  statistic.range,
                  settings.rounding,
                );
        continue;
      }
      if (input[statistic.name] !== null) {
        if (cause === 'area') tally.areaCells += 1;
        else if (cause === 'primary') tally.primary += 1;
        else tally.secondary += 1;
      }
      output[statistic.name] = null;
    }

    // 5. Rates from the published counts.
    for (const rate of plan.rates) {
      const numerator = publishedCount(rate.numerator, row);
      const denominator = publishedCount(rate.denominator, row);
      output[rate.name] =
        numerator === null || denominator === null || denominator === 0 ? null : (numerator * rate.scale) / denominator;
      const exactDenominator = cells.exact(rate.denominator, row);
      const hadValue = cells.exact(rate.numerator, row) !== null && exactDenominator !== null && exactDenominator > 0;
      if (output[rate.name] === null && hadValue) {
        if (areaRedacted[row]) tally.areaCells += 1;
        else tally.rates += 1;
      }
    }
    return output;
  });

  const report: DisclosureReport = {
    settings: { ...settings },
    ...describeRules(settings, {
      area: plan.unit === 'area',
      secondary: plan.totals.length > 0,
      rates: plan.rates.length > 0,
      statistics: plan.statistics.length > 0,
      boundedMeans: plan.statistics.some((s) => s.range !== undefined),
    }),
    cellsRedacted: tally.primary + tally.secondary + tally.areaCells + tally.rates,
    primaryRedacted: tally.primary,
    secondaryRedacted: tally.secondary,
    areaRowsRedacted: tally.areaRows,
    areaCellsRedacted: tally.areaCells,
    rateRedacted: tally.rates,
  };
  return { rows: controlled, report };
}

/**
 * One report for an output made of several controlled tables (a PDF with many figures): counts
 * summed, rules listed once each. All tables must have been controlled with the same settings,
 * since one footnote cannot state two thresholds. No tables: a report of nothing, default settings.
 */
export function mergeReports(reports: DisclosureReport[]): DisclosureReport {
  const settings = reports[0]?.settings ?? DEFAULT_DISCLOSURE;
  const rules = new Map<string, string>();
  for (const report of reports) {
    const { maxRedactedCount, rounding, minSchools } = report.settings;
    if (
      maxRedactedCount !== settings.maxRedactedCount ||
      rounding !== settings.rounding ||
      minSchools !== settings.minSchools
    ) {
      throw new DisclosureSpecError(
        `cannot merge reports made with different settings: ${JSON.stringify(settings)} and ${JSON.stringify(report.settings)}`,
      );
    }
    report.rules.forEach((rule, index) => {
      if (!rules.has(rule)) rules.set(rule, report.rulesJa[index] ?? '');
    });
  }
  const sum = (pick: (report: DisclosureReport) => number | undefined) =>
    reports.reduce((total, report) => total + (pick(report) ?? 0), 0);
  return {
    settings: { ...settings },
    rules: [...rules.keys()],
    rulesJa: [...rules.values()],
    cellsRedacted: sum((r) => r.cellsRedacted),
    primaryRedacted: sum((r) => r.primaryRedacted),
    secondaryRedacted: sum((r) => r.secondaryRedacted),
    areaRowsRedacted: sum((r) => r.areaRowsRedacted),
    areaCellsRedacted: sum((r) => r.areaCellsRedacted),
    rateRedacted: sum((r) => r.rateRedacted),
  };
}

/** A row whose school count is missing or not a number cannot show it covers enough schools. */
function coversEnoughSchools(value: Row[string] | undefined, minSchools: number): boolean {
  return typeof value === 'number' && value >= minSchools;
}

/** A statistic about too few students, or about a count the reader cannot see, says too much. */
function statisticCause(
  cells: CountCells,
  students: string,
  row: number,
  maxRedactedCount: number,
): RedactionCause | undefined {
  const count = cells.exact(students, row);
  const countCause = cells.causeOf(students, row);
  if (count === null || count <= maxRedactedCount || countCause === 'primary') return 'primary';
  return countCause;
}
