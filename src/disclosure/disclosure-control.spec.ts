import { applyDisclosureControl, DisclosureSpecError, roundToMultiple } from './disclosure-control.js';
import { DEFAULT_DISCLOSURE, type Row, type TableSpec } from './disclosure.types.js';
import { generator, gradeBySex, gradeBySexSpec, TOTAL } from '../../test/support/grade-by-sex.js';

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
