import { applyDisclosureControl, DisclosureSpecError, mergeReports, roundToMultiple } from './disclosure-control.js';
import { DEFAULT_DISCLOSURE, type DisclosureSettings, type Row, type TableSpec } from './disclosure.types.js';

const TOTAL = '計';

/** The published value of a count as the reader sees it (a test-side copy of the rule, not the code's). */
const roundTo = (value: number, multiple: number) => Math.floor(value / multiple + 0.5) * multiple;

/** A small deterministic generator, so "many tables" tests are the same on every run. */
function generator(seed: number) {
  let state = seed;
  return (max: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * (max + 1)); // the high bits: the low bits of this generator cycle
  };
}

const gradeBySexSpec: TableSpec = {
  columns: { grade: { kind: 'dimension' }, sex: { kind: 'dimension' }, students: { kind: 'count' } },
  unit: 'school',
  totals: [
    { dimension: 'grade', totalValue: TOTAL },
    { dimension: 'sex', totalValue: TOTAL },
  ],
};

/** A grade × sex table with both margins and the grand total, exact. */
function gradeBySex(cells: Record<string, [male: number, female: number]>): Row[] {
  const grades = Object.keys(cells);
  const value = (grade: string, sex: number) =>
    grade === TOTAL ? grades.reduce((sum, g) => sum + cells[g][sex], 0) : cells[grade][sex];
  return [...grades, TOTAL].flatMap((grade) => [
    { grade, sex: 'M', students: value(grade, 0) },
    { grade, sex: 'F', students: value(grade, 1) },
    { grade, sex: TOTAL, students: value(grade, 0) + value(grade, 1) },
  ]);
}

const cell = (rows: readonly Row[], grade: string, sex: string) => {
  const found = rows.find((row) => row.grade === grade && row.sex === sex);
  if (!found) throw new Error(`no cell ${grade}/${sex}`);
  return found.students as number | null;
};

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

const countCells = (rows: readonly Row[], columns: string[]) =>
  rows.flatMap((row) => columns.map((column) => row[column]));

describe('applyDisclosureControl', () => {
  it('leaves no count of 1..7 and rounds every count to a multiple of 5, across many tables', () => {
    const next = generator(20240401);
    for (let table = 0; table < 50; table += 1) {
      const cells: Record<string, [number, number]> = {};
      for (const grade of ['1', '2', '3', '4', '5', '6']) cells[grade] = [next(30), next(30)];
      const { rows } = applyDisclosureControl(gradeBySex(cells), gradeBySexSpec);
      for (const value of countCells(rows, ['students'])) {
        if (value === null) continue;
        expect(typeof value).toBe('number');
        expect((value as number) >= 1 && (value as number) <= 7).toBe(false);
        expect((value as number) % 5).toBe(0);
      }
    }
  });

  it('keeps a count of 0, which describes no student, and rounds halves away from zero', () => {
    const spec: TableSpec = { columns: { school: { kind: 'dimension' }, students: { kind: 'count' } }, unit: 'school' };
    const { rows } = applyDisclosureControl(
      [0, 7, 8, 10, 12, 13].map((students, i) => ({ school: `S${i}`, students })),
      spec,
    );
    expect(rows.map((row) => row.students)).toEqual([0, null, 10, 10, 10, 15]);
    expect([2.5, 7.5, 12, 13, 0, -2.5].map((v) => roundToMultiple(v, 5))).toEqual([5, 10, 10, 15, 0, -5]);
  });

  it('makes a total the sum of its rounded components, redacted ones included', () => {
    const spec: TableSpec = {
      columns: { school: { kind: 'dimension' }, students: { kind: 'count' } },
      unit: 'school',
      totals: [{ dimension: 'school', totalValue: TOTAL }],
    };
    // Rounding the exact total (39) would give 40; the published total is 10 + 10 + 10 + 5, with
    // D (3) redacted and A redacted as its complement.
    const { rows } = applyDisclosureControl(
      [
        { school: 'A', students: 12 },
        { school: 'B', students: 12 },
        { school: 'C', students: 12 },
        { school: 'D', students: 3 },
        { school: TOTAL, students: 39 },
      ],
      spec,
    );
    expect(rows.map((row) => row.students)).toEqual([null, 10, 10, null, 35]);
  });

  it('redacts a total whose rounded parts sum to a small number', () => {
    const spec: TableSpec = {
      columns: { school: { kind: 'dimension' }, students: { kind: 'count' } },
      unit: 'school',
      totals: [{ dimension: 'school', totalValue: TOTAL }],
    };
    const { rows, report } = applyDisclosureControl(
      [
        { school: 'A', students: 2 },
        { school: 'B', students: 6 },
        { school: TOTAL, students: 8 }, // 8 is not small, but would be published as 0 + 5
      ],
      spec,
    );
    expect(rows.map((row) => row.students)).toEqual([null, null, null]);
    expect(report.primaryRedacted).toBe(3);
  });

  it('redacts a rate whose numerator is redacted, and computes the others from the rounded counts', () => {
    const spec: TableSpec = {
      columns: {
        school: { kind: 'dimension' },
        absent: { kind: 'count' },
        students: { kind: 'count' },
        absenceRate: { kind: 'rate', numerator: 'absent', denominator: 'students' },
      },
      unit: 'school',
    };
    const { rows, report } = applyDisclosureControl(
      [
        { school: 'A', absent: 4, students: 120, absenceRate: 4 / 120 },
        { school: 'B', absent: 12, students: 48, absenceRate: 12 / 48 },
        { school: 'C', absent: 0, students: 0, absenceRate: null },
      ],
      spec,
    );
    expect(rows[0]).toEqual({ school: 'A', absent: null, students: 120, absenceRate: null });
    expect(rows[1].absenceRate).toBeCloseTo(10 / 50);
    expect(rows[2].absenceRate).toBeNull(); // 0/0 is no rate, and was none before control either
    expect(report.rateRedacted).toBe(1);
  });

  it('redacts a rate whose denominator rounds to 0', () => {
    const spec: TableSpec = {
      columns: {
        a: { kind: 'count' },
        n: { kind: 'count' },
        r: { kind: 'rate', numerator: 'a', denominator: 'n', scale: 100 },
      },
      unit: 'school',
    };
    const { rows, report } = applyDisclosureControl(
      [
        { a: 0, n: 8 },
        { a: 10, n: 40 },
      ],
      spec,
      { maxRedactedCount: 7, rounding: 20, minSchools: 3 },
    );
    expect(rows[0].r).toBeNull(); // 8 is not redacted, but rounds to 0
    expect(rows[1].r).toBeCloseTo(50); // 10 → 20 (half away from zero), 40 → 40
    expect(report.rateRedacted).toBe(1);
  });

  it('redacts a statistic about 6 students, and one about nobody, but keeps one about 8', () => {
    const spec: TableSpec = {
      columns: {
        school: { kind: 'dimension' },
        students: { kind: 'count' },
        meanScore: { kind: 'statistic', students: 'students' },
      },
      unit: 'school',
    };
    const { rows, report } = applyDisclosureControl(
      [
        { school: 'A', students: 6, meanScore: 61.5 },
        { school: 'B', students: 0, meanScore: 0 },
        { school: 'C', students: 8, meanScore: 55.25 },
      ],
      spec,
    );
    expect(rows.map((row) => row.meanScore)).toEqual([null, null, 55.25]);
    expect(report.primaryRedacted).toBe(3); // A's count, A's mean, B's mean
  });

  it('redacts a statistic whose count was redacted only to protect another cell', () => {
    const spec: TableSpec = {
      columns: {
        school: { kind: 'dimension' },
        students: { kind: 'count' },
        meanScore: { kind: 'statistic', students: 'students' },
      },
      unit: 'school',
      totals: [{ dimension: 'school', totalValue: TOTAL }],
    };
    const { rows, report } = applyDisclosureControl(
      [
        { school: 'A', students: 3, meanScore: 40 },
        { school: 'B', students: 20, meanScore: 50 },
        { school: 'C', students: 30, meanScore: 60 },
        { school: TOTAL, students: 53, meanScore: 55 },
      ],
      spec,
    );
    expect(rows[1]).toEqual({ school: 'B', students: null, meanScore: null });
    expect(rows[2]).toEqual({ school: 'C', students: 30, meanScore: 60 });
    expect(report.secondaryRedacted).toBe(2); // B's count and B's mean
  });

  it('redacts every figure of an area row covering 2 schools, keeping its dimensions and school count', () => {
    const spec: TableSpec = {
      columns: {
        ward: { kind: 'dimension' },
        students: { kind: 'count' },
        absent: { kind: 'count' },
        rate: { kind: 'rate', numerator: 'absent', denominator: 'students' },
        meanDays: { kind: 'statistic', students: 'absent' },
      },
      unit: 'area',
      schools: 'schools',
    };
    const { rows, report } = applyDisclosureControl(
      [
        { ward: '南区', schools: 2, students: 600, absent: 40, meanDays: 35 },
        { ward: '北区', schools: 3, students: 600, absent: 40, meanDays: 35 },
      ],
      spec,
    );
    expect(rows[0]).toEqual({ ward: '南区', schools: 2, students: null, absent: null, meanDays: null, rate: null });
    expect(rows[1]).toEqual({ ward: '北区', schools: 3, students: 600, absent: 40, meanDays: 35, rate: 40 / 600 });
    expect(report).toMatchObject({ areaRowsRedacted: 1, areaCellsRedacted: 4, cellsRedacted: 4 });
  });

  it('does not let a redacted total be rebuilt from its visible parts to expose an area', () => {
    const spec: TableSpec = {
      columns: { ward: { kind: 'dimension' }, sex: { kind: 'dimension' }, n: { kind: 'count' } },
      unit: 'area',
      schools: 'schools',
      totals: [
        { dimension: 'ward', totalValue: TOTAL },
        { dimension: 'sex', totalValue: TOTAL },
      ],
    };
    // Ward C has 2 schools. Suppression by groups alone hides D's total as the complement of C's,
    // but D's boys and girls stay visible, so C's total = grand total − A − B − D.
    const wards: Record<string, { schools: number; M: number; F: number }> = {
      A: { schools: 5, M: 17, F: 40 },
      B: { schools: 3, M: 55, F: 21 },
      C: { schools: 2, M: 1, F: 24 },
      D: { schools: 3, M: 34, F: 22 },
    };
    const sum = (pick: (w: { schools: number; M: number; F: number }) => number) =>
      Object.values(wards).reduce((total, w) => total + pick(w), 0);
    const input: Row[] = [
      ...Object.entries(wards),
      [TOTAL, { schools: sum((w) => w.schools), M: sum((w) => w.M), F: sum((w) => w.F) }] as const,
    ].flatMap(([ward, w]) => [
      { ward, sex: 'M', schools: w.schools, n: w.M },
      { ward, sex: 'F', schools: w.schools, n: w.F },
      { ward, sex: TOTAL, schools: w.schools, n: w.M + w.F },
    ]);
    const { rows } = applyDisclosureControl(input, spec);
    const value = (ward: string, sex: string) =>
      rows.find((row) => row.ward === ward && row.sex === sex)?.n as number | null;
    const wardTotalKnown = (ward: string) =>
      value(ward, TOTAL) ??
      (value(ward, 'M') !== null && value(ward, 'F') !== null
        ? (value(ward, 'M') as number) + (value(ward, 'F') as number)
        : null);
    expect([value('C', 'M'), value('C', 'F'), value('C', TOTAL)]).toEqual([null, null, null]);
    const othersKnown = ['A', 'B', 'D'].every((ward) => wardTotalKnown(ward) !== null);
    expect(othersKnown && value(TOTAL, TOTAL) !== null).toBe(false);
  });

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

  it('applies the thresholds of the settings', () => {
    const spec: TableSpec = {
      columns: { area: { kind: 'dimension' }, n: { kind: 'count' }, mean: { kind: 'statistic', students: 'n' } },
      unit: 'area',
      schools: 'schools',
    };
    const rows = [
      { area: 'a', schools: 5, n: 9, mean: 1 },
      { area: 'b', schools: 5, n: 15, mean: 2 },
      { area: 'c', schools: 4, n: 40, mean: 3 },
    ];
    expect(applyDisclosureControl(rows, spec).rows.map((row) => [row.n, row.mean])).toEqual([
      [10, 1],
      [15, 2],
      [40, 3],
    ]);
    const strict = applyDisclosureControl(rows, spec, { maxRedactedCount: 10, rounding: 10, minSchools: 5 });
    expect(strict.rows.map((row) => [row.n, row.mean])).toEqual([
      [null, null],
      [20, 2],
      [null, null],
    ]);
    expect(strict.report.rules).toContain('Statistics about 1–10 students are redacted.');
    expect(strict.report.rulesJa).toContain('5校未満の地域の集計値は秘匿しています。');
  });

  it('reports what it redacted and why', () => {
    const spec: TableSpec = {
      columns: {
        ward: { kind: 'dimension' },
        students: { kind: 'count' },
        absent: { kind: 'count' },
        absenceRate: { kind: 'rate', numerator: 'absent', denominator: 'students' },
        meanDays: { kind: 'statistic', students: 'absent' },
      },
      unit: 'area',
      schools: 'schools',
      totals: [{ dimension: 'ward', totalValue: '市計' }],
    };
    const input: Row[] = [
      { ward: '北区', schools: 5, students: 122, absent: 4, meanDays: 40.1 },
      { ward: '南区', schools: 2, students: 63, absent: 12, meanDays: 35 },
      { ward: '東区', schools: 4, students: 88, absent: 15, meanDays: 33 },
      { ward: '西区', schools: 3, students: 78, absent: 20, meanDays: 31 },
      { ward: '市計', schools: 14, students: 351, absent: 51, meanDays: 34 },
    ];
    const frozen = input.map((row) => Object.freeze({ ...row }));
    const { rows, report } = applyDisclosureControl(frozen, spec);

    expect(rows.map((row) => [row.ward, row.students, row.absent, row.meanDays])).toEqual([
      ['北区', 120, null, null], // 4 absent: primary; the mean about them too
      ['南区', null, null, null], // 2 schools: area rule
      ['東区', 90, 15, 33],
      ['西区', null, 20, 31], // students: the complement of 南区 beside the visible total
      ['市計', 355, 50, 34], // sums of the rounded wards (120 + 65 + 90 + 80; 5 + 10 + 15 + 20)
    ]);
    expect(rows.map((row) => row.absenceRate)).toEqual([null, null, 15 / 90, null, 50 / 355]);
    expect(report).toEqual({
      settings: DEFAULT_DISCLOSURE,
      rules: expect.arrayContaining(['Statistics about 1–7 students are redacted.']),
      rulesJa: expect.arrayContaining(['1〜7人に関する統計値は秘匿しています。']),
      primaryRedacted: 2,
      secondaryRedacted: 1,
      areaRowsRedacted: 1,
      areaCellsRedacted: 4,
      rateRedacted: 2,
      cellsRedacted: 9,
    });
    expect(report.rules).toHaveLength(report.rulesJa.length);
    expect(frozen).toEqual(input);
  });

  it('gives the same answer every time it is asked', () => {
    const exact = gradeBySex({ '1': [20, 18], '2': [15, 3], '3': [22, 25] });
    expect(applyDisclosureControl(exact, gradeBySexSpec)).toEqual(applyDisclosureControl(exact, gradeBySexSpec));
  });

  it.each<[string, Row[], TableSpec, RegExp]>([
    [
      'an unknown column',
      [{ school: 'A', students: 10, pupils: 3 }],
      { columns: { school: { kind: 'dimension' }, students: { kind: 'count' } }, unit: 'school' },
      /column "pupils" \(row 0\) has no role/,
    ],
    [
      'a count that is not a number',
      [{ students: '10' }],
      { columns: { students: { kind: 'count' } }, unit: 'school' },
      /count column "students" \(row 0\) holds "10"/,
    ],
    [
      'a rate over a non-count',
      [{ a: 1, b: 'x' }],
      {
        columns: {
          a: { kind: 'count' },
          b: { kind: 'dimension' },
          r: { kind: 'rate', numerator: 'a', denominator: 'b' },
        },
        unit: 'school',
      },
      /denominator "b" is not a count column/,
    ],
    [
      'an area table without a schools column',
      [{ n: 10 }],
      { columns: { n: { kind: 'count' } }, unit: 'area' },
      /'area' table needs a "schools" column/,
    ],
    [
      'two totals in one group',
      [
        { g: TOTAL, n: 10 },
        { g: TOTAL, n: 10 },
      ],
      {
        columns: { g: { kind: 'dimension' }, n: { kind: 'count' } },
        unit: 'school',
        totals: [{ dimension: 'g', totalValue: TOTAL }],
      },
      /rows 0 and 1 are both the g = "計" total/,
    ],
  ])('throws on %s, naming it', (_, rows, spec, message) => {
    expect(() => applyDisclosureControl(rows, spec)).toThrow(DisclosureSpecError);
    expect(() => applyDisclosureControl(rows, spec)).toThrow(message);
  });

  it('refuses settings that cannot be applied', () => {
    const spec: TableSpec = { columns: { n: { kind: 'count' } }, unit: 'school' };
    expect(() => applyDisclosureControl([{ n: 1 }], spec, { ...DEFAULT_DISCLOSURE, rounding: 0 })).toThrow(
      /rounding must be a whole number ≥ 1/,
    );
  });
});

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
