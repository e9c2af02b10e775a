import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../src/warehouse/warehouse.js';

/**
 * DuckDB 1.5 invalidates its whole instance on an internal error (shared STACK-NOTES: grouping a CSV
 * column that holds an invalid UTF-8 byte). The ingest checks input so that none gets there; should
 * some query still do it, the warehouse opens its file again instead of failing every later query.
 */
describe('the warehouse after DuckDB invalidates its instance (real DuckDB file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shirube-warehouse-'));
  const csv = join(dir, 'bad.csv');
  // The query that invalidates DuckDB 1.5.6: a column holding an invalid UTF-8 byte, read as VARCHAR.
  const fatal = `SELECT student_id FROM read_csv('${csv}', columns = {'school_code': 'VARCHAR', 'student_id': 'VARCHAR'},
                 header = true, quote = '"', escape = '"', auto_detect = false, delim = ',')`;
  let warehouse: Warehouse;
  beforeAll(async () => {
    writeFileSync(csv, Buffer.concat([Buffer.from('school_code,student_id\nB1,abc'), Buffer.from([0xb7, 0x0a])]));
    warehouse = await Warehouse.open(join(dir, 'warehouse.duckdb'));
    await warehouse.transaction((session) => session.run('CREATE TABLE t AS SELECT 1 AS x UNION ALL SELECT 2'));
  });
  afterAll(async () => {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const sum = async () => Number((await warehouse.all<{ s: bigint }>('SELECT sum(x) AS s FROM t'))[0].s);

  it('answers the next read with the committed data after a read that invalidated it', async () => {
    await expect(warehouse.all(fatal)).rejects.toThrow(/INTERNAL Error/);
    expect(await sum()).toBe(3);
  });

  it('after a write or an exclusive session that invalidated it, the next write commits', async () => {
    await expect(warehouse.transaction((session) => session.all(fatal))).rejects.toThrow(/INTERNAL Error/);
    await warehouse.transaction((session) => session.run('INSERT INTO t VALUES (3)'));
    await expect(warehouse.exclusive((session) => session.all(fatal))).rejects.toThrow(/INTERNAL Error/);
    await warehouse.transaction((session) => session.run('INSERT INTO t VALUES (4)'));
    expect(await sum()).toBe(10);
  });
});
