import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import { pseudonymizeFiles } from '../../src/ingest/pseudonymize-tool.js';
import type { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { seedRoster } from '../factories/roster.factory.js';
import { SCHOOL_A, startTestApp, type TestApp } from '../support/test-app.js';

describe('shirube pseudonymize, then ingest --pre-pseudonymized (real stores)', () => {
  let t: TestApp;
  let pseudonymizer: Pseudonymizer;
  beforeAll(async () => {
    t = await startTestApp();
    pseudonymizer = await seedRoster(
      t.warehouse,
      t.stores.config.pseudonymKeyFile!,
      [{ code: SCHOOL_A, name: '中央小学校', type: 'elementary' }],
      [{ sourcedId: 'stu-0001', schoolCode: SCHOOL_A, grade: 'P4', userIds: { ePortal: 'ep-0001' } }],
    );
  });
  afterAll(async () => t.close());
  const ingest = (path: string, prePseudonymized: boolean) =>
    requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(path, CLI_ACTOR, { prePseudonymized }));

  it('gives the same pseudonyms as the ingest, so the output loads as it is', async () => {
    const input = mkdtempSync(join(t.stores.dir, 'in-'));
    writeFileSync(
      join(input, 'attendance.csv'),
      [
        'school_code,student_id,date,status,reason',
        `${SCHOOL_A},stu-0001,2025-05-12,absent,illness`,
        `${SCHOOL_A},ep-0001,2025-05-13,late,`,
      ].join('\n'),
    );
    const output = join(t.stores.dir, 'out');
    const summary = await pseudonymizeFiles(input, output, pseudonymizer);
    expect(summary.files).toEqual([{ name: 'attendance.csv', rows: 2, columns: { student_id: 'hash' } }]);
    const written = readFileSync(join(output, 'attendance.csv'), 'utf8');
    expect(written).not.toMatch(/stu-0001|ep-0001/);
    expect(written).toContain(pseudonymizer.pseudonym('stu-0001'));

    const raw = await ingest(input, true);
    expect(raw.status).toBe('rejected');
    expect(raw.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          row: 2,
          column: 'student_id',
          value: '(withheld)',
          rule: expect.stringContaining('not a pseudonym'),
        }),
      ]),
    );

    const report = await ingest(output, true);
    expect(report).toMatchObject({ status: 'loaded', rowsLoaded: 2 });
    const rows = await t.warehouse.all<{ student_pid: string }>('SELECT DISTINCT student_pid FROM attendance_days');
    expect(rows).toEqual([{ student_pid: pseudonymizer.pseudonym('stu-0001') }]);
  });

  it('blanks names, kana and contacts in a OneRoster users file and keeps year-month of birth', async () => {
    const pkg = join(t.stores.dir, 'pkg');
    mkdirSync(pkg);
    writeFileSync(
      join(pkg, 'manifest.csv'),
      'propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.users,bulk\nfile.demographics,bulk\n',
    );
    writeFileSync(
      join(pkg, 'users.csv'),
      'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,email,phone,metadata.jp.kanaGivenName,metadata.jp.kanaFamilyName\n' +
        'stu-0001,,,true,taro.yamada,"{LearningApp:la-0001},{ePortal:ep-0001}",太郎,山田,taro@example.jp,090-1234-5678,タロウ,ヤマダ\n',
    );
    writeFileSync(
      join(pkg, 'demographics.csv'),
      'sourcedId,status,dateLastModified,birthDate,sex\nstu-0001,,,2015-06-17,male\n',
    );
    const out = join(t.stores.dir, 'pkg-out');
    await pseudonymizeFiles(pkg, out, pseudonymizer);
    const users = readFileSync(join(out, 'pkg', 'users.csv'), 'utf8');
    for (const personal of [
      'stu-0001',
      'la-0001',
      'ep-0001',
      '太郎',
      '山田',
      'taro',
      '090-1234-5678',
      'タロウ',
      'ヤマダ',
    ])
      expect(users).not.toContain(personal);
    expect(users).toContain(`{LearningApp:${pseudonymizer.pseudonym('la-0001')}}`);
    // The address becomes the pseudonym of its mbox, so xAPI actors named by e-mail still link.
    expect(users).toContain(pseudonymizer.pseudonym('mailto:taro@example.jp'));
    const demographics = readFileSync(join(out, 'pkg', 'demographics.csv'), 'utf8');
    expect(demographics).toContain('2015-06,');
    expect(demographics).not.toContain('2015-06-17');
  });
});
