import { answerFromRows, sameValue } from './prefill.js';

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
});
