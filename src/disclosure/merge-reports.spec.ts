import { applyDisclosureControl, mergeReports } from './disclosure-control.js';
import { DEFAULT_DISCLOSURE, type TableSpec } from './disclosure.types.js';

describe('mergeReports', () => {
  const spec: TableSpec = { columns: { n: { kind: 'count' } }, unit: 'school' };
  const withRate: TableSpec = {
    columns: { n: { kind: 'count' }, d: { kind: 'count' }, r: { kind: 'rate', numerator: 'n', denominator: 'd' } },
    unit: 'school',
  };

  it('sums the counts and lists each rule once', () => {
    const a = applyDisclosureControl([{ n: 3 }, { n: 4 }], spec).report;
    const b = applyDisclosureControl([{ n: 5, d: 100 }], withRate).report;
    const merged = mergeReports([a, b]);
    expect(merged).toMatchObject({
      settings: DEFAULT_DISCLOSURE,
      cellsRedacted: 4,
      primaryRedacted: 3,
      secondaryRedacted: 0,
      areaRowsRedacted: 0,
      rateRedacted: 1,
    });
    expect(merged.rules).toEqual(b.rules);
    expect(merged.rulesJa).toEqual(b.rulesJa);
    expect(new Set(merged.rules).size).toBe(merged.rules.length);
  });

  it('refuses to merge reports made with different settings', () => {
    const a = applyDisclosureControl([{ n: 3 }], spec).report;
    const b = applyDisclosureControl([{ n: 3 }], spec, { ...DEFAULT_DISCLOSURE, maxRedactedCount: 10 }).report;
    expect(() => mergeReports([a, b])).toThrow(/different settings/);
  });
});
