import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/common/project-root.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { readPseudonymKey } from '../../src/config/pseudonym-key.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import { pseudonymizeFiles } from '../../src/ingest/pseudonymize-tool.js';
import { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { openWarehouse } from '../../src/warehouse/warehouse.module.js';
import { seedCentralRoster, seedRoster } from '../factories/roster.factory.js';
import { cliEnvironment, freshStores, type TestStores } from '../support/stores.js';
import { SCHOOL_A, startTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
const bin = join(projectRoot(), 'bin', 'shirube.js');
const ATTENDANCE = `school_code,student_id,date,status,reason\n${SCHOOL_A},stu-1,2025-05-12,absent,illness\n${SCHOOL_A},stu-2,2025-05-12,late,\n`;

/** The control plane and the warehouse are two stores: what one remembers is checked against the other. */
describe('the control plane and the warehouse agree, or the ingest says why not (real stores)', () => {
  describe('a fresh warehouse beside a control plane that remembers a file (compiled CLI)', () => {
    let stores: TestStores;
    const seed = async () => {
      const warehouse = await openWarehouse(stores.config.duckdbPath);
      await seedRoster(
        warehouse,
        stores.config.pseudonymKeyFile!,
        [{ code: SCHOOL_A, name: '中央小学校', type: 'elementary' }],
        ['stu-1', 'stu-2'].map((sourcedId) => ({ sourcedId, schoolCode: SCHOOL_A, grade: 'P3' })),
      );
      await warehouse.close();
    };
    const rows = async () => {
      const warehouse = await openWarehouse(stores.config.duckdbPath);
      try {
        return Number((await warehouse.all<{ n: bigint }>('SELECT count(*) AS n FROM attendance_days'))[0].n);
      } finally {
        await warehouse.close();
      }
    };
    beforeAll(async () => {
      stores = await freshStores();
      await seed();
    });
    afterAll(async () => stores.cleanup());

    it('loads the file again instead of answering "already loaded", and says the stores disagreed', async () => {
      const file = join(stores.dir, 'attendance.csv');
      writeFileSync(file, ATTENDANCE);
      const ingest = async () =>
        JSON.parse(
          (await run(process.execPath, [bin, 'ingest', file, '--json'], { env: cliEnvironment(stores) })).stdout,
        ) as {
          batchId: string;
          status: string;
          rowsLoaded: number;
          problems: { severity: string; file: string; rule: string }[];
        };
      const first = await ingest();
      expect(first).toMatchObject({ status: 'loaded', rowsLoaded: 2 });
      expect((await ingest()).status).toBe('noop');

      // The warehouse is replaced by a new one (or one restored from before the batch); the control plane stays.
      rmSync(stores.config.duckdbPath, { force: true });
      rmSync(`${stores.config.duckdbPath}.wal`, { force: true });
      await seed();
      expect(await rows()).toBe(0);
      const again = await ingest();
      expect(again).toMatchObject({ status: 'loaded', rowsLoaded: 2 });
      expect(again.problems).toEqual([
        expect.objectContaining({
          severity: 'warning',
          file: 'attendance.csv',
          rule: `recorded as loaded in batch ${first.batchId}, but the warehouse does not hold that batch (a new warehouse, or one restored from before it): loaded again`,
        }),
      ]);
      expect(await rows()).toBe(2);
      // Two batches loaded the file, one the warehouse no longer holds: the one it holds makes it a no-op.
      expect((await ingest()).status).toBe('noop');
    });
  });

  describe('the pseudonym key', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
      await seedCentralRoster(t, [{ sourcedId: 'stu-1', schoolCode: SCHOOL_A, grade: 'P3' }]);
    });
    afterAll(async () => t.close());

    it('checks pre-pseudonymised files by the fingerprint `shirube pseudonymize` writes beside them', async () => {
      const input = join(t.stores.dir, 'raw');
      mkdirSync(input);
      writeFileSync(
        join(input, 'attendance.csv'),
        `school_code,student_id,date,status,reason\n${SCHOOL_A},stu-1,2025-05-14,late,\n`,
      );
      const pseudonymise = async (key: Buffer, out: string) => {
        const summary = await pseudonymizeFiles(input, join(t.stores.dir, out), new Pseudonymizer(key));
        expect(readFileSync(join(t.stores.dir, out, 'pseudonym-key.fingerprint'), 'utf8').trim()).toBe(
          summary.keyFingerprint,
        );
        return join(t.stores.dir, out);
      };
      const ingest = (path: string) =>
        requestContext.run(CLI_ACTOR, () =>
          t.app.get(IngestService).ingest(path, CLI_ACTOR, { prePseudonymized: true }),
        );
      const boardKey = readPseudonymKey(t.stores.config.pseudonymKeyFile!);
      expect((await ingest(await pseudonymise(boardKey, 'board'))).status).toBe('loaded');
      const [recorded] = await t.warehouse.all<{ fingerprint: string }>('SELECT fingerprint FROM pseudonym_key');
      expect(recorded.fingerprint).toBe(new Pseudonymizer(boardKey).fingerprint());
      await expect(ingest(await pseudonymise(Buffer.alloc(32, 7), 'other'))).rejects.toMatchObject({
        code: 'PSEUDONYM_KEY_MISMATCH',
        message: expect.stringMatching(
          /^the pseudonymised files: the pseudonym key .* is not the key this warehouse was loaded with/,
        ),
      });
    });

    it('records the fingerprint of the key at the first load, and refuses another key at start and at every ingest', async () => {
      const file = join(t.stores.dir, 'attendance.csv');
      writeFileSync(file, `school_code,student_id,date,status,reason\n${SCHOOL_A},stu-1,2025-05-13,late,\n`);
      const ingest = () => requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(file, CLI_ACTOR));
      expect((await ingest()).status).toBe('loaded');
      const [recorded] = await t.warehouse.all<{ fingerprint: string }>('SELECT fingerprint FROM pseudonym_key');
      expect(recorded.fingerprint).toMatch(/^[0-9a-f]{64}$/);

      writeFileSync(t.stores.config.pseudonymKeyFile!, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
      const batches = async () => Number((await t.dataSource.query('SELECT count(*) AS n FROM ingest_batches'))[0].n);
      const before = await batches();
      await expect(ingest()).rejects.toMatchObject({
        code: 'PSEUDONYM_KEY_MISMATCH',
        message: expect.stringMatching(/not the key this warehouse was loaded with/),
      });
      await expect(t.app.get(IngestService).onApplicationBootstrap()).rejects.toThrow(
        /PSEUDONYM_KEY_FILE .*: the pseudonym key \(fingerprint [0-9a-f]{16}…\) is not the key this warehouse was loaded with/,
      );
      expect(await batches()).toBe(before);
      expect(await t.warehouse.all('SELECT fingerprint FROM pseudonym_key')).toEqual([recorded]);
    });
  });
});
