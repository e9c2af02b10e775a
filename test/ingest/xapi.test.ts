import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../../src/common/request-context.js';
import { requestContext } from '../../src/common/request-context.js';
import { IngestService, type BatchReport, type IngestOptions } from '../../src/ingest/ingest.service.js';
import { linkUnlinkedActivity } from '../../src/ingest/feeds/xapi.feed.js';
import type { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { Staging } from '../../src/ingest/staging.js';
import { seedCentralRoster } from '../factories/roster.factory.js';
import { SCHOOL_A, SCHOOL_B, startTestApp, type TestApp } from '../support/test-app.js';

const ACTOR: Actor = { userId: null, name: 'test', role: 'cli', schoolCode: null };

/** Raw person data the statements carry: none of it may reach the warehouse, a report or the control plane. */
const RAW = {
  student1: 'stu-xq-0001',
  student1App: 'la-xq-0001',
  student2Mbox: 'mailto:hanako.yamada@example.jp',
  student3: 'stu-xq-0003',
  unknown: 'app-unknown-xq-77',
  name: '山田花子',
  homePage: 'https://app.example-lrs.jp',
};

const ids = Array.from({ length: 12 }, () => randomUUID());
const account = (name: string) => ({ objectType: 'Agent', name: RAW.name, account: { homePage: RAW.homePage, name } });
const activity = {
  objectType: 'Activity',
  id: 'https://app.example.jp/courses/SJ01',
  definition: { name: { ja: 'ジュニア１' }, type: 'http://adlnet.gov/expapi/activities/course' },
};
const completed = { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } };
const statement = (fields: Record<string, unknown>) => ({
  actor: account(RAW.student1),
  verb: completed,
  object: activity,
  timestamp: '2025-06-10T10:00:00+09:00',
  ...fields,
});
const ndjson = (...lines: (object | string)[]) =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

describe('ingest of xAPI statements (real stores)', () => {
  let t: TestApp;
  let pseudonymizer: Pseudonymizer;
  let fileCount = 0;

  const write = (name: string, text: string) => {
    const folder = mkdtempSync(join(t.stores.dir, `x${fileCount++}-`));
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };
  const ingest = (path: string, options: IngestOptions = {}) =>
    requestContext.run(ACTOR, () => t.app.get(IngestService).ingest(path, ACTOR, options));
  const activityOf = (statementId: string) =>
    t.warehouse
      .all<Record<string, unknown>>(`SELECT * EXCLUDE (batch_id) FROM learning_activity WHERE statement_id = $1`, [
        statementId,
      ])
      .then((rows) => rows[0]);
  const count = async (sql: string) => Number((await t.warehouse.all<{ n: bigint }>(sql))[0].n);
  const problemsOf = (report: BatchReport, severity: 'error' | 'warning') =>
    report.problems
      .filter((p) => p.severity === severity)
      .map((p) => ({ row: p.row, column: p.column, value: p.value, rule: p.rule.replace(/ \(row = .*\)$/, '') }));

  beforeAll(async () => {
    t = await startTestApp();
    pseudonymizer = await seedCentralRoster(t, [
      { sourcedId: RAW.student1, schoolCode: SCHOOL_A, grade: 'P4', userIds: { LearningApp: RAW.student1App } },
      { sourcedId: 'stu-xq-0002', schoolCode: SCHOOL_A, grade: 'P5', userIds: { mbox: RAW.student2Mbox } },
      { sourcedId: RAW.student3, schoolCode: SCHOOL_B, grade: 'J1' },
    ]);
  });
  afterAll(async () => t.close());

  it('loads NDJSON: links actors by sourcedId, userIds and mbox, keeps unknown actors unlinked, drops a repeated id', async () => {
    const file = ndjson(
      statement({
        id: ids[0],
        result: {
          score: { scaled: 0.8, raw: 8, min: 0, max: 10 },
          success: true,
          completion: true,
          duration: 'PT4H35M20.00S',
        },
      }),
      // 2025-04-01 00:30 in Tokyo: 年度 2025 although it is still March in UTC.
      statement({
        id: ids[1],
        actor: account(RAW.student1App),
        timestamp: '2025-03-31T15:30:00Z',
        result: { duration: 'P1DT2H' },
      }),
      '',
      // 2026-04-01 00:30 in Tokyo: 年度 2026, when the student has no enrolment.
      statement({
        id: ids[2],
        actor: { objectType: 'Agent', name: RAW.name, mbox: RAW.student2Mbox },
        timestamp: '2026-03-31T15:30:00Z',
      }),
      statement({ id: ids[3], actor: account(RAW.unknown) }),
      statement({
        id: ids[4],
        actor: account(RAW.unknown),
        object: { objectType: 'Agent', account: { homePage: RAW.homePage, name: RAW.student3 } },
      }),
      statement({ id: ids[0].toUpperCase(), result: { score: { scaled: 0.1 } } }),
    );
    const report = await ingest(write('statements.ndjson', file));
    expect(report).toMatchObject({ status: 'loaded', rowsRead: 6, rowsLoaded: 5, rowsRejected: 0, errors: 0 });
    expect(report.feeds[0].notes).toEqual({
      statements: 6,
      duplicatesInFile: 1,
      duplicatesInBatch: 0,
      alreadyInWarehouse: 0,
      unlinkedStatements: 2,
      unlinkedActors: 1,
    });
    expect(problemsOf(report, 'warning')).toEqual([
      {
        row: 4,
        column: 'timestamp',
        value: '(withheld): 1 statement(s) in 2026年度',
        rule: 'the student has no enrolment in the school year (年度) of the timestamp: loaded without a school',
      },
      {
        row: 5,
        column: 'actor',
        value: '(withheld): 2 statement(s)',
        rule: 'actor matches no roster student (sourcedId or userIds): loaded unlinked, linked when a roster names it',
      },
      { row: 7, column: 'id', value: 'same id as row 1', rule: 'a second statement with the same id: dropped' },
    ]);
    expect(report.problems.every((p) => p.rule.endsWith('(row = line in the file)'))).toBe(true);

    const student1 = pseudonymizer.pseudonym(RAW.student1);
    expect(await activityOf(ids[0])).toEqual({
      statement_id: ids[0],
      actor_pid: student1,
      student_pid: student1,
      school_code: SCHOOL_A,
      academic_year: 2025,
      verb_id: completed.id,
      activity_id: activity.id,
      activity_type: activity.definition.type,
      ts: new Date('2025-06-10T01:00:00Z'),
      duration_s: 16520,
      score_scaled: 0.8,
      score_raw: 8,
      success: true,
      completion: true,
    });
    expect(await activityOf(ids[1])).toMatchObject({
      actor_pid: pseudonymizer.pseudonym(RAW.student1App),
      student_pid: student1,
      school_code: SCHOOL_A,
      academic_year: 2025,
      duration_s: 93600,
      score_scaled: null,
      success: null,
    });
    expect(await activityOf(ids[2])).toMatchObject({
      actor_pid: pseudonymizer.pseudonym(RAW.student2Mbox),
      student_pid: pseudonymizer.pseudonym('stu-xq-0002'),
      school_code: null,
      academic_year: 2026,
    });
    expect(await activityOf(ids[3])).toMatchObject({
      actor_pid: pseudonymizer.pseudonym(RAW.unknown),
      student_pid: null,
      school_code: null,
      academic_year: 2025,
    });
    // An Agent as object is a person: its account is not kept as an activity id.
    expect(await activityOf(ids[4])).toMatchObject({ student_pid: null, activity_id: null, activity_type: null });
  });

  it('loads a JSON array: positions are indexes, ids already stored are skipped with a warning, a statement without an id gets a stable one', async () => {
    const noId = statement({
      actor: account(RAW.student3),
      verb: { id: 'http://adlnet.gov/expapi/verbs/progressed' },
      result: { score: { scaled: -0.25 } },
    });
    const report = await ingest(
      write(
        'export-1.json',
        JSON.stringify(
          [
            statement({ id: ids[0] }),
            statement({ id: ids[5], actor: account(RAW.student3) }),
            noId,
            statement({ id: ids[5] }),
          ],
          null,
          2,
        ),
      ),
    );
    expect(report).toMatchObject({ status: 'loaded', rowsRead: 4, rowsLoaded: 2, errors: 0 });
    expect(report.feeds[0].notes).toMatchObject({
      statements: 4,
      duplicatesInFile: 1,
      alreadyInWarehouse: 1,
      unlinkedStatements: 0,
    });
    expect(problemsOf(report, 'warning')).toEqual([
      {
        row: 1,
        column: 'id',
        value: '1 statement(s), the first at this row',
        rule: 'statements already in the warehouse (sent before): skipped',
      },
      {
        row: 3,
        column: 'id',
        value: '1 statement(s), the first at this row',
        rule: 'statements without an id were given one made from their content (keyed hash), so that a re-sent copy is still recognised',
      },
      { row: 4, column: 'id', value: 'same id as row 2', rule: 'a second statement with the same id: dropped' },
    ]);
    expect(report.problems[0].rule).toMatch(/\(row = position of the statement in the file, from 1\)$/);
    const [derived] = await t.warehouse.all<{ statement_id: string; school_code: string; score_scaled: number }>(
      `SELECT statement_id, school_code, score_scaled FROM learning_activity WHERE verb_id = 'http://adlnet.gov/expapi/verbs/progressed'`,
    );
    expect(derived).toMatchObject({ school_code: SCHOOL_B, score_scaled: -0.25 });
    expect(derived.statement_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);

    // The same statements sent again in another layout (one statement object, compact): nothing new.
    const again = await ingest(write('export-2.json', JSON.stringify(noId)));
    expect(again).toMatchObject({ status: 'loaded', rowsRead: 1, rowsLoaded: 0, errors: 0 });
    expect(again.feeds[0].notes).toMatchObject({ alreadyInWarehouse: 1 });
  });

  it('drops a statement another xAPI file of the same batch already has', async () => {
    const folder = mkdtempSync(join(t.stores.dir, 'batch-'));
    writeFileSync(join(folder, 'a.ndjson'), ndjson(statement({ id: ids[6] })));
    writeFileSync(join(folder, 'b.jsonl'), ndjson(statement({ id: ids[7] }), statement({ id: ids[6] })));
    const report = await ingest(folder);
    expect(report).toMatchObject({ status: 'loaded', rowsRead: 3, rowsLoaded: 2 });
    expect(report.feeds.map((f) => f.notes?.duplicatesInBatch)).toEqual([0, 1]);
    expect(problemsOf(report, 'warning')).toEqual([
      {
        row: 2,
        column: 'id',
        value: 'same id as a.ndjson row 1',
        rule: 'a statement with the same id is in another file of this batch: dropped',
      },
    ]);
  });

  it('rejects malformed statements naming row and column, and loads the valid ones with acceptPartial', async () => {
    const before = await count('SELECT count(*) AS n FROM learning_activity');
    const file = ndjson(
      statement({ id: ids[8] }),
      `{"id": "${ids[9]}", "actor": {"account": {"name": "${RAW.student1}"`,
      '[1, 2]',
      statement({ id: ids[9], result: { duration: '4:35:20' } }),
      statement({ id: ids[9], result: { score: { scaled: 1.5 } } }),
      statement({ id: ids[9], result: { score: { scaled: '0.5', raw: 'high' } } }),
      statement({ id: ids[9], timestamp: '2025-06-10T10:00:00' }),
      statement({ id: ids[9], actor: { objectType: 'Agent', name: RAW.name } }),
      statement({ id: 'not-a-uuid' }),
      statement({ id: ids[9], verb: { display: { ja: '完了' } } }),
      statement({ id: ids[9], result: { success: 'yes', completion: 1 } }),
      statement({ id: ids[9], actor: { mbox: 'hanako.yamada@example.jp' } }),
      statement({ id: ids[9], timestamp: null, verb: { id: 'completed' } }),
      statement({ id: ids[9], result: [{ score: { scaled: 0.5 } }] }),
      JSON.stringify(statement({ id: ids[9] })).replace(
        /}$/,
        ', "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"}}',
      ),
    );
    const path = write('bad.ndjson', file);
    const report = await ingest(path);
    expect(report).toMatchObject({ status: 'rejected', rowsRead: 15, rowsLoaded: 0, rowsRejected: 14 });
    expect(problemsOf(report, 'error')).toEqual([
      { row: 2, column: null, value: null, rule: 'not valid JSON' },
      { row: 3, column: null, value: null, rule: 'a statement must be a JSON object' },
      {
        row: 4,
        column: 'result.duration',
        value: '4:35:20',
        rule: 'result.duration must be an ISO 8601 duration in weeks, days, hours, minutes, seconds (e.g. PT4H35M20.00S, P1DT2H)',
      },
      { row: 5, column: 'result.score.scaled', value: '1.5', rule: 'result.score.scaled must be between -1 and 1' },
      { row: 6, column: 'result.score.raw', value: 'high', rule: 'result.score.raw must be a number' },
      { row: 6, column: 'result.score.scaled', value: '0.5', rule: 'result.score.scaled must be a number' },
      {
        row: 7,
        column: 'timestamp',
        value: '2025-06-10T10:00:00',
        rule: 'timestamp must be an ISO 8601 date and time with seconds and a UTC offset (e.g. 2023-02-28T12:00:21.619+09:00)',
      },
      {
        row: 8,
        column: 'actor',
        value: null,
        rule: 'actor has neither account.name nor mbox: nobody to link the statement to',
      },
      { row: 9, column: 'id', value: 'not-a-uuid', rule: 'id must be a UUID' },
      { row: 10, column: 'verb.id', value: null, rule: 'verb.id is required' },
      { row: 11, column: 'result.completion', value: '1', rule: 'result.completion must be true or false' },
      { row: 11, column: 'result.success', value: 'yes', rule: 'result.success must be true or false' },
      { row: 12, column: 'actor.mbox', value: '(withheld)', rule: 'actor.mbox must be a mailto: IRI' },
      { row: 13, column: 'timestamp', value: null, rule: 'timestamp is required' },
      { row: 13, column: 'verb.id', value: 'completed', rule: 'verb.id must be an IRI' },
      {
        row: 14,
        column: 'result',
        value: null,
        rule: 'result must be a JSON object (holding score, success, completion, duration)',
      },
      {
        row: 15,
        column: null,
        value: null,
        rule: 'the statement holds the same key twice (which one counts cannot be told)',
      },
    ]);
    expect(await count('SELECT count(*) AS n FROM learning_activity')).toBe(before);

    const partial = await ingest(path, { acceptPartial: true });
    expect(partial).toMatchObject({ status: 'partial', rowsRead: 15, rowsLoaded: 1, rowsRejected: 14 });
    expect(await activityOf(ids[8])).toMatchObject({ student_pid: pseudonymizer.pseudonym(RAW.student1) });
    expect(await count('SELECT count(*) AS n FROM learning_activity')).toBe(before + 1);
  });

  it('refuses an actor ID that is not a pseudonym when the input is declared pre-pseudonymised', async () => {
    const pid = pseudonymizer.pseudonym(RAW.student1);
    const report = await ingest(
      write('pre.ndjson', ndjson(statement({ id: ids[10], actor: account(pid) }), statement({ id: ids[11] }))),
      { prePseudonymized: true },
    );
    expect(report).toMatchObject({ status: 'rejected', rowsRejected: 1 });
    expect(report.problems).toEqual([
      expect.objectContaining({ severity: 'error', row: 2, column: 'actor', value: '(withheld)' }),
    ]);
  });

  it('reports a file that is not JSON at all as one error, without quoting it', async () => {
    const report = await ingest(
      write('broken.json', `[${JSON.stringify(statement({ id: randomUUID() }))},\n{"actor": "${RAW.unknown}" ]`),
    );
    expect(report).toMatchObject({ status: 'rejected', rowsRead: 0, errors: 1 });
    expect(report.problems[0]).toMatchObject({ severity: 'error', column: null, value: null });
    expect(report.problems[0].rule).toMatch(/^the file cannot be read: not valid JSON/);
  });

  it('links stored unlinked statements once a roster names their actor', async () => {
    const newStudent = pseudonymizer.pseudonym('stu-xq-0077');
    const links = await t.warehouse.exclusive(async (session) => {
      // What a OneRoster load leaves behind, written where the roster feed writes it.
      await session.run('BEGIN TRANSACTION');
      await session.run(`INSERT INTO students (student_pid, sex) VALUES ($1, 'male')`, [newStudent]);
      await session.run(
        `INSERT INTO student_identities (id_type, id_pid, student_pid) VALUES ('LearningApp', $1, $2)`,
        [pseudonymizer.pseudonym(RAW.unknown), newStudent],
      );
      await session.run(
        `INSERT INTO enrolments (student_pid, school_code, academic_year, grade) VALUES ($1, $2, 2025, 'J1')`,
        [newStudent, SCHOOL_B],
      );
      await session.run('COMMIT');
      const staging = await Staging.open(session, randomUUID(), pseudonymizer);
      try {
        await session.run('BEGIN TRANSACTION');
        const result = await linkUnlinkedActivity(session, staging);
        await session.run('COMMIT');
        return result;
      } finally {
        await staging.close();
      }
    });
    expect(links).toEqual({ linkedStatements: 2, schoolsSet: 2 });
    expect(await activityOf(ids[3])).toMatchObject({
      actor_pid: pseudonymizer.pseudonym(RAW.unknown),
      student_pid: newStudent,
      school_code: SCHOOL_B,
    });
    expect(await count('SELECT count(*) AS n FROM learning_activity WHERE student_pid IS NULL')).toBe(0);
    // The mbox student's 2026 statement keeps no school: there is still no enrolment that year.
    expect(await activityOf(ids[2])).toMatchObject({ school_code: null });
  });

  it('stores no raw actor ID, mbox, name or homePage: not in the warehouse, not in a report, not in the control plane', async () => {
    const needles = Object.values(RAW).concat('hanako.yamada@example.jp');
    const columns = await t.warehouse.all<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' AND data_type = 'VARCHAR'`,
    );
    expect(columns.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const { table_name, column_name } of columns) {
      for (const needle of needles) {
        const n = await count(
          `SELECT count(*) AS n FROM "${table_name}" WHERE strpos("${column_name}", '${needle.replace(/'/g, "''")}') > 0`,
        );
        if (n > 0) found.push(`${table_name}.${column_name} holds ${needle}`);
      }
    }
    const tables: { table_name: string }[] = await t.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((r) => r.table_name)).toEqual(expect.arrayContaining(['ingest_batches']));
    for (const { table_name } of tables) {
      const rows: { text: string }[] = await t.dataSource.query(
        `SELECT row_to_json(x)::text AS text FROM "${table_name}" x`,
      );
      for (const needle of needles)
        if (rows.some((r) => r.text.includes(needle))) found.push(`PostgreSQL ${table_name} holds ${needle}`);
    }
    expect(found).toEqual([]);
    // The scan sees what is there: a pseudonym in the warehouse, a file name in the control plane.
    expect(
      await count(
        `SELECT count(*) AS n FROM learning_activity WHERE strpos(actor_pid, '${pseudonymizer.pseudonym(RAW.unknown)}') > 0`,
      ),
    ).toBe(2);
    const files: { text: string }[] = await t.dataSource.query(
      `SELECT row_to_json(x)::text AS text FROM ingest_files x`,
    );
    expect(files.some((r) => r.text.includes('statements.ndjson'))).toBe(true);
  });
});
