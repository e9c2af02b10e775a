import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/common/project-root.js';
import { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { Staging } from '../../src/ingest/staging.js';
import { spillFolderOf } from '../../src/warehouse/spill-folder.js';
import { Warehouse } from '../../src/warehouse/warehouse.js';
import { migrateWarehouse } from '../../src/warehouse/warehouse-migrator.js';

const spillFiles = (path: string) =>
  existsSync(spillFolderOf(path)) ? readdirSync(spillFolderOf(path)).filter((f) => f.startsWith('duckdb_temp')) : [];

/** Raw IDs, more of them than a 64 MB limit holds: what a large file's staging is. */
const STAGE_RAW_IDS = (table: string) =>
  `CREATE TABLE ${table} AS SELECT 'student-' || range AS raw, range AS n FROM range(6000000)`;

/** The warehouse's memory limit bounds the ingest's staging too: past it, pages spill beside the file. */
describe('spilling past the memory limit (real DuckDB file)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'shirube-spill-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('spills a staging larger than the limit to the folder beside the file, and leaves nothing there once it closes', async () => {
    const path = join(dir, 'warehouse.duckdb');
    const warehouse = await Warehouse.open(path, { memoryLimit: '64MB' });
    try {
      await migrateWarehouse(warehouse);
      expect(await warehouse.all(`SELECT current_setting('temp_directory') AS folder`)).toEqual([
        { folder: spillFolderOf(path) },
      ]);
      await warehouse.exclusive(async (session) => {
        const staging = await Staging.open(session, 'spill', new Pseudonymizer(null));
        try {
          await session.run(STAGE_RAW_IDS(staging.t('raw_ids')));
          expect(spillFiles(path).length).toBeGreaterThan(0);
        } finally {
          await staging.close();
        }
      });
      expect(spillFiles(path)).toEqual([]);
    } finally {
      await warehouse.close();
    }
  });

  it('removes the spill files a killed process left (raw IDs not yet pseudonymised) when it opens the file again', async () => {
    const path = join(dir, 'warehouse.duckdb');
    // A process that stages raw IDs past its limit into the folder Shirube gives DuckDB, then is killed.
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         const instance = await DuckDBInstance.create(${JSON.stringify(path)}, { memory_limit: '64MB', temp_directory: ${JSON.stringify(spillFolderOf(path))} });
         const connection = await instance.connect();
         await connection.run("ATTACH ':memory:' AS stg");
         await connection.run(${JSON.stringify(STAGE_RAW_IDS('stg.raw_ids'))});
         console.log('staged');
         setInterval(() => undefined, 1000);`,
      ],
      { cwd: projectRoot(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await once(child.stdout, 'data');
    child.kill('SIGKILL');
    await once(child, 'exit');
    const left = spillFiles(path);
    expect(left.length).toBeGreaterThan(0);
    writeFileSync(join(spillFolderOf(path), 'notes.txt'), 'not DuckDB’s');

    const warehouse = await Warehouse.open(path, { memoryLimit: '64MB' });
    try {
      expect(spillFiles(path)).toEqual([]);
      expect(readdirSync(spillFolderOf(path))).toEqual(['notes.txt']);
      expect(await warehouse.all('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await warehouse.close();
    }
  });
});
