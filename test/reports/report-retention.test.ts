import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReportRun } from '../../src/reports/entities/report-run.entity.js';
import { ReportRetention } from '../../src/reports/report-retention.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const DAY_MS = 86_400_000;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Every-school zips are kept SHIRUBE_REPORTS_RETENTION_DAYS (30 here, the default), then removed and their runs expired (real stores and folder). */
describe('report zip retention', () => {
  let t: TestApp;
  let dir: string;
  const old = new Date(Date.now() - 40 * DAY_MS);
  const zipName = (id: string) => `school-profile-${id}.zip`;
  const writeZip = (name: string, time: Date) => {
    writeFileSync(join(dir, name), 'PK');
    utimesSync(join(dir, name), time, time);
  };
  const orphanAtStart = zipName(randomUUID());

  beforeAll(async () => {
    t = await startTestApp((config) => {
      dir = join(config.reportsDir, '..', 'kept-reports');
      mkdirSync(dir, { recursive: true });
      // Left by an earlier process, its run unknown to the store: removed when the server starts.
      writeZip(orphanAtStart, old);
      return { ...config, reportsDir: dir };
    });
  });
  afterAll(async () => t.close());

  const insertRun = async (finishedAt: Date) => {
    const id = randomUUID();
    await t.dataSource.getRepository(ReportRun).insert({
      id,
      templateId: 'school-profile',
      params: { academicYear: 2025 },
      locale: 'ja',
      status: 'done',
      total: 2,
      rendered: 2,
      failures: [],
      fileName: zipName(id),
      createdBy: 'board',
      createdAt: finishedAt,
      finishedAt,
    });
    writeZip(zipName(id), finishedAt);
    return id;
  };
  const run = (id: string) => t.http().get(`/api/reports/runs/${id}`).set(bearer(t.tokens.board));
  const zip = (id: string) => t.http().get(`/api/reports/runs/${id}/zip`).set(bearer(t.tokens.board));

  it('removed, at start, an old zip no run keeps', () => {
    expect(existsSync(join(dir, orphanAtStart))).toBe(false);
  });

  it('removes the zips of runs finished over 30 days ago, marks them expired (410), keeps the rest', async () => {
    const expiring = await insertRun(old);
    const recent = await insertRun(new Date(Date.now() - DAY_MS));
    const orphan = zipName(randomUUID());
    writeZip(orphan, old);
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    utimesSync(join(dir, 'notes.txt'), old, old);

    const swept = await t.app.get(ReportRetention).expire();
    expect(swept.runs).toEqual([expiring]);
    expect(swept.files.sort()).toEqual([zipName(expiring), orphan].sort());
    expect(existsSync(join(dir, zipName(expiring)))).toBe(false);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);

    expect((await run(expiring).expect(200)).body).toMatchObject({ status: 'expired', zip: null, zipKeptUntil: null });
    expect((await zip(expiring).expect(410)).body.error.code).toBe('REPORT_RUN_EXPIRED');
    const kept = (await run(recent).expect(200)).body;
    expect(kept).toMatchObject({ status: 'done', zip: `/api/reports/runs/${recent}/zip` });
    expect(new Date(kept.zipKeptUntil).getTime()).toBeGreaterThan(Date.now() + 28 * DAY_MS);
    expect((await zip(recent).expect(200)).headers['content-type']).toBe('application/zip');

    // A month on, the recent one goes too.
    const later = await t.app.get(ReportRetention).expire(new Date(Date.now() + 30 * DAY_MS));
    expect(later.runs).toEqual([recent]);
    await zip(recent).expect(410);
  });

  it('answers 410 for a zip removed from the folder by hand, and marks its run expired', async () => {
    const id = await insertRun(new Date());
    rmSync(join(dir, zipName(id)));
    await zip(id).expect(410);
    expect((await run(id).expect(200)).body.status).toBe('expired');
  });
});
