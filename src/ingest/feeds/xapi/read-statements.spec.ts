import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from '../../sql/ingest-sql.js';
import { isJsonArray, STATEMENT_FIELDS } from './read-statements.js';

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

describe('queries/ingest/xapi/read.sql', () => {
  it('reads STATEMENT_FIELDS: each path, in order, into its column and the column’s JSON type', () => {
    const sql = ingestFile('xapi/read');
    const paths = /json_extract\(j, \[([^\]]*)\]\)/.exec(sql)?.[1].match(/'[^']*'/g);
    expect(paths).toEqual(STATEMENT_FIELDS.map(([, path]) => `'${path}'`));
    STATEMENT_FIELDS.forEach(([column], i) => {
      expect(sql).toContain(`v[${i + 1}] ->> '$' AS ${column}, json_type(v[${i + 1}]) AS ${column}_type`);
    });
  });
});
