import { listValue } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendComputedInNode } from '../../src/ingest/computed-in-node.js';
import { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { Staging } from '../../src/ingest/staging.js';
import { Warehouse } from '../../src/warehouse/warehouse.js';
import { migrateWarehouse } from '../../src/warehouse/warehouse-migrator.js';

/** The staging area on a real DuckDB file: row numbers must be the file's own line numbers. */
describe('staging (real DuckDB)', () => {
  let dir: string;
  let warehouse: Warehouse;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shirube-staging-'));
    warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
    await migrateWarehouse(warehouse);
  });
  afterAll(async () => {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('numbers rows by their line in the file across parallel reads, and past refused lines', async () => {
    const path = join(dir, 'lines.csv');
    const out = createWriteStream(path);
    out.write('\uFEFFa,b\n');
    const broken = new Set([1000, 250_001, 250_002]);
    for (let line = 2; line <= 400_001; line++) {
      if (!out.write(broken.has(line) ? `only-one-field\n` : `${line},"x,${line % 7}"\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await warehouse.exclusive(async (session) => {
      const staging = await Staging.open(session, 'lines', new Pseudonymizer(null));
      try {
        const read = await staging.readCsv({ path, name: 'lines.csv', sha256: '', bytes: 0 }, { required: ['a', 'b'] });
        expect(read?.rows).toBe(400_000);
        const [check] = await session.all<{ n: bigint; wrong: bigint }>(
          `SELECT count(*) AS n, count(*) FILTER (WHERE line <> CAST(a AS BIGINT)) AS wrong FROM ${read!.table}`,
        );
        expect({ n: Number(check.n), wrong: Number(check.wrong) }).toEqual({ n: 399_997, wrong: 0 });
        const problems = await staging.problems(10);
        expect(problems.list.map((p) => p.row)).toEqual([1000, 250_001, 250_002]);
        expect(problems.list[0].rule).toMatch(/^malformed CSV line/);
      } finally {
        await staging.close();
      }
    });
  });

  it('pseudonymises every ID exactly as the Pseudonymizer does, whether DuckDB or Node computes the HMAC', async () => {
    const ids = [
      'stu-0001',
      '68d707f2-a7d8-49c7-be8a-a31dbbdb0b12',
      'a',
      'x y',
      '生徒-0001',
      'stu-0002\u3000',
      '\u3000stu-0003',
      ' spaced ',
      'tab\t',
      'ﾊﾝｶｸ',
      'é',
      "o'brien",
    ];
    for (const key of [randomBytes(32), randomBytes(100)]) {
      const pseudonymizer = new Pseudonymizer(key);
      await warehouse.exclusive(async (session) => {
        const staging = await Staging.open(session, `pids${key.length}`, pseudonymizer);
        try {
          const table = staging.newTable('ids');
          await session.run(`CREATE TABLE ${table} AS SELECT unnest($1::VARCHAR[]) AS id`, [listValue(ids)]);
          await staging.pseudonymize(table, 'id');
          const mapped = await session.all<{ raw: string; pid: string }>(
            `SELECT raw, pid FROM ${staging.t('pid_map')}`,
          );
          expect(new Map(mapped.map((m) => [m.raw, m.pid]))).toEqual(
            new Map(ids.map((id) => [id, pseudonymizer.pseudonym(id)])),
          );
        } finally {
          await staging.close();
        }
      });
    }
  });

  it('hands values computed in Node to DuckDB slice by slice: every value once, nothing left behind', async () => {
    await warehouse.exclusive(async (session) => {
      const staging = await Staging.open(session, 'slices', new Pseudonymizer(null));
      try {
        const target = staging.newTable('lengths');
        await session.run(`CREATE TABLE ${target} (text VARCHAR, length INTEGER)`);
        // One appender per slice: the rows each got are the slices Node held.
        const slices = new Map<object, number>();
        const rows = await appendComputedInNode<{ text: string }>(
          staging,
          `SELECT DISTINCT 'v' || (range % 10) AS text FROM range(50) WHERE range % 10 >= $1`,
          target,
          (appender, { text }) => {
            appender.appendVarchar(text);
            appender.appendInteger(text.length * 10);
            appender.endRow();
            slices.set(appender, (slices.get(appender) ?? 0) + 1);
          },
          { params: [2], sliceRows: 3 },
        );
        expect(rows).toBe(8);
        expect([...slices.values()]).toEqual([3, 3, 2]);
        const appended = await session.all<{ text: string; length: number }>(
          `SELECT text, length FROM ${target} ORDER BY text`,
        );
        expect(appended).toEqual(
          ['v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9'].map((text) => ({ text, length: 20 })),
        );
        const [{ left }] = await session.all<{ left: bigint }>(
          `SELECT count(*) AS left FROM duckdb_tables() WHERE database_name = $1 AND table_name LIKE 'node_values%'`,
          [staging.schema],
        );
        expect(Number(left)).toBe(0);
      } finally {
        await staging.close();
      }
    });
  });
});
