import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ensurePseudonymKey } from '../../src/config/pseudonym-key.js';
import { generateMunicipality } from '../../src/demo/demo-generator.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { UsersService } from '../../src/auth/users.service.js';
import { Warehouse } from '../../src/warehouse/warehouse.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface TruthRow {
  schoolCode: string;
  dims: Record<string, string>;
  value: number;
}
interface Truth {
  academicYears: number[];
  schools: { code: string }[];
  answers: Record<string, Record<string, TruthRow[]>>;
}

const key = (row: TruthRow) =>
  `${row.schoolCode}|${Object.entries(row.dims)
    .sort()
    .map(([k, v]) => `${k}=${v}`)
    .join('&')}`;
const tolerance = (metric: string) =>
  metric === 'assessment.mean_score'
    ? 0.005 + 1e-9
    : metric.endsWith('.rate') || metric.includes('minutes')
      ? 5e-7 + 1e-12
      : 0; // truth.json rounds to 2 and 6 decimals

/**
 * The metric catalogue against a generated municipality loaded through the real ingest: every
 * figure for every school and year equals what the generator built into truth.json.
 */
describe('metric catalogue on a generated municipality (real stores)', () => {
  let t: TestApp;
  let truth: Truth;

  beforeAll(async () => {
    t = await startTestApp();
    const dir = join(t.stores.dir, 'municipality');
    await generateMunicipality({ schools: 6, students: 1500, years: 2, seed: 5, outDir: dir });
    truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
    ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
    const report = await requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(dir, CLI_ACTOR));
    expect(report.status).toBe('loaded');
  });
  afterAll(async () => t.close());

  it('lists the catalogue with each metric’s contract', async () => {
    const response = await t.http().get('/api/metrics').set('Authorization', `Bearer ${t.tokens.analyst}`).expect(200);
    expect(response.body.map((m: { id: string }) => m.id)).toEqual(
      Object.keys(truth.answers[truth.academicYears[0]]).sort(),
    );
    expect(response.body.find((m: { id: string }) => m.id === 'attendance.long_term_absence')).toMatchObject({
      dimensions: ['grade', 'sex', 'reason'],
      unit: 'students',
      title: { ja: '長期欠席者数' },
    });
  });

  it('gives, for every metric, school and year, exactly the figures the data was built to give', async () => {
    const metrics = t.app.get(MetricsService);
    let compared = 0;
    for (const year of truth.academicYears) {
      for (const [metric, expectedRows] of Object.entries(truth.answers[String(year)])) {
        const actual = await metrics.values(metric, { academicYear: year });
        const actualByKey = new Map(actual.filter((r) => r.value !== 0).map((r) => [key(r), r.value]));
        const expectedByKey = new Map(expectedRows.map((r) => [key(r), r.value]));
        expect({ metric, year, keys: [...actualByKey.keys()].sort() }).toEqual({
          metric,
          year,
          keys: [...expectedByKey.keys()].sort(),
        });
        for (const [k, expected] of expectedByKey) {
          const got = actualByKey.get(k) as number;
          if (Math.abs(got - expected) > tolerance(metric))
            throw new Error(`${metric} ${year} ${k}: got ${got}, truth.json says ${expected}`);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(400);
  });

  it('shows a school its own rows only, and keeps analysts to aggregates', async () => {
    const [schoolA, schoolB] = truth.schools.map((s) => s.code);
    const users = t.app.get(UsersService);
    const created = await requestContext.run(CLI_ACTOR, () =>
      users.createUser({ name: 'generated-school', role: 'school', schoolCode: schoolA }),
    );
    const token = created.token.secret;
    const year = truth.academicYears[1];
    const own = await t
      .http()
      .get(`/api/metrics/enrolment.students/values?academicYear=${year}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(new Set(own.body.map((r: { schoolCode: string }) => r.schoolCode))).toEqual(new Set([schoolA]));
    await t
      .http()
      .get(`/api/metrics/enrolment.students/values?academicYear=${year}&school=${schoolB}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(403);
    await t
      .http()
      .get(`/api/metrics/enrolment.students/values?academicYear=${year}`)
      .set('Authorization', `Bearer ${t.tokens.analyst}`)
      .expect(403);
    const bad = await t
      .http()
      .get('/api/metrics/enrolment.students/values?academicYear=last')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .expect(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['academicYear']);
    await t
      .http()
      .get(`/api/metrics/no.such_metric/values?academicYear=${year}`)
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .expect(404);
  });

  // Last: it deletes a school's enrolments.
  it('names the batches behind each school’s figures, one list shared by the schools and metrics with the same', async () => {
    const metrics = t.app.get(MetricsService);
    const year = truth.academicYears[truth.academicYears.length - 1];
    const schools = truth.schools.map((s) => s.code);
    const ids = [
      'attendance.long_term_absence',
      'attendance.futoko_severity',
      'enrolment.students',
      'enrolment.classes',
    ];
    const first = await metrics.batchesBehind(ids, year, schools);
    const [loaded] = first.get('enrolment.students')!.get(schools[0])!;
    expect(loaded).toMatch(/^[0-9a-f-]{36}$/);
    for (const id of ids) for (const school of schools) expect(first.get(id)!.get(school)).toEqual([loaded]);
    // One list for each set of source tables, shared by every school and metric with the same batches (not one per
    // school and metric): the two attendance metrics read the same tables, the roster metrics one table each.
    expect(new Set(ids.flatMap((id) => schools.map((school) => first.get(id)!.get(school)))).size).toBe(3);

    // One day of one student of a school loaded again: a second batch behind that school's attendance only.
    const dir = join(t.stores.dir, 'municipality');
    const [header, ...rows] = readFileSync(join(dir, 'attendance.csv'), 'utf8').split('\n');
    const row = rows.find((line) => line.split(',')[2] >= `${year}-04-01`)!;
    const school = row.split(',')[0];
    const folder = join(t.stores.dir, 'one-more-day');
    mkdirSync(folder);
    writeFileSync(join(folder, 'attendance.csv'), `${header}\n${row}\n`);
    const report = await requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(folder, CLI_ACTOR));
    expect(report.status).toBe('loaded');

    const after = await metrics.batchesBehind(ids, year, schools);
    const both = [loaded, report.batchId].sort();
    expect(after.get('attendance.long_term_absence')!.get(school)).toEqual(both);
    // The two metrics with the same sources share the school's list.
    expect(after.get('attendance.futoko_severity')!.get(school)).toBe(
      after.get('attendance.long_term_absence')!.get(school),
    );
    for (const other of schools.filter((s) => s !== school))
      expect(after.get('attendance.long_term_absence')!.get(other)).toEqual([loaded]);
    for (const id of ['enrolment.students', 'enrolment.classes'])
      for (const any of schools) expect(after.get(id)!.get(any)).toEqual([loaded]);
  });

  it('keeps every school’s figures while the warehouse is unchanged, and reads them again after any write', async () => {
    const metrics = t.app.get(MetricsService);
    const warehouse = t.app.get(Warehouse);
    const year = truth.academicYears[1];
    const first = await metrics.valuesBySchool('enrolment.students', year);
    // Remembered: the same figures, not read again.
    expect(await metrics.valuesBySchool('enrolment.students', year)).toBe(first);
    const grouped = new Map<string, unknown[]>();
    for (const row of await metrics.values('enrolment.students', { academicYear: year }))
      grouped.set(row.schoolCode, [...(grouped.get(row.schoolCode) ?? []), row]);
    expect(first).toEqual(grouped);
    // An unknown metric is a rejected promise like any failed read, not a throw before it.
    const unknown = metrics.valuesBySchool('no.such_metric', year);
    await expect(unknown).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // A write that rolls back moves the mark too: read again, the same figures.
    await expect(
      warehouse.transaction(async (session) => {
        await session.run('DELETE FROM enrolments WHERE academic_year = $1', [year]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const afterRollback = await metrics.valuesBySchool('enrolment.students', year);
    expect(afterRollback).not.toBe(first);
    expect(afterRollback).toEqual(first);

    // While a write is under way nothing is kept; after it commits, its change is seen.
    const [gone] = truth.schools.map((s) => s.code);
    let letCommit!: () => void;
    let deleted!: () => void;
    const wasDeleted = new Promise<void>((resolve) => (deleted = resolve));
    const writing = warehouse.transaction(async (session) => {
      await session.run('DELETE FROM enrolments WHERE school_code = $1 AND academic_year = $2', [gone, year]);
      deleted();
      await new Promise<void>((resolve) => (letCommit = resolve));
    });
    await wasDeleted;
    expect(warehouse.mark).toBeNull();
    const during = await metrics.valuesBySchool('enrolment.students', year);
    expect(during.has(gone)).toBe(true); // the write is not committed yet
    expect(await metrics.valuesBySchool('enrolment.students', year)).not.toBe(during);
    letCommit();
    await writing;
    const after = await metrics.valuesBySchool('enrolment.students', year);
    expect(after.has(gone)).toBe(false);
    expect(after.size).toBe(first.size - 1);
    expect(await metrics.valuesBySchool('enrolment.students', year)).toBe(after);
  });
});
