import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { readManifest } from '../../src/backup/backup-manifest.js';
import { restoreBackup } from '../../src/backup/restore-backup.js';
import { projectRoot } from '../../src/common/project-root.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import type { ShirubeConfig } from '../../src/config/config.js';
import { closeControlPlane, openControlPlaneSource } from '../../src/database/data-source.js';
import { Warehouse } from '../../src/warehouse/warehouse.js';
import { loadMunicipality } from '../support/municipality.js';
import { freshStores, type TestStores } from '../support/stores.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Every row of every control-plane table (but the migrations'), as PostgreSQL prints it, in key order. */
async function controlPlaneRows(dataSource: DataSource): Promise<Record<string, string[]>> {
  const tables = (
    await dataSource.query<{ name: string }[]>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'control_plane_migrations' ORDER BY 1`,
    )
  ).map((row) => row.name);
  const rows: Record<string, string[]> = {};
  for (const table of tables) {
    const found = await dataSource.query<
      {
        line: string;
      }[]
    >(`SELECT row_to_json(t)::text AS line FROM "${table}" t`);
    rows[table] = found.map((row) => row.line).sort();
  }
  return rows;
}

/** Every row of every base table of the warehouse, in one order. */
async function warehouseRows(warehouse: Warehouse): Promise<Record<string, string[]>> {
  const tables = await warehouse.all<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' AND table_catalog = current_database() ORDER BY 1`,
  );
  const rows: Record<string, string[]> = {};
  for (const { table_name: table } of tables) {
    const found = await warehouse.all(`SELECT * FROM "${table}" ORDER BY ALL`);
    rows[table] = found.map((row) =>
      JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)),
    );
  }
  return rows;
}

const auditAction = (line: string) => (JSON.parse(line) as { action: string }).action;
const withoutBackupRows = (rows: Record<string, string[]>) => ({
  ...rows,
  audit_events: rows.audit_events.filter((line) => !auditAction(line).startsWith('backup.')),
});

/**
 * Backup → restore into fresh stores → equal on every table of both stores (on PostgreSQL with
 * DATABASE_URL, else PGlite). The data: a small municipality through the real ingest, users, a survey
 * issued and answered, a saved cohort definition, and the audit rows all of that wrote.
 */
describe('backup and restore', () => {
  let t: TestApp;
  let target: TestStores;
  let restoredConfig: ShirubeConfig;
  let backupPath: string;
  let appClosed = false;
  // Both stores as they were when the backup was taken (read right after it, before any other request).
  let controlPlaneBefore: Record<string, string[]>;
  let warehouseBefore: Record<string, string[]>;

  beforeAll(async () => {
    t = await startTestApp();
    await loadMunicipality(t, { schools: 3, students: 240, years: 2, seed: 7 });
    const survey = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'survey-mext.json'), 'utf8'));
    const created = await t.http().post('/api/surveys').set(bearer(t.tokens.board)).send(survey).expect(201);
    await t.http().post(`/api/surveys/${created.body.survey.id}/issue`).set(bearer(t.tokens.board)).expect(200);
    const definition = { population: { academicYears: [2025] }, outcomes: ['attendance_rate'] };
    await t
      .http()
      .post('/api/cohorts/definitions')
      .set(bearer(t.tokens.analyst))
      .send({ name: 'attendance-2025', definition })
      .expect(201);
    target = await freshStores();
    // A folder, not memory: the restored PGlite must outlive the restore to be compared.
    restoredConfig = { ...target.config, pgliteDir: join(target.dir, 'pg') };
  });
  afterAll(async () => {
    if (appClosed) await t.stores.cleanup();
    else await t.close();
    await target.cleanup();
  });

  it('is refused to anyone but the board, and a board administrator cannot choose where it goes', async () => {
    await t.http().post('/api/backups').set(bearer(t.tokens.analyst)).send({}).expect(403);
    const chosen = await t
      .http()
      .post('/api/backups')
      .set(bearer(t.tokens.board))
      .send({ out: join(t.stores.dir, 'elsewhere') })
      .expect(403);
    expect(chosen.body.error.message).toMatch(/only the command line/);
    expect(existsSync(join(t.stores.dir, 'elsewhere'))).toBe(false);
  });

  it('writes both stores and a manifest into a new folder of the backup directory, audited', async () => {
    const response = await t.http().post('/api/backups').set(bearer(t.tokens.board)).send({}).expect(201);
    backupPath = response.body.path;
    controlPlaneBefore = await controlPlaneRows(t.dataSource);
    warehouseBefore = await warehouseRows(t.warehouse);
    expect(backupPath.startsWith(t.stores.config.backupDir)).toBe(true);
    expect(response.body.batchesAgree).toBe(true);
    expect(response.body.pseudonymKeyIncluded).toBe(false);
    expect(response.body.note).toMatch(/not in this backup, on purpose: back it up separately/);
    const manifest = readManifest(backupPath);
    expect(manifest.controlPlane.tables.find((x) => x.table === 'users')?.rows).toBe(4);
    expect(manifest.warehouse.tables.find((x) => x.table === 'enrolments')?.rows).toBeGreaterThan(240);
    expect(manifest.warehouse.batches).toHaveLength(1);
    expect(manifest.controlPlane.batches).toEqual([{ id: manifest.warehouse.batches[0], status: 'loaded' }]);
    expect(statSync(join(backupPath, 'warehouse.duckdb')).mode & 0o077).toBe(0);
    expect(statSync(backupPath).mode & 0o077).toBe(0);
    // The key is not there in any form.
    const key = readFileSync(t.stores.config.pseudonymKeyFile!, 'utf8').trim();
    expect(readFileSync(join(backupPath, 'manifest.json'), 'utf8')).not.toContain(key);
    const audited = await t.dataSource.query<{ actor_role: string; after: { path: string } }[]>(
      `SELECT actor_role, after FROM audit_events WHERE action = 'backup.create'`,
    );
    expect(audited).toEqual([{ actor_role: 'board_admin', after: expect.objectContaining({ path: backupPath }) }]);
  });

  it('never writes into a folder that holds anything', async () => {
    const response = await t.http().post('/api/backups').set(bearer(t.tokens.board)).send({}).expect(201);
    const again = await restoreTargetConflict(response.body.path);
    expect(again).toMatch(/already exists and is not an empty folder/);
  });

  async function restoreTargetConflict(path: string): Promise<string> {
    const { takeBackup } = await import('../../src/backup/take-backup.js');
    return takeBackup(t.dataSource, t.warehouse, path, 'pglite').then(
      () => 'written',
      (error: Error) => error.message,
    );
  }

  it('keeps the two stores consistent with each other when a batch loads while it is taken', async () => {
    const [{ school_code: school }] = await t.warehouse.all<{ school_code: string }>(
      'SELECT school_code FROM schools ORDER BY 1 LIMIT 1',
    );
    const file = join(t.stores.dir, 'programme-during-backup.csv');
    writeFileSync(
      file,
      `programme_id,programme_name,school_code,start_date,end_date\nprog-during,During,${school},2025-04-01,\n`,
    );
    const [report, response] = await Promise.all([
      requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(file, CLI_ACTOR)),
      t.http().post('/api/backups').set(bearer(t.tokens.board)).send({}),
    ]);
    expect(report.status).toBe('loaded');
    expect(response.status).toBe(201);
    const manifest = readManifest(response.body.path);
    expect(manifest.consistency).toMatchObject({ agree: true, unknownToControlPlane: [], missingFromWarehouse: [] });
    // Whichever came first: the batch is in both stores, or in neither and at most recorded as running.
    const recorded = manifest.controlPlane.batches.find((batch) => batch.id === report.batchId)?.status;
    if (manifest.warehouse.batches.includes(report.batchId)) expect(recorded).toBe('loaded');
    else expect([undefined, 'running']).toContain(recorded);
  });

  it('restores into fresh stores, equal to the original on every table of both', async () => {
    const [original] = await t.dataSource.query<{ id: string }[]>(
      `SELECT min(id)::text AS id FROM audit_events WHERE action = 'backup.create'`,
    );
    // The original stops first: PGlite is one instance per process (typeorm-pglite).
    await t.app.close();
    appClosed = true;

    const result = await restoreBackup(restoredConfig, backupPath);
    expect(result.agreement.agree).toBe(true);
    expect(result.movedAside).toEqual([]);

    const restored = await openControlPlaneSource(restoredConfig);
    try {
      const after = await controlPlaneRows(restored);
      expect(Object.keys(after)).toEqual(Object.keys(controlPlaneBefore));
      for (const table of ['users', 'api_tokens', 'surveys', 'survey_responses', 'survey_answers', 'audit_events'])
        expect(after[table].length).toBeGreaterThan(0);
      expect(withoutBackupRows(after)).toEqual(withoutBackupRows(controlPlaneBefore));
      // The audit sequence stood where it did: the restore's own row takes the id the backup's row took in the original.
      const [restoredRow] = await restored.query<{ id: string; actor_role: string }[]>(
        `SELECT id::text AS id, actor_role FROM audit_events WHERE action = 'backup.restore'`,
      );
      expect(restoredRow).toEqual({ id: original.id, actor_role: 'cli' });
    } finally {
      await closeControlPlane(restored, restoredConfig);
    }

    const warehouse = await Warehouse.open(restoredConfig.duckdbPath);
    try {
      const after = await warehouseRows(warehouse);
      expect(Object.keys(after)).toEqual(Object.keys(warehouseBefore));
      expect(after.attendance_records.length).toBeGreaterThan(1000);
      expect(after).toEqual(warehouseBefore);
    } finally {
      await warehouse.close();
    }
  });

  it('refuses to restore into stores that hold data; with force, moves them aside and deletes nothing', async () => {
    await expect(restoreBackup(restoredConfig, backupPath)).rejects.toThrow(/is not empty/);
    const result = await restoreBackup(restoredConfig, backupPath, { force: true });
    expect(result.movedAside).toEqual([
      expect.stringMatching(/^schema shirube_before_restore_\d{14}$/),
      expect.stringMatching(/warehouse\.duckdb\.before-restore-\d{14}$/),
    ]);
    expect(existsSync(result.movedAside[1])).toBe(true);
    const restored = await openControlPlaneSource(restoredConfig);
    try {
      const schema = result.movedAside[0].slice('schema '.length);
      const [{ n }] = await restored.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${schema}".audit_events WHERE action = 'backup.restore'`,
      );
      expect(n).toBe(1);
      const [{ users }] = await restored.query<{ users: number }[]>(`SELECT count(*)::int AS users FROM users`);
      expect(users).toBe(4);
    } finally {
      await closeControlPlane(restored, restoredConfig);
    }
  });

  it('refuses a damaged backup before touching any store', async () => {
    const { writeFileSync, cpSync } = await import('node:fs');
    const damaged = join(target.dir, 'damaged');
    cpSync(backupPath, damaged, { recursive: true });
    writeFileSync(join(damaged, 'warehouse.duckdb'), 'not a database');
    const fresh = { ...restoredConfig, duckdbPath: join(target.dir, 'never.duckdb') };
    await expect(restoreBackup(fresh, damaged)).rejects.toThrow(/does not match the digest in the manifest/);
    expect(existsSync(fresh.duckdbPath)).toBe(false);
  });
});
