import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isJsonArray } from './read-statements.js';

describe('isJsonArray', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'shirube-json-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('tells an array from a statement or statements one after another, past a BOM and spaces', () => {
    expect(isJsonArray(file('array.json', '[{"id": 1}]'))).toBe(true);
    expect(isJsonArray(file('bom.json', '\uFEFF\n  [\n{"id": 1}]'))).toBe(true);
    expect(isJsonArray(file('far.json', `${' '.repeat(100_000)}\n[]`))).toBe(true);
    expect(isJsonArray(file('one.json', '{"id": [1]}'))).toBe(false);
    expect(isJsonArray(file('many.json', '{"id": 1}\n{"id": 2}'))).toBe(false);
    expect(isJsonArray(file('empty.json', '   '))).toBe(false);
  });
});
