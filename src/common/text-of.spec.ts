import { textOf } from './text-of.js';

describe('textOf', () => {
  it('writes scalars as String() does and null or undefined as nothing', () => {
    expect([textOf('a'), textOf(1.5), textOf(true), textOf(12n), textOf(null), textOf(undefined)]).toEqual([
      'a',
      '1.5',
      'true',
      '12',
      '',
      '',
    ]);
    const date = new Date(0);
    expect(textOf(date)).toBe(String(date));
  });

  it('writes an object as JSON and an array as its elements joined by commas', () => {
    expect(textOf({ a: 1, b: 2n })).toBe('{"a":1,"b":"2"}');
    expect(textOf(['x', 2, null, { c: 'd' }])).toBe('x,2,,{"c":"d"}');
  });
});
