import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { generateMunicipality, type DemoOptions } from '../../src/demo/demo-generator.js';
import { Rng } from '../../src/demo/random.js';
import { isValidSchoolCode } from '../../src/schools/school-code.js';

/*
 * The generator against an independent recount: every figure in truth.json is recomputed here in
 * DuckDB SQL straight from the generated files (not from the generator's code), for every metric,
 * school and year. Also: determinism, the planted effects' recoverability on the default demo, and
 * the realism bands at a moderate size.
 */

interface TruthRow {
  schoolCode: string;
  dims: Record<string, string>;
  value: number;
}
interface Truth {
  academicYears: number[];
  options: Record<string, unknown>;
  enrolmentByYear: Record<string, number>;
  schools: {
    code: string;
    name: string;
    type: string;
    size: number;
    highGrowth: boolean;
    supportRoomFrom: number | null;
    assessmentStudentId: string;
  }[];
  programmes: {
    programmeId: string;
    effect: number;
    realisedEffects: { schoolCode: string; academicYear: number; effect: number; requiredDays: number }[];
  }[];
  highGrowth: { valueAddedPoints: number; schoolCodes: string[] };
  xapi: { lines: number; distinctStatements: number; duplicateLines: number; unlinkedStatements: number };
  answers: Record<string, Record<string, TruthRow[]>>;
}

const DEFAULT_DEMO = { schools: 12, students: 4000, years: 3, seed: 1 };
const SMALL = { schools: 8, students: 1200, years: 3, seed: 7 };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'shirube-demo-test-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function generate(name: string, options: Omit<DemoOptions, 'outDir'>): Promise<{ dir: string; truth: Truth }> {
  const dir = join(root, name);
  await generateMunicipality({ ...options, outDir: dir });
  return { dir, truth: JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as Truth };
}

async function fileHashes(dir: string): Promise<Map<string, string>> {
  const names = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
  const hashes = new Map<string, string>();
  for (const name of names.sort())
    hashes.set(
      name.slice(dir.length),
      createHash('sha256')
        .update(await readFile(name))
        .digest('hex'),
    );
  return hashes;
}

// ---------------------------------------------------------------------------------------------
// DuckDB recount
// ---------------------------------------------------------------------------------------------

const quote = (path: string): string => `'${path.replace(/'/g, "''")}'`;
const varchar = (names: string[]): string => `{${names.map((n) => `'${n}': 'VARCHAR'`).join(', ')}}`;
const FY = (column: string): string =>
  `(CASE WHEN month(${column}) >= 4 THEN year(${column}) ELSE year(${column}) - 1 END)`;
const FY_FROM_PATH = `CAST(regexp_extract(filename, 'oneroster/([0-9]+)/', 1) AS INTEGER)`;

const USER_COLUMNS = [
  'sourcedId',
  'status',
  'dateLastModified',
  'enabledUser',
  'username',
  'userIds',
  'givenName',
  'familyName',
  'middleName',
  'identifier',
  'email',
  'sms',
  'phone',
  'agentSourcedIds',
  'grades',
  'password',
  'userMasterIdentifier',
  'resourceSourcedIds',
  'preferredGivenName',
  'preferredMiddleName',
  'preferredFamilyName',
  'primaryOrgSourcedId',
  'pronouns',
  'metadata.jp.kanaGivenName',
  'metadata.jp.kanaFamilyName',
  'metadata.jp.kanaMiddleName',
  'metadata.jp.homeClass',
];
const CLASS_COLUMNS = [
  'sourcedId',
  'status',
  'dateLastModified',
  'title',
  'grades',
  'courseSourcedId',
  'classCode',
  'classType',
  'location',
  'schoolSourcedId',
  'termSourcedIds',
  'subjects',
  'subjectCodes',
  'periods',
  'metadata.jp.specialNeeds',
  'metadata.shirube.disabilityType',
];
const ENROLLMENT_COLUMNS = [
  'sourcedId',
  'status',
  'dateLastModified',
  'classSourcedId',
  'schoolSourcedId',
  'userSourcedId',
  'role',
  'primary',
  'beginDate',
  'endDate',
  'metadata.jp.ShussekiNo',
  'metadata.jp.PublicFlg',
];
const ROLE_COLUMNS = [
  'sourcedId',
  'status',
  'dateLastModified',
  'userSourcedId',
  'roleType',
  'role',
  'beginDate',
  'endDate',
  'orgSourcedId',
  'userProfileSourcedId',
];
const DEMOGRAPHIC_COLUMNS = [
  'sourcedId',
  'status',
  'dateLastModified',
  'birthDate',
  'sex',
  'americanIndianOrAlaskaNative',
  'asian',
  'blackOrAfricanAmerican',
  'nativeHawaiianOrOtherPacificIslander',
  'white',
  'demographicRaceTwoOrMoreRaces',
  'hispanicOrLatinoEthnicity',
  'countryOfBirthCode',
  'stateOfBirthAbbreviation',
  'cityOfBirth',
  'publicSchoolResidenceStatus',
];
const ORG_COLUMNS = ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'];

async function openDemo(dir: string): Promise<DuckDBConnection> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const roster = (file: string, columns: string[]): string =>
    `read_csv(${quote(join(dir, 'oneroster', '*', file))}, header = true, filename = true, columns = ${varchar(columns)})`;
  await con.run(
    `CREATE TABLE orgs AS SELECT ${FY_FROM_PATH} AS fy, sourcedId AS org_id, identifier AS school_code, type FROM ${roster('orgs.csv', ORG_COLUMNS)}`,
  );
  await con.run(
    `CREATE TABLE users AS SELECT ${FY_FROM_PATH} AS fy, *, "metadata.jp.homeClass" AS home_class FROM ${roster('users.csv', USER_COLUMNS)}`,
  );
  await con.run(`CREATE TABLE roles AS SELECT ${FY_FROM_PATH} AS fy, * FROM ${roster('roles.csv', ROLE_COLUMNS)}`);
  await con.run(
    `CREATE TABLE demographics AS SELECT ${FY_FROM_PATH} AS fy, * FROM ${roster('demographics.csv', DEMOGRAPHIC_COLUMNS)}`,
  );
  await con.run(
    `CREATE TABLE classes AS SELECT ${FY_FROM_PATH} AS fy, *, "metadata.jp.specialNeeds" AS special_needs,
       coalesce("metadata.shirube.disabilityType", 'unspecified') AS disability FROM ${roster('classes.csv', CLASS_COLUMNS)}`,
  );
  await con.run(
    `CREATE TABLE enrollments AS SELECT ${FY_FROM_PATH} AS fy, *, CAST("metadata.jp.ShussekiNo" AS INTEGER) AS shusseki_no FROM ${roster('enrollments.csv', ENROLLMENT_COLUMNS)}`,
  );
  await con.run(`
    CREATE TABLE roster AS
    SELECT u.fy, u.sourcedId AS sid, u.grades AS grade, d.sex, o.school_code, u.home_class, CAST(d.birthDate AS DATE) AS birth,
           regexp_extract(u.userIds, 'LearningApp:([^},]+)', 1) AS la, regexp_extract(u.userIds, 'ePortal:([^},]+)', 1) AS ep
    FROM users u
    JOIN roles r ON r.fy = u.fy AND r.userSourcedId = u.sourcedId AND r.role = 'student'
    JOIN demographics d ON d.fy = u.fy AND d.sourcedId = u.sourcedId
    JOIN orgs o ON o.fy = u.fy AND o.org_id = r.orgSourcedId`);
  await con.run(`CREATE TABLE cal AS SELECT school_code, date, ${FY('date')} AS fy
    FROM read_csv(${quote(join(dir, 'school_calendar.csv'))}, header = true, columns = {'school_code': 'VARCHAR', 'date': 'DATE'})`);
  await con.run(
    `CREATE TABLE cal_year AS SELECT fy, school_code, count(*) AS school_days, count(DISTINCT date_trunc('week', date)) AS weeks FROM cal GROUP BY ALL`,
  );
  await con.run(`CREATE TABLE att AS SELECT *, ${FY('date')} AS fy FROM read_csv(${quote(join(dir, 'attendance.csv'))}, header = true,
    columns = {'school_code': 'VARCHAR', 'student_id': 'VARCHAR', 'date': 'DATE', 'status': 'VARCHAR', 'reason': 'VARCHAR', 'place': 'VARCHAR'})`);
  await con.run(`
    CREATE TABLE per_student AS
    WITH counts AS (
      SELECT fy, student_id,
        count(*) FILTER (WHERE status IN ('suspension', 'mourning', 'closure')) AS excused,
        count(*) FILTER (WHERE status = 'absent') AS absent,
        count(*) FILTER (WHERE status = 'counted_present') AS counted,
        count(*) FILTER (WHERE status = 'absent' AND reason = 'illness') AS r_illness,
        count(*) FILTER (WHERE status = 'absent' AND reason = 'economic') AS r_economic,
        count(*) FILTER (WHERE status = 'absent' AND reason = 'non_attendance') AS r_non_attendance,
        count(*) FILTER (WHERE status = 'absent' AND reason = 'covid_avoidance') AS r_covid,
        count(*) FILTER (WHERE status = 'absent' AND (reason IS NULL OR reason = 'other')) AS r_other
      FROM att GROUP BY ALL)
    SELECT r.fy, r.school_code, r.sid, r.grade, r.sex, c.school_days,
      coalesce(k.excused, 0) AS excused, coalesce(k.absent, 0) AS absent, coalesce(k.counted, 0) AS counted,
      coalesce(k.r_illness, 0) AS r_illness,
      coalesce(k.r_economic, 0) AS r_economic, coalesce(k.r_non_attendance, 0) AS r_non_attendance,
      coalesce(k.r_covid, 0) AS r_covid, coalesce(k.r_other, 0) AS r_other
    FROM roster r JOIN cal_year c USING (fy, school_code) LEFT JOIN counts k ON k.fy = r.fy AND k.student_id = r.sid`);
  await con.run(`
    CREATE TABLE long_term AS
    WITH t AS (SELECT *, greatest(r_illness, r_economic, r_non_attendance, r_covid, r_other) AS top FROM per_student WHERE absent >= 30)
    SELECT *, CASE
      WHEN (r_illness = top)::INT + (r_economic = top)::INT + (r_non_attendance = top)::INT + (r_covid = top)::INT + (r_other = top)::INT > 1 THEN 'other'
      WHEN r_illness = top THEN 'illness' WHEN r_economic = top THEN 'economic' WHEN r_non_attendance = top THEN 'non_attendance'
      WHEN r_covid = top THEN 'covid_avoidance' ELSE 'other' END AS reason
    FROM t`);
  await con.run(`CREATE TABLE assessments AS SELECT *, ${FY('administered_on')} AS fy FROM read_csv(${quote(join(dir, 'assessments.csv'))}, header = true,
    columns = {'school_code': 'VARCHAR', 'student_id': 'VARCHAR', 'assessment_id': 'VARCHAR', 'subject': 'VARCHAR', 'administered_on': 'DATE', 'score': 'INTEGER', 'max_score': 'INTEGER'})`);
  await con.run(`CREATE TABLE guidance AS SELECT *, ${FY('recorded_on')} AS fy FROM read_csv(${quote(join(dir, 'guidance_records.csv'))}, header = true,
    columns = {'school_code': 'VARCHAR', 'student_id': 'VARCHAR', 'recorded_on': 'DATE', 'category': 'VARCHAR', 'type_code': 'VARCHAR',
               'discovered_by': 'VARCHAR', 'resolved': 'BOOLEAN', 'serious': 'BOOLEAN'})`);
  await con.run(`
    CREATE TABLE statements AS
    SELECT id, json_extract_string(actor, '$.account.name') AS actor_name, CAST(substr(timestamp, 1, 10) AS DATE) AS day,
      coalesce(TRY_CAST(regexp_extract(json_extract_string(result, '$.duration'), '([0-9]+)H', 1) AS INTEGER), 0) * 3600
      + coalesce(TRY_CAST(regexp_extract(json_extract_string(result, '$.duration'), '([0-9]+)M', 1) AS INTEGER), 0) * 60
      + coalesce(TRY_CAST(regexp_extract(json_extract_string(result, '$.duration'), '([0-9.]+)S', 1) AS DOUBLE), 0) AS seconds
    FROM read_ndjson(${quote(join(dir, 'xapi', 'statements.ndjson'))}, columns = {'id': 'VARCHAR', 'actor': 'JSON', 'result': 'JSON', 'timestamp': 'VARCHAR'})`);
  return con;
}

async function rows(con: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await con.runAndReadAll(sql)).getRowObjectsJS();
}

/** The same figures as truth.json, from the files alone: metric → rows with fy. */
async function recount(con: DuckDBConnection): Promise<Map<string, number>> {
  const queries: Record<string, { sql: string; dims: string[] }> = {
    'enrolment.students': {
      sql: `SELECT fy, school_code, grade, sex, count(*) AS value FROM roster GROUP BY ALL`,
      dims: ['grade', 'sex'],
    },
    'enrolment.classes': {
      sql: `SELECT c.fy, o.school_code, list_min(string_split(c.grades, ',')) AS grade,
              CASE WHEN c.special_needs = 'true' THEN 'special_needs' ELSE 'ordinary' END AS kind, count(*) AS value
            FROM classes c JOIN orgs o ON o.fy = c.fy AND o.org_id = c.schoolSourcedId GROUP BY ALL`,
      dims: ['grade', 'kind'],
    },
    'attendance.long_term_absence': {
      sql: `SELECT fy, school_code, grade, sex, reason, count(*) AS value FROM long_term GROUP BY ALL`,
      dims: ['grade', 'sex', 'reason'],
    },
    'attendance.futoko_severity': {
      sql: `WITH f AS (SELECT *, school_days - excused - absent AS attended FROM long_term WHERE reason = 'non_attendance')
            SELECT fy, school_code, 'absent_90_plus' AS band, count(*) AS value FROM f WHERE absent >= 90 GROUP BY ALL
            UNION ALL SELECT fy, school_code, 'attended_10_or_less', count(*) FROM f WHERE attended <= 10 GROUP BY ALL
            UNION ALL SELECT fy, school_code, 'attended_0', count(*) FROM f WHERE attended = 0 GROUP BY ALL`,
      dims: ['band'],
    },
    'attendance.rate': {
      sql: `SELECT fy, school_code, sum(school_days - excused - absent) / sum(school_days - excused) AS value FROM per_student GROUP BY ALL`,
      dims: [],
    },
    'guidance.bullying_cases': {
      sql: `SELECT r.fy, r.school_code, r.grade, CAST(g.type_code AS VARCHAR) AS type, count(*) AS value
            FROM guidance g JOIN roster r ON r.fy = g.fy AND r.sid = g.student_id WHERE g.category = 'bullying' GROUP BY ALL`,
      dims: ['grade', 'type'],
    },
    'enrolment.class_forms': {
      sql: `SELECT c.fy, o.school_code,
              CASE WHEN c.special_needs = 'true' THEN 'special_needs' WHEN len(string_split(c.grades, ',')) >= 2 THEN 'multi_grade' ELSE 'single_grade' END AS class_form,
              list_min(string_split(c.grades, ',')) AS grade, CAST(len(string_split(c.grades, ',')) AS VARCHAR) AS span, count(*) AS value
            FROM classes c JOIN orgs o ON o.fy = c.fy AND o.org_id = c.schoolSourcedId GROUP BY ALL`,
      dims: ['class_form', 'grade', 'span'],
    },
    'enrolment.special_needs_students': {
      sql: `SELECT r.fy, r.school_code, r.grade, r.sex, count(*) AS value
            FROM roster r JOIN classes c ON c.fy = r.fy AND c.sourcedId = r.home_class WHERE c.special_needs = 'true' GROUP BY ALL`,
      dims: ['grade', 'sex'],
    },
    'enrolment.special_needs_classes': {
      sql: `SELECT c.fy, o.school_code, c.disability, count(*) AS value
            FROM classes c JOIN orgs o ON o.fy = c.fy AND o.org_id = c.schoolSourcedId WHERE c.special_needs = 'true' GROUP BY ALL`,
      dims: ['disability'],
    },
    'enrolment.special_needs_students_by_disability': {
      sql: `SELECT r.fy, r.school_code, c.disability, r.sex, count(*) AS value
            FROM roster r JOIN classes c ON c.fy = r.fy AND c.sourcedId = r.home_class WHERE c.special_needs = 'true' GROUP BY ALL`,
      dims: ['disability', 'sex'],
    },
    'attendance.futoko_attendance': {
      sql: `SELECT fy, school_code, grade, sex,
              CASE WHEN school_days - excused - absent >= 11 THEN 'absent_90_attended_11_plus'
                   WHEN school_days - excused - absent >= 1 THEN 'absent_90_attended_1_10' ELSE 'absent_90_attended_0' END AS band,
              count(*) AS value
            FROM long_term WHERE reason = 'non_attendance' AND absent >= 90 GROUP BY ALL`,
      dims: ['grade', 'sex', 'band'],
    },
    'attendance.counted_present': {
      sql: `SELECT fy, school_code, grade, sex, count(*) AS value FROM long_term WHERE reason = 'non_attendance' AND counted > 0 GROUP BY ALL`,
      dims: ['grade', 'sex'],
    },
    'attendance.counted_present_by_place': {
      sql: `SELECT l.fy, l.school_code, a.place AS counted_present_place, l.grade, l.sex, count(DISTINCT l.sid) AS value
            FROM long_term l JOIN att a ON a.fy = l.fy AND a.student_id = l.sid AND a.status = 'counted_present'
            WHERE l.reason = 'non_attendance' GROUP BY ALL`,
      dims: ['counted_present_place', 'grade', 'sex'],
    },
    'guidance.bullying_recognised': {
      sql: `WITH cases AS (
              SELECT g.fy, r.school_code, r.grade, g.student_id, g.recorded_on, min(g.discovered_by) AS found_by,
                     bool_and(g.resolved) AS resolved, bool_or(g.serious) AS serious
              FROM guidance g JOIN roster r ON r.fy = g.fy AND r.sid = g.student_id WHERE g.category = 'bullying' GROUP BY ALL)
            SELECT fy, school_code, grade, found_by, CASE WHEN resolved THEN 'resolved' ELSE 'in_progress' END AS resolution,
                   CAST(serious AS VARCHAR) AS serious, count(*) AS value
            FROM cases GROUP BY ALL`,
      dims: ['grade', 'found_by', 'resolution', 'serious'],
    },
    'guidance.violence_incidents': {
      sql: `SELECT fy, school_code, split_part(type_code, '_', 1) AS violence_form,
              CASE WHEN split_part(type_code, '_', 2) = 'in' THEN 'in_school' ELSE 'outside_school' END AS place, count(*) AS value
            FROM guidance WHERE category = 'violence' GROUP BY ALL`,
      dims: ['violence_form', 'place'],
    },
    'guidance.violence_students': {
      sql: `SELECT r.fy, r.school_code, r.grade, r.sex, count(DISTINCT g.student_id) AS value
            FROM guidance g JOIN roster r ON r.fy = g.fy AND r.sid = g.student_id WHERE g.category = 'violence' GROUP BY ALL`,
      dims: ['grade', 'sex'],
    },
    'staff.roster_staff': {
      sql: `SELECT r.fy, o.school_code, r.role AS staff_role, count(DISTINCT r.userSourcedId) AS value
            FROM roles r JOIN orgs o ON o.fy = r.fy AND o.org_id = r.orgSourcedId WHERE r.role = 'teacher' GROUP BY ALL`,
      dims: ['staff_role'],
    },
    'assessment.mean_score': {
      sql: `SELECT r.fy, r.school_code, r.grade, a.subject, avg(a.score) AS value
            FROM assessments a JOIN roster r ON r.fy = a.fy AND (a.student_id = r.sid OR a.student_id = r.ep) GROUP BY ALL`,
      dims: ['grade', 'subject'],
    },
    'learning.app_minutes_per_student_week': {
      sql: `WITH distinct_statements AS (SELECT id, any_value(actor_name) AS actor_name, any_value(day) AS day, any_value(seconds) AS seconds FROM statements GROUP BY id),
                 linked AS (SELECT r.fy, r.school_code, s.seconds FROM distinct_statements s JOIN roster r ON r.la = s.actor_name AND r.fy = ${FY('s.day')}),
                 enrolled AS (SELECT fy, school_code, count(*) AS students FROM roster GROUP BY ALL)
            SELECT e.fy, e.school_code, coalesce(sum(l.seconds), 0) / 60.0 / e.students / c.weeks AS value
            FROM enrolled e JOIN cal_year c USING (fy, school_code) LEFT JOIN linked l USING (fy, school_code)
            GROUP BY e.fy, e.school_code, e.students, c.weeks`,
      dims: [],
    },
  };
  const out = new Map<string, number>();
  for (const [metric, { sql, dims }] of Object.entries(queries)) {
    for (const row of await rows(con, sql)) {
      const dimValues = Object.fromEntries(dims.map((d) => [d, String(row[d])]));
      out.set(`${String(row.fy)}|${metric}|${String(row.school_code)}|${JSON.stringify(dimValues)}`, Number(row.value));
    }
  }
  return out;
}

function truthCells(truth: Truth): Map<string, number> {
  const out = new Map<string, number>();
  for (const [fy, metrics] of Object.entries(truth.answers)) {
    for (const [metric, list] of Object.entries(metrics))
      for (const r of list) out.set(`${fy}|${metric}|${r.schoolCode}|${JSON.stringify(r.dims)}`, r.value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

describe('demo generator: determinism', () => {
  it('writes byte-identical files for the same options, different ones for another seed', async () => {
    const a = await generate('same-a', SMALL);
    const b = await generate('same-b', SMALL);
    const c = await generate('other-seed', { ...SMALL, seed: SMALL.seed + 1 });
    const [ha, hb, hc] = await Promise.all([fileHashes(a.dir), fileHashes(b.dir), fileHashes(c.dir)]);
    expect(ha.size).toBeGreaterThanOrEqual(3 * 9 + 7);
    expect([...hb.entries()]).toEqual([...ha.entries()]);
    for (const file of ['/attendance.csv', '/oneroster/2025/users.csv', '/xapi/statements.ndjson', '/truth.json']) {
      expect(hc.get(file)).toBeDefined();
      expect(hc.get(file)).not.toBe(ha.get(file));
    }
  });

  it('differs from the null municipality by exactly the planted programme effect', async () => {
    const planted = await generate('planted', SMALL);
    const nulled = await generate('null', { ...SMALL, plantedEffects: false });
    expect(nulled.truth.programmes[0].effect).toBe(0);
    expect(nulled.truth.highGrowth).toEqual(expect.objectContaining({ valueAddedPoints: 0, schoolCodes: [] }));
    const realised = new Map(
      planted.truth.programmes[0].realisedEffects.map((r) => [`${r.academicYear}|${r.schoolCode}`, r]),
    );
    expect(realised.size).toBeGreaterThan(0);
    for (const fy of planted.truth.academicYears) {
      const nullRates = new Map(nulled.truth.answers[fy]['attendance.rate'].map((r) => [r.schoolCode, r.value]));
      for (const r of planted.truth.answers[fy]['attendance.rate']) {
        const applied = realised.get(`${fy}|${r.schoolCode}`);
        const diff = r.value - (nullRates.get(r.schoolCode) ?? Number.NaN);
        expect(Math.abs(diff - (applied?.effect ?? 0))).toBeLessThan(2e-6);
        // Exact to half a day, unless a tiny school had fewer absence days than the effect needs: then all went.
        if (applied && r.value < 1)
          expect(Math.abs(applied.effect - planted.truth.programmes[0].effect)).toBeLessThanOrEqual(
            0.5 / applied.requiredDays + 1e-9,
          );
        if (applied && r.value === 1) expect(applied.effect).toBeLessThan(planted.truth.programmes[0].effect);
      }
    }
  });
});

describe('demo generator: the default demo against an independent recount', () => {
  let dir: string;
  let truth: Truth;
  let con: DuckDBConnection;
  beforeAll(async () => {
    ({ dir, truth } = await generate('default', DEFAULT_DEMO));
    con = await openDemo(dir);
  });
  afterAll(() => con?.closeSync());

  it('has truth.json agreeing with DuckDB for every metric, school and year', async () => {
    const expected = truthCells(truth);
    const counted = await recount(con);
    const years = truth.academicYears;
    // Every metric has rows for every school and year where it must (rate and app minutes always).
    for (const fy of years) {
      for (const metric of [
        'attendance.rate',
        'learning.app_minutes_per_student_week',
        'enrolment.students',
        'enrolment.classes',
      ]) {
        expect(new Set(truth.answers[fy][metric].map((r) => r.schoolCode)).size).toBe(DEFAULT_DEMO.schools);
      }
    }
    const mismatches: string[] = [];
    for (const key of new Set([...expected.keys(), ...counted.keys()])) {
      const want = expected.get(key);
      const got = counted.get(key);
      const metric = key.split('|')[1];
      const tolerance =
        metric === 'assessment.mean_score'
          ? 0.005 + 1e-9
          : metric.includes('.rate') || metric.includes('minutes')
            ? 1e-6
            : 0;
      if (want === undefined || got === undefined || Math.abs(want - got) > tolerance)
        mismatches.push(`${key}: truth ${want} recount ${got}`);
    }
    expect(mismatches).toEqual([]);
    expect(expected.size).toBeGreaterThan(500);
    // The recount covered every metric.
    expect(new Set([...counted.keys()].map((k) => k.split('|')[1])).size).toBe(19);
  });

  it('counts the xAPI duplicates and unlinked statements it says it wrote', async () => {
    const [x] = await rows(
      con,
      `SELECT count(*) AS lines, count(DISTINCT id) AS distinct_ids,
         count(DISTINCT id) FILTER (WHERE actor_name NOT IN (SELECT la FROM roster)) AS unlinked FROM statements`,
    );
    expect(Number(x.lines)).toBe(truth.xapi.lines);
    expect(Number(x.distinct_ids)).toBe(truth.xapi.distinctStatements);
    expect(truth.xapi.lines - truth.xapi.distinctStatements).toBe(truth.xapi.duplicateLines);
    expect(Number(x.unlinked)).toBe(truth.xapi.unlinkedStatements);
    expect(truth.xapi.duplicateLines).toBeGreaterThan(0);
    expect(truth.xapi.unlinkedStatements).toBeGreaterThan(0);
    expect(truth.xapi.lines).toBeGreaterThan(10_000);
    // Linked statements happen on school days of the student's school in that year, in JST.
    const [offDays] = await rows(
      con,
      `SELECT count(*) AS n FROM statements s JOIN roster r ON r.la = s.actor_name AND r.fy = ${FY('s.day')}
       ANTI JOIN cal c ON c.school_code = r.school_code AND c.date = s.day`,
    );
    expect(Number(offDays.n)).toBe(0);
  });

  it('files assessments and guidance under the student’s school, by the ID kind truth.json names', async () => {
    const [misfiled] = await rows(
      con,
      `SELECT (SELECT count(*) FROM guidance g JOIN roster r ON r.fy = g.fy AND r.sid = g.student_id WHERE r.school_code <> g.school_code)
            + (SELECT count(*) FROM guidance g ANTI JOIN roster r ON r.fy = g.fy AND r.sid = g.student_id) AS n`,
    );
    expect(Number(misfiled.n)).toBe(0);
    const kinds = await rows(
      con,
      `SELECT a.school_code, bool_and(a.student_id = r.ep) AS by_eportal, bool_and(a.student_id = r.sid) AS by_sourced_id, bool_and(a.school_code = r.school_code) AS same_school
       FROM assessments a JOIN roster r ON r.fy = a.fy AND (a.student_id = r.sid OR a.student_id = r.ep) GROUP BY 1`,
    );
    expect(kinds).toHaveLength(DEFAULT_DEMO.schools);
    for (const k of kinds) {
      const school = truth.schools.find((s) => s.code === k.school_code);
      expect(k.same_school).toBe(true);
      expect(school?.assessmentStudentId === 'ePortal' ? k.by_eportal : k.by_sourced_id).toBe(true);
    }
    expect(kinds.filter((k) => k.by_eportal)).toHaveLength(DEFAULT_DEMO.schools / 2);
  });

  it('uses valid, unique MEXT school codes everywhere', async () => {
    const codes = truth.schools.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every(isValidSchoolCode)).toBe(true);
    const orgCodes = await rows(con, `SELECT DISTINCT school_code FROM orgs WHERE type = 'school' ORDER BY 1`);
    expect(orgCodes.map((r) => r.school_code)).toEqual([...codes].sort());
    for (const table of ['cal', 'att', 'assessments', 'guidance']) {
      const bad = await rows(
        con,
        `SELECT DISTINCT school_code FROM ${table} WHERE school_code NOT IN (SELECT school_code FROM orgs)`,
      );
      expect(bad).toEqual([]);
    }
    expect(truth.schools.filter((s) => s.type === 'elementary')).toHaveLength(8);
  });

  it('builds a consistent roster: one homeroom per student, class limits, 出席番号, birth dates, stable IDs', async () => {
    const [enrolled] = await rows(con, `SELECT count(*) AS n FROM roster WHERE fy = 2025`);
    expect(Number(enrolled.n)).toBe(DEFAULT_DEMO.students);
    const [homerooms] = await rows(
      con,
      `SELECT max(n) AS most, min(n) AS least FROM (SELECT r.fy, r.sid, count(e.sourcedId) AS n FROM roster r
         LEFT JOIN enrollments e ON e.fy = r.fy AND e.userSourcedId = r.sid AND e.role = 'student' AND e."primary" = 'true' GROUP BY ALL)`,
    );
    expect([Number(homerooms.most), Number(homerooms.least)]).toEqual([1, 1]);
    const [homeClass] = await rows(
      con,
      `SELECT count(*) AS n FROM roster r JOIN enrollments e ON e.fy = r.fy AND e.userSourcedId = r.sid AND e.role = 'student' WHERE e.classSourcedId <> r.home_class`,
    );
    expect(Number(homeClass.n)).toBe(0);
    const sizes = await rows(
      con,
      `SELECT c.special_needs, max(n) AS biggest, bool_and(numbers_ok) AS numbers_ok FROM (
         SELECT e.fy, e.classSourcedId, count(*) AS n, max(shusseki_no) = count(*) AND count(DISTINCT shusseki_no) = count(*) AS numbers_ok
         FROM enrollments e WHERE e.role = 'student' GROUP BY ALL) x
       JOIN classes c ON c.fy = x.fy AND c.sourcedId = x.classSourcedId GROUP BY ALL ORDER BY 1`,
    );
    expect(sizes).toEqual([
      { special_needs: 'false', biggest: expect.anything(), numbers_ok: true },
      { special_needs: 'true', biggest: expect.anything(), numbers_ok: true },
    ]);
    expect(Number(sizes[0].biggest)).toBeLessThanOrEqual(35);
    expect(Number(sizes[1].biggest)).toBeLessThanOrEqual(8);
    // Born 2 April – 1 April of the school year that makes the grade: P1 in the year a child turns 7.
    const [births] = await rows(
      con,
      `SELECT count(*) FILTER (WHERE birth NOT BETWEEN make_date(entry - 7, 4, 2) AND make_date(entry - 6, 4, 1)) AS wrong, count(*) AS n FROM (
         SELECT birth, fy - (CASE WHEN grade LIKE 'P%' THEN CAST(substr(grade, 2) AS INTEGER) ELSE 6 + CAST(substr(grade, 2) AS INTEGER) END - 1) AS entry FROM roster)`,
    );
    expect(Number(births.wrong)).toBe(0);
    // P6 students reappear as J1 the next year with the same sourcedId and the same other-system IDs (bar ~6% to private schools).
    const [moves] = await rows(
      con,
      `SELECT count(*) AS p6, count(j.sid) AS found, count(*) FILTER (WHERE j.la = p.la AND j.ep = p.ep) AS same_ids
       FROM roster p LEFT JOIN roster j ON j.sid = p.sid AND j.fy = p.fy + 1 AND j.grade = 'J1'
       WHERE p.grade = 'P6' AND p.fy < 2025`,
    );
    expect(Number(moves.found) / Number(moves.p6)).toBeGreaterThan(0.88);
    expect(Number(moves.same_ids)).toBe(Number(moves.found));
    const [userIds] = await rows(
      con,
      `SELECT count(*) FILTER (WHERE la = '' OR ep = '') AS missing, count(DISTINCT la) AS la, count(DISTINCT sid) AS sid FROM roster`,
    );
    expect(Number(userIds.missing)).toBe(0);
    expect(Number(userIds.la)).toBe(Number(userIds.sid));
  });

  it('lets a school-clustered 2×2 DiD and a Callaway–Sant’Anna estimate recover the programme effect', () => {
    const effect = truth.programmes[0].effect;
    expect(effect).toBe(0.015);
    const years = truth.academicYears;
    const rate = new Map<string, number>();
    for (const fy of years)
      for (const r of truth.answers[fy]['attendance.rate']) rate.set(`${r.schoolCode}|${fy}`, r.value);
    const schools = truth.schools.map((s) => ({ code: s.code, g: s.supportRoomFrom }));
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = (xs: number[]): number => xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1);

    // 2×2: ever-treated against never-treated schools, first year against last year; the
    // school-clustered standard error of a two-group, two-period DiD is Welch's on the changes.
    const change = (s: { code: string }): number =>
      (rate.get(`${s.code}|${years[2]}`) ?? 0) - (rate.get(`${s.code}|${years[0]}`) ?? 0);
    const treated = schools.filter((s) => s.g !== null).map(change);
    const control = schools.filter((s) => s.g === null).map(change);
    expect(control.length).toBeGreaterThanOrEqual(4);
    const did = mean(treated) - mean(control);
    const se = Math.sqrt(variance(treated) / treated.length + variance(control) / control.length);
    expect(did - 1.96 * se).toBeLessThan(effect);
    expect(did + 1.96 * se).toBeGreaterThan(effect);
    expect(1.96 * se).toBeLessThan(effect / 2);

    // Callaway–Sant'Anna: group-time effects against never-treated schools, base year g − 1,
    // averaged with group-size weights; 95% interval from a school bootstrap within groups.
    const callawaySantAnna = (sample: typeof schools): number => {
      const never = sample.filter((s) => s.g === null);
      const at = (list: typeof schools, fy: number): number => mean(list.map((s) => rate.get(`${s.code}|${fy}`) ?? 0));
      let sum = 0;
      let weight = 0;
      for (const g of [...new Set(sample.flatMap((s) => (s.g === null ? [] : [s.g])))]) {
        const group = sample.filter((s) => s.g === g);
        for (const t of years.filter((y) => y >= g)) {
          sum += group.length * (at(group, t) - at(group, g - 1) - (at(never, t) - at(never, g - 1)));
          weight += group.length;
        }
      }
      return sum / weight;
    };
    const estimate = callawaySantAnna(schools);
    const rng = Rng.stream(99, 1);
    const groups = [...new Set(schools.map((s) => s.g))].map((g) => schools.filter((s) => s.g === g));
    const draws = Array.from({ length: 999 }, () =>
      callawaySantAnna(groups.flatMap((members) => members.map(() => members[rng.int(members.length)]))),
    ).sort((a, b) => a - b);
    const [low, high] = [draws[24], draws[974]];
    expect(low).toBeLessThan(effect);
    expect(high).toBeGreaterThan(effect);
    expect(high - low).toBeLessThan(effect);
    expect(Math.abs(estimate - effect)).toBeLessThan(effect / 2);
  });

  it('lets an empirical-Bayes value-added model find the planted high-growth schools', async () => {
    expect(truth.highGrowth.valueAddedPoints).toBeGreaterThan(0);
    expect(truth.highGrowth.schoolCodes.length).toBeGreaterThanOrEqual(2);
    // Current score on prior score per subject, grade and year; school means of the residuals,
    // shrunk by the between-school variance; flagged when the shrunk effect's 95% interval is above 0.
    const estimates = await rows(
      con,
      `WITH s AS (SELECT a.school_code, r.sid, a.subject, a.fy, r.grade, a.score::DOUBLE AS score
                  FROM assessments a JOIN roster r ON r.fy = a.fy AND (a.student_id = r.sid OR a.student_id = r.ep)),
            pairs AS (SELECT c.*, p.score AS prior_score FROM s c JOIN s p ON p.sid = c.sid AND p.subject = c.subject AND p.fy = c.fy - 1),
            fit AS (SELECT subject, grade, fy, regr_slope(score, prior_score) AS b, regr_intercept(score, prior_score) AS a FROM pairs GROUP BY ALL),
            res AS (SELECT p.school_code, p.score - (f.a + f.b * p.prior_score) AS r FROM pairs p JOIN fit f USING (subject, grade, fy)),
            schools AS (SELECT school_code, avg(r) AS m, count(*) AS n, var_samp(r) AS v FROM res GROUP BY 1),
            pooled AS (SELECT sum(v * (n - 1)) / sum(n - 1) AS s2 FROM schools),
            tau AS (SELECT greatest(1e-6, var_samp(m) - avg((SELECT s2 FROM pooled) / n)) AS t2 FROM schools)
       SELECT school_code, m * t2 / (t2 + s2 / n) - 1.96 * sqrt(1 / (1 / t2 + n / s2)) AS lower_bound FROM schools, pooled, tau`,
    );
    expect(estimates).toHaveLength(DEFAULT_DEMO.schools);
    const flagged = new Set(estimates.filter((e) => Number(e.lower_bound) > 0).map((e) => String(e.school_code)));
    const planted = new Set(truth.highGrowth.schoolCodes);
    const hits = [...flagged].filter((c) => planted.has(c)).length;
    expect(hits / Math.max(1, flagged.size)).toBeGreaterThanOrEqual(0.8);
    expect(hits / planted.size).toBeGreaterThanOrEqual(0.8);
  });
});

describe('demo generator: realism at a moderate size', () => {
  let truth: Truth;
  let con: DuckDBConnection;
  beforeAll(async () => {
    let dir: string;
    // The null municipality: the planted programme legitimately lowers absence in adopting schools.
    ({ dir, truth } = await generate('moderate', {
      schools: 45,
      students: 20000,
      years: 1,
      seed: 3,
      plantedEffects: false,
    }));
    con = await openDemo(dir);
  });
  afterAll(() => con?.closeSync());

  const sumWhere = (list: TruthRow[], keep: (r: TruthRow) => boolean): number =>
    list.filter(keep).reduce((s, r) => s + r.value, 0);

  it('has long-term absence near 2% in elementary and 6–7% in junior high, 不登校 leading in junior high', () => {
    const answers = truth.answers['2025'];
    const type = new Map(truth.schools.map((s) => [s.code, s.type]));
    const isElementary = (r: TruthRow): boolean => type.get(r.schoolCode) === 'elementary';
    const enrolled = {
      e: sumWhere(answers['enrolment.students'], isElementary),
      j: sumWhere(answers['enrolment.students'], (r) => !isElementary(r)),
    };
    const lta = answers['attendance.long_term_absence'];
    const share = {
      e: sumWhere(lta, isElementary) / enrolled.e,
      j: sumWhere(lta, (r) => !isElementary(r)) / enrolled.j,
    };
    expect(share.e).toBeGreaterThan(0.012);
    expect(share.e).toBeLessThan(0.03);
    expect(share.j).toBeGreaterThan(0.05);
    expect(share.j).toBeLessThan(0.085);
    const byReason = (elementary: boolean): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const r of lta.filter((x) => isElementary(x) === elementary))
        out[r.dims.reason] = (out[r.dims.reason] ?? 0) + r.value;
      return out;
    };
    const junior = byReason(false);
    expect(Math.max(...Object.values(junior))).toBe(junior.non_attendance);
    expect(junior.non_attendance / share.j / enrolled.j).toBeGreaterThan(0.6);
    const elementary = byReason(true);
    expect(elementary.illness / (share.e * enrolled.e)).toBeGreaterThan(0.3);
    const bands = answers['attendance.futoko_severity'];
    for (const band of ['absent_90_plus', 'attended_10_or_less', 'attended_0'])
      expect(sumWhere(bands, (r) => r.dims.band === band)).toBeGreaterThan(0);
    // Bullying recognition per 1,000: elementary far above junior high (MEXT: 88.6 vs 36.0).
    const bullying = answers['guidance.bullying_cases'];
    const perThousand = {
      e: (1000 * sumWhere(bullying, isElementary)) / enrolled.e,
      j: (1000 * sumWhere(bullying, (r) => !isElementary(r))) / enrolled.j,
    };
    expect(perThousand.e).toBeGreaterThan(1.6 * perThousand.j);
    expect(perThousand.e).toBeGreaterThan(50);
  });

  it('has a heavy tail of absence, every status and reason, and empty reasons', async () => {
    const [tail] = await rows(
      con,
      `SELECT count(*) FILTER (WHERE absent >= 150) AS over_150, count(*) FILTER (WHERE school_days - excused - absent = 0) AS attended_0 FROM per_student`,
    );
    expect(Number(tail.over_150)).toBeGreaterThan(0);
    expect(Number(tail.attended_0)).toBeGreaterThan(0);
    const statuses = await rows(
      con,
      `SELECT status, count(*) AS n, count(*) FILTER (WHERE status = 'absent' AND reason IS NULL) AS no_reason, count(reason) FILTER (WHERE status <> 'absent') AS stray FROM att GROUP BY 1`,
    );
    const byStatus = new Map(statuses.map((s) => [String(s.status), s]));
    for (const status of ['absent', 'late', 'early_leave', 'suspension', 'mourning', 'closure', 'counted_present'])
      expect(Number(byStatus.get(status)?.n ?? 0)).toBeGreaterThan(0);
    expect(byStatus.has('present')).toBe(false);
    expect(Number(byStatus.get('absent')?.no_reason)).toBeGreaterThan(0);
    expect(statuses.every((s) => Number(s.stray) === 0)).toBe(true);
    const reasons = await rows(con, `SELECT DISTINCT reason FROM att WHERE reason IS NOT NULL ORDER BY 1`);
    expect(reasons.map((r) => r.reason)).toEqual(['covid_avoidance', 'economic', 'illness', 'non_attendance', 'other']);
    // A place on every day counted present, and on no other day.
    const places = await rows(
      con,
      `SELECT place, count(*) FILTER (WHERE status <> 'counted_present') AS stray, count(*) AS n FROM att
       WHERE place IS NOT NULL OR status = 'counted_present' GROUP BY 1 ORDER BY 1`,
    );
    expect(places.map((p) => [p.place, Number(p.stray)])).toEqual([
      ['external_facility', 0],
      ['ict_home', 0],
      ['other', 0],
    ]);
    const [lateness] = await rows(
      con,
      `SELECT count(*) FILTER (WHERE status IN ('late', 'early_leave')) / (SELECT count(*) FROM roster) AS per_student FROM att`,
    );
    expect(Number(lateness.per_student)).toBeGreaterThan(3);
    const [outside] = await rows(
      con,
      `SELECT count(*) AS n FROM att a ANTI JOIN cal c ON c.school_code = a.school_code AND c.date = a.date`,
    );
    expect(Number(outside.n)).toBe(0);
  });

  it('has varied school sizes, about 200 school days, 3–5% in special-needs classes', async () => {
    const sizes = truth.schools.map((s) => s.size);
    expect(Math.min(...sizes)).toBeLessThan(50);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(800);
    expect(truth.schools.filter((s) => s.type === 'elementary').length / truth.schools.length).toBeCloseTo(2 / 3, 1);
    const [days] = await rows(con, `SELECT min(school_days) AS least, max(school_days) AS most FROM cal_year`);
    expect(Number(days.least)).toBeGreaterThanOrEqual(190);
    expect(Number(days.most)).toBeLessThanOrEqual(212);
    const [special] = await rows(
      con,
      `SELECT avg((c.special_needs = 'true')::INT) AS share FROM roster r JOIN classes c ON c.fy = r.fy AND c.sourcedId = r.home_class`,
    );
    expect(Number(special.share)).toBeGreaterThan(0.03);
    expect(Number(special.share)).toBeLessThan(0.05);
    const [serious] = await rows(
      con,
      `SELECT avg(serious::INT) AS share, count(*) AS n FROM guidance WHERE category = 'bullying'`,
    );
    expect(Number(serious.share)).toBeLessThan(0.01);
  });
});
