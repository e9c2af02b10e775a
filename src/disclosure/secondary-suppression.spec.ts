/** Secondary suppression and differencing: what an attacker can work out from published totals, they cannot. */
import { applyDisclosureControl } from './disclosure-control.js';
import { DEFAULT_DISCLOSURE, type DisclosureSettings, type Row, type TableSpec } from './disclosure.types.js';
import { cell, generator, gradeBySex, gradeBySexSpec, TOTAL } from '../../test/support/grade-by-sex.js';

/** The published value of a count as the reader sees it (a test-side copy of the rule, not the code's). */
const roundTo = (value: number, multiple: number) => Math.floor(value / multiple + 0.5) * multiple;

/**
 * What an attacker can work out: every exact value 1..maxRedacted of the target cell for which
 * some values of the other blank cells reproduce every published total. Published totals are sums
 * of the rounded cells, so each blank cell is searched over its rounded values (no count is
 * negative, none exceeds a published total containing it); partial sums prune the search.
 */
function consistentExactValues(
  published: readonly Row[],
  target: { grade: string; sex: string },
  rounding: number,
  maxRedacted: number,
): number[] {
  const grades = [...new Set(published.map((row) => String(row.grade)))].filter((g) => g !== TOTAL);
  const leaves = grades.flatMap((grade) => ['M', 'F'].map((sex) => ({ grade, sex, key: `${grade}|${sex}` })));
  const equations = published
    .filter((row) => (row.grade === TOTAL || row.sex === TOTAL) && row.students !== null)
    .map((total) => ({
      value: total.students as number,
      leaves: leaves
        .filter(
          (leaf) =>
            (total.grade === TOTAL || total.grade === leaf.grade) && (total.sex === TOTAL || total.sex === leaf.sex),
        )
        .map((leaf) => leaf.key),
    }));
  const targetKey = `${target.grade}|${target.sex}`;
  const unknown = leaves
    .filter((leaf) => leaf.key !== targetKey && cell(published, leaf.grade, leaf.sex) === null)
    .map((leaf) => leaf.key);
  const limit = Math.max(0, ...equations.map((e) => e.value));

  const fits = (values: Map<string, number>) =>
    equations.every((equation) => {
      let sum = 0;
      let open = false;
      for (const key of equation.leaves) {
        const [grade, sex] = key.split('|');
        const value = values.get(key) ?? cell(published, grade, sex);
        if (value === null || value === undefined) open = true;
        else sum += value;
      }
      return open ? sum <= equation.value : sum === equation.value;
    });
  const search = (index: number, values: Map<string, number>): boolean => {
    if (!fits(values)) return false;
    if (index === unknown.length) return true;
    for (let value = 0; value <= limit; value += rounding) {
      if (search(index + 1, new Map(values).set(unknown[index], value))) return true;
    }
    return false;
  };
  const consistent: number[] = [];
  for (let exact = 1; exact <= maxRedacted; exact += 1) {
    if (search(0, new Map([[targetKey, roundTo(exact, rounding)]]))) consistent.push(exact);
  }
  return consistent;
}

describe('applyDisclosureControl', () => {
  describe('secondary suppression in a grade × sex table with totals', () => {
    const exact = gradeBySex({ '1': [20, 18], '2': [15, 3], '3': [22, 25] });

    it('redacts at least one more cell in each group holding the 3', () => {
      const { rows } = applyDisclosureControl(exact, gradeBySexSpec);
      expect(cell(rows, '2', 'F')).toBeNull();
      const grade2 = ['M', 'F'].filter((sex) => cell(rows, '2', sex) === null);
      const female = ['1', '2', '3'].filter((grade) => cell(rows, grade, 'F') === null);
      expect(grade2.length).toBeGreaterThanOrEqual(2);
      expect(female.length).toBeGreaterThanOrEqual(2);
      // The margins and grand total stay visible: the complements were found among the cells.
      expect(cell(rows, '2', TOTAL)).toBe(20);
      expect(cell(rows, TOTAL, TOTAL)).toBe(105);
    });

    it('finds the 3 by differencing when only primary suppression is applied (the check below can fail)', () => {
      const naive = exact.map((row) => (row.grade === '2' && row.sex === 'F' ? { ...row, students: null } : row));
      expect(consistentExactValues(naive, { grade: '2', sex: 'F' }, 1, 7)).toEqual([3]);
    });

    it.each<[string, DisclosureSettings]>([
      ['without rounding', { ...DEFAULT_DISCLOSURE, rounding: 1 }],
      ['with the default rounding', DEFAULT_DISCLOSURE],
    ])('leaves more than one exact value consistent with the published figures, %s', (_, settings) => {
      const { rows } = applyDisclosureControl(exact, gradeBySexSpec, settings);
      const consistent = consistentExactValues(
        rows,
        { grade: '2', sex: 'F' },
        settings.rounding,
        settings.maxRedactedCount,
      );
      expect(consistent).toContain(3);
      expect(consistent.length).toBeGreaterThan(1);
    });

    it('hides more when the margins and the zeros would still pin a redacted count down', () => {
      // The rule by groups alone hides (1,M)=7, (3,M)=1, (3,計)=1 and then (1,F), (2,計), (2,F)=0;
      // the boys' margin, the girls' margin and the zero would still force 7 and 1 exactly.
      const settings = { ...DEFAULT_DISCLOSURE, rounding: 1 };
      const { rows, report } = applyDisclosureControl(
        gradeBySex({ '1': [7, 15], '2': [13, 0], '3': [1, 0] }),
        gradeBySexSpec,
        settings,
      );
      expect(consistentExactValues(rows, { grade: '1', sex: 'M' }, 1, 7).length).toBeGreaterThan(1);
      expect(consistentExactValues(rows, { grade: '3', sex: 'M' }, 1, 7).length).toBeGreaterThan(1);
      expect(report.secondaryRedacted).toBeGreaterThan(3); // the rule by groups alone hides 3
    });

    it('leaves every small count ambiguous across many tables, even without rounding', () => {
      const next = generator(7);
      const settings = { ...DEFAULT_DISCLOSURE, rounding: 1 };
      let checked = 0;
      for (let table = 0; table < 150; table += 1) {
        const cells: Record<string, [number, number]> = {};
        for (const grade of ['1', '2', '3'])
          cells[grade] = [next(1) === 0 ? next(7) : next(15), next(1) === 0 ? next(7) : next(15)];
        const input = gradeBySex(cells);
        const { rows } = applyDisclosureControl(input, gradeBySexSpec, settings);
        for (const grade of ['1', '2', '3']) {
          for (const sex of ['M', 'F']) {
            const value = cell(input, grade, sex) as number;
            if (value < 1 || value > 7) continue;
            const consistent = consistentExactValues(rows, { grade, sex }, 1, 7);
            expect(consistent).toContain(value);
            expect(consistent.length).toBeGreaterThan(1);
            checked += 1;
          }
        }
      }
      expect(checked).toBeGreaterThan(150);
    });

    it('prefers a non-zero complement, and redacts the total of a lone component', () => {
      const spec: TableSpec = {
        columns: { school: { kind: 'dimension' }, grade: { kind: 'dimension' }, n: { kind: 'count' } },
        unit: 'school',
        totals: [{ dimension: 'grade', totalValue: TOTAL }],
      };
      const { rows, report } = applyDisclosureControl(
        [
          { school: 'A', grade: '1', n: 3 },
          { school: 'A', grade: '2', n: 0 },
          { school: 'A', grade: '3', n: 20 },
          { school: 'A', grade: '4', n: 12 },
          { school: 'A', grade: TOTAL, n: 35 },
          // B's one component came blank from the query; its total would give it away.
          { school: 'B', grade: '1', n: null },
          { school: 'B', grade: TOTAL, n: 12 },
        ],
        spec,
      );
      expect(rows.map((row) => row.n)).toEqual([null, 0, 20, null, 35, null, null]);
      expect(report).toMatchObject({ primaryRedacted: 1, secondaryRedacted: 2 });
    });
  });

  describe('differencing two queries, with and without school X (3 students)', () => {
    const spec: TableSpec = {
      columns: { school: { kind: 'dimension' }, students: { kind: 'count' } },
      unit: 'school',
      totals: [{ dimension: 'school', totalValue: TOTAL }],
    };
    const schools = [
      { school: 'A', students: 41 },
      { school: 'B', students: 52 },
      { school: 'C', students: 33 },
    ];
    const withX = [...schools, { school: 'X', students: 3 }];
    const total = (rows: Row[]) => ({
      school: TOTAL,
      students: rows.reduce((sum, row) => sum + (row.students as number), 0),
    });

    it('reveals X only to the band of its rounded value', () => {
      const published = applyDisclosureControl([...withX, total(withX)], spec).rows;
      const publishedWithout = applyDisclosureControl([...schools, total(schools)], spec).rows;
      const totalWith = published.at(-1)?.students as number;
      const totalWithout = publishedWithout.at(-1)?.students as number;
      expect((totalWith - totalWithout) % 5).toBe(0);
      // The attacker knows every other school from the second table (C is hidden only in the first).
      const others = publishedWithout.slice(0, -1).reduce((sum, row) => sum + (row.students as number), 0);
      const consistent = [1, 2, 3, 4, 5, 6, 7].filter((x) => roundTo(x, 5) === totalWith - others);
      expect(consistent).toContain(3);
      expect(consistent.length).toBeGreaterThanOrEqual(2);
    });

    it('reveals X only to a band when the totals are single area rows', () => {
      const areaSpec: TableSpec = {
        columns: { area: { kind: 'dimension' }, students: { kind: 'count' } },
        unit: 'area',
        schools: 'schools',
      };
      const exactWithout = 41 + 52 + 33 + 50;
      const [withRow] = applyDisclosureControl([{ area: '市', schools: 5, students: exactWithout + 3 }], areaSpec).rows;
      const [withoutRow] = applyDisclosureControl([{ area: '市', schools: 4, students: exactWithout }], areaSpec).rows;
      const [a, b] = [withRow.students as number, withoutRow.students as number];
      expect((a - b) % 5).toBe(0);
      const consistent = [1, 2, 3, 4, 5, 6, 7].filter((x) =>
        Array.from({ length: b + 10 }, (_, t) => t).some((t) => roundTo(t, 5) === b && roundTo(t + x, 5) === a),
      );
      expect(consistent).toContain(3);
      expect(consistent.length).toBeGreaterThanOrEqual(2);
    });
  });
});
