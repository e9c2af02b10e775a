import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ensurePseudonymKey, readPseudonymKey } from '../../src/config/pseudonym-key.js';
import { IngestService, type BatchReport, type IngestOptions } from '../../src/ingest/ingest.service.js';
import { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * OneRoster packages written by another project (catalyst/moodle-enrol_oneroster test fixtures), read
 * from SHIRUBE_SAMPLES (`npm run test:samples`) and never copied into the repository.
 */
const samples = () => {
  if (!process.env.SHIRUBE_SAMPLES) throw new Error('SHIRUBE_SAMPLES is not set: run `npm run test:samples`');
  return resolve(process.env.SHIRUBE_SAMPLES, 'oneroster');
};

/** The cells of some columns of a sample file, read at run time only to check that none is ever stored. */
function cells(file: string, columns: string[]): string[] {
  const [header, ...lines] = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean);
  const names = header.split(',');
  // These rows quote only lists, which none of the columns asked for holds.
  const split = (line: string) =>
    line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
  return lines.flatMap((line) => columns.map((c) => split(line)[names.indexOf(c)])).filter((v) => v && v.length > 2);
}

async function everyText(t: TestApp): Promise<string> {
  const columns = await t.warehouse.all<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' AND data_type LIKE 'VARCHAR%'`,
  );
  let text = '';
  for (const { table_name, column_name } of columns) {
    const [{ v }] = await t.warehouse.all<{ v: string | null }>(
      `SELECT string_agg(CAST("${column_name}" AS VARCHAR), '|') AS v FROM "${table_name}"`,
    );
    text += `${v ?? ''}\n`;
  }
  return text;
}

describe('OneRoster samples (real packages from another project)', () => {
  let t: TestApp;
  let pseudonymizer: Pseudonymizer;
  const ingest = (path: string, options: IngestOptions = {}) =>
    requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(path, CLI_ACTOR, options));

  beforeEach(async () => {
    samples();
    t = await startTestApp();
    ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
    pseudonymizer = new Pseudonymizer(readPseudonymKey(t.stores.config.pseudonymKeyFile!));
  });
  afterEach(async () => t?.close());

  it('moodle-v1p2-delta loads: a school without MEXT code (warning), a student without grade (warning), in a scheduled class', async () => {
    const dir = join(samples(), 'moodle-v1p2-delta');
    const report = await ingest(dir);
    expect(report).toMatchObject({ status: 'loaded', errors: 0, rowsRejected: 0 });
    const [school] = await t.warehouse.all<{
      school_code: string;
      name: string;
      school_type: string;
      prefecture_code: string;
    }>('SELECT school_code, name, school_type, prefecture_code FROM schools');
    expect(school).toEqual({
      school_code: expect.stringMatching(/^ORG-[0-9a-f]{12}$/),
      name: 'Gotham High School',
      school_type: 'other',
      prefecture_code: '00',
    });
    expect(report.problems).toEqual([
      {
        severity: 'warning',
        file: 'moodle-v1p2-delta/orgs.csv',
        row: 2,
        column: 'identifier',
        value: school.school_code,
        rule: 'school has no MEXT school code (identifier): keyed by the synthetic code shown',
        code: 'oneroster.identifier_missing',
      },
      {
        severity: 'warning',
        file: 'moodle-v1p2-delta/users.csv',
        row: 2,
        column: 'grades',
        value: null,
        rule: 'student has no grade: the enrolment loads without one',
        code: 'oneroster.no_grade',
      },
    ]);
    const [user] = cells(join(dir, 'users.csv'), ['sourcedId']);
    const student = pseudonymizer.pseudonym(user);
    expect(await t.warehouse.all('SELECT student_pid, sex, birth_year_month FROM students')).toEqual([
      { student_pid: student, sex: null, birth_year_month: '2010-04' },
    ]);
    // The only class is a scheduled one in a semester starting 4 September 2023: 年度 2023, no homeroom.
    expect(
      await t.warehouse.all('SELECT student_pid, school_code, academic_year, grade, homeroom_id FROM enrolments'),
    ).toEqual([
      { student_pid: student, school_code: school.school_code, academic_year: 2023, grade: null, homeroom_id: null },
    ]);
    expect(await t.warehouse.all('SELECT academic_year, title FROM academic_years')).toEqual([
      { academic_year: 2023, title: '2023年度' },
    ]);
    expect(await t.warehouse.all('SELECT count(*)::INTEGER AS n FROM homerooms')).toEqual([{ n: 0 }]);

    const secrets = [
      ...cells(join(dir, 'users.csv'), ['sourcedId', 'username', 'givenName', 'familyName', 'identifier', 'password']),
      ...cells(join(dir, 'enrollments.csv'), ['sourcedId']),
      ...cells(join(dir, 'roles.csv'), ['sourcedId']),
      ...cells(join(dir, 'demographics.csv'), ['birthDate']),
      ...cells(join(dir, 'userProfiles.csv'), ['username', 'vendorId']),
    ];
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    const stored = `${await everyText(t)}${JSON.stringify(report)}`;
    expect(secrets.filter((s) => stored.includes(s))).toEqual([]);
  });

  describe('moodle-v1p1-bulk (a 1.1 bulk as vendors send them)', () => {
    const defect = (report: BatchReport, file: string, column: string, rule: string) =>
      report.problems
        .filter(
          (p) =>
            p.severity === 'error' && p.file === `moodle-v1p1-bulk/${file}` && p.column === column && p.rule === rule,
        )
        .map((p) => [p.row, p.value]);

    it('is rejected, with each of its defects named by file, row and column', async () => {
      const report = await ingest(join(samples(), 'moodle-v1p1-bulk'));
      expect(report).toMatchObject({ status: 'rejected', rowsLoaded: 0 });
      // status filled although bulk (every file), and `inactive` outside the vocabulary.
      expect(defect(report, 'academicSessions.csv', 'status', 'status must be blank in a bulk file')).toEqual([
        [2, 'tobedeleted'],
        [3, 'active'],
        [4, 'inactive'],
        [5, 'active'],
        [6, 'active'],
      ]);
      expect(defect(report, 'academicSessions.csv', 'status', 'status must be active or tobedeleted')).toEqual([
        [4, 'inactive'],
      ]);
      expect(defect(report, 'users.csv', 'status', 'status must be blank in a bulk file').map(([row]) => row)).toEqual([
        2, 4, 5, 6, 7,
      ]);
      // `Scheduled` with a capital S.
      expect(
        defect(
          report,
          'classes.csv',
          'classType',
          'classType must be homeroom or scheduled (the vocabulary is case-sensitive)',
        ),
      ).toEqual([[2, 'Scheduled']]);
      // A parent org and a parent session that exist nowhere.
      expect(
        defect(report, 'orgs.csv', 'parentSourcedId', 'parentSourcedId names no org in orgs.csv or earlier rosters'),
      ).toEqual([[2, 'org-sch-222-3456']]);
      expect(
        defect(
          report,
          'academicSessions.csv',
          'parentSourcedId',
          'parentSourcedId names no academic session in academicSessions.csv or earlier rosters',
        ),
      ).toEqual([
        [3, 'as-syr-222-2023'],
        [6, 'as-syr-222-2023'],
      ]);
      // courses.csv absent although classes refer to courses.
      expect(
        defect(
          report,
          'classes.csv',
          'courseSourcedId',
          'courseSourcedId names a course, but courses.csv is absent and no earlier roster has it',
        ),
      ).toEqual([
        [2, 'crs-222-2023-456-12345'],
        [3, 'crs-222-2023-456-23456'],
      ]);
      // Person IDs never appear in the report.
      const users = cells(join(samples(), 'moodle-v1p1-bulk', 'users.csv'), [
        'sourcedId',
        'username',
        'email',
        'password',
      ]);
      expect(users.filter((u) => JSON.stringify(report).includes(u))).toEqual([]);
      expect(await t.warehouse.all('SELECT count(*)::INTEGER AS n FROM roster_orgs')).toEqual([{ n: 0 }]);
    });

    it('with acceptPartial loads what is valid: here nothing, since every row carries a defect or points at one', async () => {
      const report = await ingest(join(samples(), 'moodle-v1p1-bulk'), { acceptPartial: true });
      expect(report).toMatchObject({ status: 'partial', rowsRead: 20, rowsRejected: 20, rowsLoaded: 0 });
      for (const table of [
        'schools',
        'students',
        'enrolments',
        'homerooms',
        'roster_orgs',
        'roster_users',
        'roster_enrollments',
      ]) {
        expect(await t.warehouse.all(`SELECT count(*)::INTEGER AS n FROM ${table}`)).toEqual([{ n: 0 }]);
      }
    });
  });
});
