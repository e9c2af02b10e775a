import { bodyShapeProblems } from './body-shape.js';

describe('body shape', () => {
  it('names the top field of a body nested too deep, without overflowing the stack', () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(bodyShapeProblems({ version: 1, value })).toEqual([
      { field: 'value', messages: ['is nested deeper than 32 levels'] },
    ]);
  });

  it('names every field holding the NUL character, by its path', () => {
    expect(bodyShapeProblems({ title: { ja: 'a\u0000' }, cells: [{ dims: { grade: '\u0000' } }], ok: 'fine' })).toEqual(
      [
        { field: 'title.ja', messages: ['must not contain the NUL character (\\u0000)'] },
        { field: 'cells.0.dims.grade', messages: ['must not contain the NUL character (\\u0000)'] },
      ],
    );
    expect(bodyShapeProblems({ ['a\u0000']: 1 })).toEqual([
      { field: 'body', messages: ['a field name contains the NUL character (\\u0000)'] },
    ]);
  });

  it('lets an ordinary body through', () => {
    expect(bodyShapeProblems({ value: [{ dims: { grade: 'P1' }, value: 3 }], reason: '転入生', version: 2 })).toEqual(
      [],
    );
    expect(bodyShapeProblems(undefined)).toEqual([]);
  });
});
