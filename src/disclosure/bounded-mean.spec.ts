import { applyDisclosureControl, DisclosureSpecError } from './disclosure-control.js';
import type { Row, TableSpec } from './disclosure.types.js';

/** A mean of values clipped into [0, 1] (an analyst's share), about the students counted beside it. */
const spec = (range = { min: 0, max: 1 }): TableSpec => ({
  columns: {
    school: { kind: 'dimension' },
    share_students: { kind: 'count' },
    share: { kind: 'statistic', students: 'share_students', range },
  },
  unit: 'school',
});

const publish = (rows: Row[], range?: { min: number; max: number }) => applyDisclosureControl(rows, spec(range)).rows;

describe('means of values in a declared range (analysts’ derived outcomes)', () => {
  it('shows nothing of one student singled out by the expression: a sum of one value rounds to nothing', () => {
    // CASE WHEN <one student> THEN absent_days ELSE 0 END over 400 students, clipped to [0, 365].
    const [row] = publish([{ school: 'A', share_students: 400, share: 57 / 400 }], { min: 0, max: 365 });
    expect(row.share).toBe(0);
    const [none] = publish([{ school: 'A', share_students: 400, share: 0 }], { min: 0, max: 365 });
    expect(none.share).toBe(row.share);
  });

  it('publishes the sum rounded like a count over the published count, so the exact count is not in it', () => {
    // Every student has the value 1: a mean of exactly 1 whatever the count.
    const published = [401, 402, 403].map((n) => publish([{ school: 'A', share_students: n, share: 1 }])[0]);
    expect(published.map((r) => r.share_students)).toEqual([400, 400, 405]);
    expect(published.map((r) => r.share)).toEqual([1, 1, 1]);
    // 23 of 200 students: 23 rounds to 25, over the published 200.
    expect(publish([{ school: 'A', share_students: 200, share: 23 / 200 }])[0].share).toBe(25 / 200);
  });

  it('steps by rounding × the width of the range above its minimum', () => {
    const [row] = publish([{ school: 'A', share_students: 100, share: 12.3 }], { min: 10, max: 20 });
    // Sum above the minimum 230, rounded to a multiple of 5 × 10 = 50: 250, over 100 students.
    expect(row.share).toBe(12.5);
  });

  it('redacts a mean about 7 or fewer students, and says what it applied', () => {
    const out = applyDisclosureControl(
      [
        { school: 'A', share_students: 7, share: 0.5 },
        { school: 'B', share_students: 0, share: null },
      ],
      spec(),
    );
    expect(out.rows.map((r) => r.share)).toEqual([null, null]);
    expect(out.report.rules.join(' ')).toMatch(/clipped into its declared range/);
    expect(out.report.rulesJa.join('')).toMatch(/宣言された範囲/);
  });

  it('refuses a range that is not one', () => {
    expect(() => publish([], { min: 1, max: 1 })).toThrow(DisclosureSpecError);
    expect(() => publish([], { min: 0, max: Infinity })).toThrow(/finite min < max/);
  });
});
