import fc from 'fast-check';
import type { MetricValue } from '../metrics/metrics.service.js';
import { answerFromRows, answersFromRows, sameValue } from './prefill.js';
import type { AnswerValue, Binding, GridCell, QuestionType } from './survey.types.js';

/** answerFromRows as it was written first, one school at a time: the reference the many-school form must equal. */
function oneSchoolAtATime(
  type: QuestionType,
  binding: Binding,
  gridDims: string[] | null,
  rows: MetricValue[],
): AnswerValue {
  const kept = rows.filter((row) =>
    Object.entries(binding.filter ?? {}).every(([d, wanted]) =>
      Array.isArray(wanted) ? wanted.includes(row.dims[d]) : row.dims[d] === wanted,
    ),
  );
  if (type !== 'grid') {
    const total = kept.reduce((sum, row) => sum + row.value, 0);
    return type === 'integer' ? Math.round(total) : total;
  }
  const cells = new Map<string, GridCell>();
  for (const row of kept) {
    const values = (gridDims ?? []).map((d) => row.dims[d]);
    const group = JSON.stringify(values);
    const cell = cells.get(group);
    if (cell) cell.value += row.value;
    else
      cells.set(group, { dims: Object.fromEntries((gridDims ?? []).map((d, i) => [d, values[i]])), value: row.value });
  }
  const key = (cell: GridCell) => JSON.stringify(Object.entries(cell.dims).sort());
  return [...cells.values()].sort((a, b) => new Intl.Collator().compare(key(a), key(b)));
}

const rows = [
  { schoolCode: 'S', dims: { grade: 'J1', sex: 'male', reason: 'non_attendance' }, value: 3 },
  { schoolCode: 'S', dims: { grade: 'J1', sex: 'female', reason: 'non_attendance' }, value: 2 },
  { schoolCode: 'S', dims: { grade: 'J2', sex: 'male', reason: 'illness' }, value: 1 },
];

describe('pre-filled answers from metric rows', () => {
  it('sums the rows a filter keeps', () => {
    expect(answerFromRows('integer', { metric: 'm' }, null, rows)).toBe(6);
    expect(answerFromRows('integer', { metric: 'm', filter: { reason: 'non_attendance' } }, null, rows)).toBe(5);
    expect(answerFromRows('integer', { metric: 'm', filter: { grade: ['J2', 'J3'] } }, null, rows)).toBe(1);
    expect(answerFromRows('integer', { metric: 'm', filter: { reason: 'economic' } }, null, rows)).toBe(0);
  });

  it('builds grid cells by the grid’s dimensions, summing the others', () => {
    expect(answerFromRows('grid', { metric: 'm' }, ['grade'], rows)).toEqual([
      { dims: { grade: 'J1' }, value: 5 },
      { dims: { grade: 'J2' }, value: 1 },
    ]);
  });

  it('compares grids cell by cell, a missing cell counting as 0', () => {
    expect(
      sameValue(
        [
          { dims: { g: 'a' }, value: 1 },
          { dims: { g: 'b' }, value: 0 },
        ],
        [{ dims: { g: 'a' }, value: 1 }],
      ),
    ).toBe(true);
    expect(sameValue([{ dims: { g: 'a' }, value: 1 }], [{ dims: { g: 'a' }, value: 2 }])).toBe(false);
    expect(sameValue(0.5, 0.5)).toBe(true);
  });

  it('gives for many schools at once what it gives one school at a time (cells, sums and order), rows sharing their dims objects or not', () => {
    const value = fc.constantFrom('1', '2', '10', 'J1', 'male', 'female', 'ア', 'a', 'A', '');
    const row = fc.record({
      dims: fc.record({ grade: value, sex: value, reason: value }, { requiredKeys: ['grade'] }),
      value: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 1, noNaN: true })),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(row, { maxLength: 30 }), { maxLength: 6 }),
        fc.constantFrom<QuestionType>('grid', 'integer', 'number'),
        fc.subarray(['grade', 'sex', 'reason']),
        fc.option(fc.record({ sex: fc.oneof(value, fc.array(value, { maxLength: 3 })) }), { nil: undefined }),
        fc.boolean(),
        (schools, type, gridDims, filter, shared) => {
          // As MetricsService.values gives them: rows with the same dimension values share one dims object.
          const interned = new Map<string, Record<string, string>>();
          const dimsOf = (dims: Record<string, string>) => {
            const key = JSON.stringify(Object.entries(dims).sort());
            if (!interned.has(key)) interned.set(key, dims);
            return shared ? interned.get(key)! : dims;
          };
          const rowsOf = schools.map((rows) =>
            rows.map((r): MetricValue => ({ schoolCode: 'S', ...r, dims: dimsOf(r.dims) })),
          );
          const binding = { metric: 'm', ...(filter ? { filter } : {}) } as Binding;
          expect(answersFromRows(type, binding, gridDims, rowsOf)).toEqual(
            rowsOf.map((rows) => oneSchoolAtATime(type, binding, gridDims, rows)),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
