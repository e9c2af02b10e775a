import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ensurePseudonymKey } from '../../src/config/pseudonym-key.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import { problemMessage } from '../../src/ingest/problems/problem-messages.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { classId, type Row, townRows, writeOneRosterPackage } from '../factories/oneroster.factory.js';
import { SCHOOL_A, startTestApp, type TestApp } from '../support/test-app.js';

const COLUMN = 'metadata.shirube.disabilityType';

/**
 * 特別支援学級の障害種別: Shirube's extension column on classes.csv, from the roster into the warehouse and
 * the two metrics that answer 学校基本調査's special-needs items, and the errors a bad value gets.
 */
describe('OneRoster classes.csv metadata.shirube.disabilityType (real DuckDB, real control plane)', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp();
    ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
    dir = mkdtempSync(join(t.stores.dir, 'disability-'));
  });
  afterAll(async () => t?.close());

  const ingest = (path: string) =>
    requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(path, CLI_ACTOR));
  const bulk = (rows: ReturnType<typeof townRows>) => ({
    files: Object.fromEntries(Object.entries(rows).map(([file, r]) => [file, { mode: 'bulk' as const, rows: r }])),
  });
  const homerooms = () =>
    t.warehouse.all(
      `SELECT homeroom_id, disability_type FROM homerooms WHERE academic_year = 2025 AND disability_type IS NOT NULL ORDER BY 1`,
    );
  const metric = (id: string) => t.app.get(MetricsService).values(id, { academicYear: 2025 });

  it('rejects an unknown code, and a type on a class that is not special-needs, naming file, row, column and value', async () => {
    const rows = townRows(2025);
    const edit = (key: string, value: string) => {
      const row = rows.classes.find((c) => c.sourcedId === classId(2025, key))!;
      row[COLUMN] = value;
      return rows.classes.indexOf(row) + 2;
    };
    const wrongCase = edit('A-SN', 'Intellectual');
    const notSpecial = edit('A-1-1', 'autism_emotional');
    const inWords = edit('A-2-1', '知的障害');
    const report = await ingest(writeOneRosterPackage(dir, 'bad', bulk(rows)));
    expect(report).toMatchObject({ status: 'rejected', rowsLoaded: 0 });
    const ours = report.problems.filter((p) => p.column === COLUMN);
    const unknown = `${COLUMN} must be a code of a type of disability (intellectual, physical, health, low_vision, hearing, speech, autism_emotional) or empty`;
    expect(ours).toHaveLength(3);
    expect(ours).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          severity: 'error',
          file: 'bad/classes.csv',
          row: wrongCase,
          value: 'Intellectual',
          rule: unknown,
          code: 'oneroster.disability_type',
        }),
        expect.objectContaining({
          severity: 'error',
          file: 'bad/classes.csv',
          row: notSpecial,
          value: 'autism_emotional',
          rule: `${COLUMN} is given for special-needs classes only (metadata.jp.specialNeeds true)`,
          code: 'oneroster.disability_not_special_needs',
        }),
        expect.objectContaining({
          severity: 'error',
          file: 'bad/classes.csv',
          row: inWords,
          value: '知的障害',
          rule: unknown,
          code: 'oneroster.disability_type',
        }),
      ]),
    );
    // In Japanese by default, with the column as the file has it.
    const at = (row: number) => ours.find((p) => p.row === row)!;
    expect(problemMessage(at(wrongCase), 'ja')).toBe(
      `${COLUMN} は特別支援学級の障害種別のコード（intellectual、physical、health、low_vision、hearing、speech、autism_emotional）か、空欄にしてください`,
    );
    expect(problemMessage(at(notSpecial), 'ja')).toBe(
      `${COLUMN} は特別支援学級（metadata.jp.specialNeeds が true）にだけ書けます`,
    );
    expect(await homerooms()).toEqual([]);
  });

  it('loads the type into the homeroom, counts classes and students by it, and follows a delta that changes it', async () => {
    const rows = townRows(2025);
    const sn = rows.classes.find((c) => c.sourcedId === classId(2025, 'A-SN'))!;
    sn[COLUMN] = 'intellectual';
    const report = await ingest(writeOneRosterPackage(dir, 'fy2025', bulk(rows)));
    expect(report).toMatchObject({ status: 'loaded', errors: 0 });
    expect(await homerooms()).toEqual([{ homeroom_id: classId(2025, 'A-SN'), disability_type: 'intellectual' }]);
    expect(await metric('enrolment.special_needs_classes')).toEqual([
      { schoolCode: SCHOOL_A, dims: { disability: 'intellectual' }, value: 1 },
    ]);
    // Every student of a special-needs class, under the class's type: the same total as by grade and sex.
    const total = (values: { value: number }[]) => values.reduce((sum, v) => sum + v.value, 0);
    const byDisability = await metric('enrolment.special_needs_students_by_disability');
    expect(byDisability.length).toBeGreaterThan(0);
    expect(new Set(byDisability.map((v) => v.dims.disability))).toEqual(new Set(['intellectual']));
    expect(total(byDisability)).toBe(total(await metric('enrolment.special_needs_students')));

    const changed: Row = { ...sn, status: 'active', dateLastModified: '2025-06-01T00:00:00.000Z' };
    changed[COLUMN] = 'autism_emotional';
    const delta = await ingest(
      writeOneRosterPackage(dir, 'delta', { files: { classes: { mode: 'delta', rows: [changed] } } }),
    );
    expect(delta).toMatchObject({ status: 'loaded', errors: 0 });
    expect(await homerooms()).toEqual([{ homeroom_id: classId(2025, 'A-SN'), disability_type: 'autism_emotional' }]);
    expect(await metric('enrolment.special_needs_classes')).toEqual([
      { schoolCode: SCHOOL_A, dims: { disability: 'autism_emotional' }, value: 1 },
    ]);
  });
});
