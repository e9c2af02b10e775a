/** Tables for the disclosure-control specs (src/disclosure/*.spec.ts): a grade × sex table with its totals. */
import type { Row, TableSpec } from '../../src/disclosure/disclosure.types.js';
export const TOTAL = '計';

/** A small deterministic generator, so "many tables" tests are the same on every run. */
export function generator(seed: number) {
  let state = seed;
  return (max: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * (max + 1)); // the high bits: the low bits of this generator cycle
  };
}

export const gradeBySexSpec: TableSpec = {
  columns: { grade: { kind: 'dimension' }, sex: { kind: 'dimension' }, students: { kind: 'count' } },
  unit: 'school',
  totals: [
    { dimension: 'grade', totalValue: TOTAL },
    { dimension: 'sex', totalValue: TOTAL },
  ],
};

/** A grade × sex table with both margins and the grand total, exact. */
export function gradeBySex(cells: Record<string, [male: number, female: number]>): Row[] {
  const grades = Object.keys(cells);
  const value = (grade: string, sex: number) =>
    grade === TOTAL ? grades.reduce((sum, g) => sum + cells[g][sex], 0) : cells[grade][sex];
  return [...grades, TOTAL].flatMap((grade) => [
    { grade, sex: 'M', students: value(grade, 0) },
    { grade, sex: 'F', students: value(grade, 1) },
    { grade, sex: TOTAL, students: value(grade, 0) + value(grade, 1) },
  ]);
}

export const cell = (rows: readonly Row[], grade: string, sex: string) => {
  const found = rows.find((row) => row.grade === grade && row.sex === sex);
  if (!found) throw new Error(`no cell ${grade}/${sex}`);
  return found.students as number | null;
};
