import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { UsersService } from '../../src/auth/users.service.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ensurePseudonymKey } from '../../src/config/pseudonym-key.js';
import { generateMunicipality } from '../../src/demo/demo-generator.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import { projectRoot } from '../../src/common/project-root.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface TruthRow {
  schoolCode: string;
  dims: Record<string, string>;
  value: number;
}
interface Truth {
  schools: { code: string; name: string; type: string }[];
  academicYears: number[];
  answers: Record<string, Record<string, TruthRow[]>>;
}
interface AnswerView {
  questionId: string;
  code: string;
  value: unknown;
  source: string;
  prefilledValue: unknown;
  lastYearValue: unknown;
  provenance: { metric: string; batches: string[] } | null;
  confirmed: boolean;
  dataChangedSinceConfirmed: boolean;
  findings: { rule: string; severity: string; explanation?: string }[];
  version: number;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const cellsOf = (rows: TruthRow[], school: string, dims: string[]) => {
  const cells = new Map<string, number>();
  for (const row of rows.filter((r) => r.schoolCode === school)) {
    const key = JSON.stringify(dims.map((d) => [d, row.dims[d]]));
    cells.set(key, (cells.get(key) ?? 0) + row.value);
  }
  return cells;
};
const cellsOfAnswer = (value: { dims: Record<string, string>; value: number }[], dims: string[]) =>
  new Map(value.filter((c) => c.value !== 0).map((c) => [JSON.stringify(dims.map((d) => [d, c.dims[d]])), c.value]));

/** Surveys answered from data, end to end on a generated municipality (real PostgreSQL/PGlite and DuckDB). */
describe('surveys answered from data', () => {
  let t: TestApp;
  let truth: Truth;
  let dir: string;
  let surveyId: string;
  let schoolA: string;
  let schoolB: string;
  let tokenA: string;
  let tokenB: string;
  const survey = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'survey-mext.json'), 'utf8'));

  beforeAll(async () => {
    t = await startTestApp();
    dir = join(t.stores.dir, 'municipality');
    await generateMunicipality({ schools: 6, students: 1500, years: 2, seed: 11, outDir: dir });
    truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
    ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
    const report = await requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(dir, CLI_ACTOR));
    expect(report.status).toBe('loaded');
    [schoolA, schoolB] = truth.schools.map((s) => s.code);
    const users = t.app.get(UsersService);
    tokenA = (
      await requestContext.run(CLI_ACTOR, () =>
        users.createUser({ name: 'gen-a', role: 'school', schoolCode: schoolA }),
      )
    ).token.secret;
    tokenB = (
      await requestContext.run(CLI_ACTOR, () =>
        users.createUser({ name: 'gen-b', role: 'school', schoolCode: schoolB }),
      )
    ).token.secret;
    const created = await t.http().post('/api/surveys').set(bearer(t.tokens.board)).send(survey).expect(201);
    surveyId = created.body.survey.id;
    const issued = await t.http().post(`/api/surveys/${surveyId}/issue`).set(bearer(t.tokens.board)).expect(200);
    expect(issued.body.responses).toBe(truth.schools.length);
  });
  afterAll(async () => t.close());

  const responseOf = async (token: string, school: string) =>
    (await t.http().get(`/api/surveys/${surveyId}/responses/${school}`).set(bearer(token)).expect(200)).body;
  const answer = (response: { answers: AnswerView[] }, code: string) => response.answers.find((a) => a.code === code)!;

  it('pre-fills every school’s MEXT long-term-absence and School Basic Survey items with exactly the truth', async () => {
    const year = truth.answers['2025'];
    for (const school of truth.schools) {
      const response = await responseOf(t.tokens.board, school.code);
      expect(cellsOfAnswer(answer(response, 'students').value as never, ['grade', 'sex'])).toEqual(
        cellsOf(year['enrolment.students'], school.code, ['grade', 'sex']),
      );
      expect(cellsOfAnswer(answer(response, 'classes').value as never, ['grade', 'kind'])).toEqual(
        cellsOf(year['enrolment.classes'], school.code, ['grade', 'kind']),
      );
      expect(cellsOfAnswer(answer(response, 'lta').value as never, ['grade', 'sex', 'reason'])).toEqual(
        cellsOf(year['attendance.long_term_absence'], school.code, ['grade', 'sex', 'reason']),
      );
      const lta = year['attendance.long_term_absence'].filter((r) => r.schoolCode === school.code);
      expect(answer(response, 'lta_total').value).toBe(lta.reduce((s, r) => s + r.value, 0));
      expect(answer(response, 'futoko').value).toBe(
        lta.filter((r) => r.dims.reason === 'non_attendance').reduce((s, r) => s + r.value, 0),
      );
      const band = year['attendance.futoko_severity'].find(
        (r) => r.schoolCode === school.code && r.dims.band === 'absent_90_plus',
      );
      expect(answer(response, 'futoko_90').value).toBe(band?.value ?? 0);
      expect(answer(response, 'students').provenance).toMatchObject({
        metric: 'enrolment.students',
        batches: [expect.stringMatching(/^[0-9a-f-]{36}$/)],
      });
      expect(answer(response, 'counsellor_days')).toMatchObject({
        value: null,
        source: 'manual',
        prefilledValue: null,
      });
      // As issued: the pre-filled figure is the figure; nothing confirmed, changed or explained yet.
      expect(answer(response, 'lta_total')).toMatchObject({
        source: 'prefilled',
        prefilledValue: answer(response, 'lta_total').value,
        version: 1,
      });
    }
    const [fresh] = await t.dataSource.query<Record<string, unknown>[]>(
      `SELECT count(*)::int AS answers,
              count(*) FILTER (WHERE a.source = 'prefilled' AND a.prefilled_value IS DISTINCT FROM a.value)::int AS prefilled_differs,
              count(*) FILTER (WHERE a.source = 'manual' AND (a.value IS NOT NULL OR a.prefilled_value IS NOT NULL))::int AS manual_filled,
              count(*) FILTER (WHERE a.confirmed_at IS NOT NULL OR a.confirmed_prefill IS NOT NULL OR a.change_reason IS NOT NULL
                                 OR a.explanations <> '{}'::jsonb OR a.updated_by IS NOT NULL OR a.version <> 1)::int AS touched
       FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id WHERE r.survey_id = $1`,
      [surveyId],
    );
    expect(fresh).toEqual({ answers: expect.any(Number), prefilled_differs: 0, manual_filled: 0, touched: 0 });
    expect(fresh.answers).toBeGreaterThan(0);
    // The batches behind the figures are stored once, as sets the answers name (the page and API give them back).
    const [stored] = await t.dataSource.query<Record<string, number>[]>(
      `SELECT count(*) FILTER (WHERE a.provenance ? 'batches')::int AS inline,
              count(*) FILTER (WHERE a.provenance IS NOT NULL AND s.id IS NULL)::int AS unnamed,
              count(DISTINCT s.id)::int AS sets
       FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
       LEFT JOIN provenance_batch_sets s ON s.id = a.provenance->>'batchSet' WHERE r.survey_id = $1`,
      [surveyId],
    );
    expect(stored).toEqual({ inline: 0, unnamed: 0, sets: 1 });
  });

  it('shows the evidence behind a figure by grade and homeroom, for that school only', async () => {
    const response = await responseOf(t.tokens.board, schoolB);
    const lta = answer(response, 'lta_total');
    const evidence = await t
      .http()
      .get(`/api/responses/${response.id}/answers/${lta.questionId}/evidence`)
      .set(bearer(t.tokens.board))
      .expect(200);
    expect(evidence.body.available).toBe(true);
    expect(evidence.body.rows).toHaveLength(lta.value as number);
    expect(evidence.body.breakdown.reduce((s: number, b: { rows: number }) => s + b.rows, 0)).toBe(lta.value);
    for (const row of evidence.body.rows)
      expect(row).toMatchObject({ student: expect.stringMatching(/^[0-9a-f]{10}$/), absent_days: expect.any(Number) });
    const futoko = answer(response, 'futoko');
    const filtered = await t
      .http()
      .get(`/api/responses/${response.id}/answers/${futoko.questionId}/evidence`)
      .set(bearer(t.tokens.board))
      .expect(200);
    expect(filtered.body.rows).toHaveLength(futoko.value as number);
    expect(filtered.body.rows.every((r: { reason: string }) => r.reason === 'non_attendance')).toBe(true);
    await t
      .http()
      .get(`/api/responses/${response.id}/answers/${lta.questionId}/evidence`)
      .set(bearer(tokenA))
      .expect(403);
  });

  it('keeps a school to its own response', async () => {
    await t.http().get(`/api/surveys/${surveyId}/responses/${schoolB}`).set(bearer(tokenA)).expect(403);
    const b = await responseOf(t.tokens.board, schoolB);
    await t.http().get(`/api/responses/${b.id}`).set(bearer(tokenA)).expect(403);
    await t
      .http()
      .put(`/api/responses/${b.id}/answers/${answer(b, 'counsellor_days').questionId}`)
      .set(bearer(tokenA))
      .send({ value: 3, version: 1 })
      .expect(403);
    await t.http().get(`/api/responses/${b.id}`).set(bearer(t.tokens.analyst)).expect(403);
  });

  it('takes a change only with a reason, answers a stale write with 409, and audits old → new with the reason', async () => {
    const response = await responseOf(tokenA, schoolA);
    expect(response.status).toBe('in_progress');
    const students = answer(response, 'students');
    const changed = (students.value as { dims: Record<string, string>; value: number }[]).map((c, i) =>
      i === 0 ? { ...c, value: c.value + 1 } : c,
    );
    const url = `/api/responses/${response.id}/answers/${students.questionId}`;
    const noReason = await t
      .http()
      .put(url)
      .set(bearer(tokenA))
      .send({ value: changed, version: students.version })
      .expect(400);
    expect(noReason.body.error.fields).toEqual([expect.objectContaining({ field: 'reason' })]);
    const ok = await t
      .http()
      .put(url)
      .set(bearer(tokenA))
      .send({ value: changed, reason: '5月1日に転入生1名', version: students.version })
      .expect(200);
    expect(answer(ok.body, 'students')).toMatchObject({ source: 'changed', confirmed: true });
    const stale = await t
      .http()
      .put(url)
      .set(bearer(tokenA))
      .send({ value: changed, reason: 'again', version: students.version })
      .expect(409);
    expect(stale.body.error.code).toBe('SURVEY_RESPONSE_STALE');
    const [event] = await t.dataSource
      .getRepository(AuditEvent)
      .find({ where: { action: 'answer.change', actorSchoolCode: schoolA } });
    expect(event).toMatchObject({
      reason: '5月1日に転入生1名',
      before: { question: 'students', source: 'prefilled' },
      after: { question: 'students', source: 'changed' },
    });
  });

  it('writes no row for a question a person answers until someone does, then one, under the id its audit row names', async () => {
    const school = truth.schools[2].code;
    const token = (
      await requestContext.run(CLI_ACTOR, () =>
        t.app.get(UsersService).createUser({ name: 'gen-c', role: 'school', schoolCode: school }),
      )
    ).token.secret;
    const response = await responseOf(token, school);
    const counsellor = answer(response, 'counsellor_days');
    const stored = () =>
      t.dataSource.query<{ id: string; value: unknown; version: number }[]>(
        'SELECT id, value, version FROM survey_answers WHERE response_id = $1 AND question_id = $2',
        [response.id, counsellor.questionId],
      );
    // Issued: the question reads as empty, and nothing is stored for it.
    expect(counsellor).toMatchObject({ value: null, source: 'manual', version: 1 });
    expect(await stored()).toEqual([]);

    // Two tabs write the unanswered question at once, both at the version they read: one is written, the other is stale.
    const url = `/api/responses/${response.id}/answers/${counsellor.questionId}`;
    const statuses = (
      await Promise.all(
        [12, 13].map((value) => t.http().put(url).set(bearer(token)).send({ value, version: counsellor.version })),
      )
    ).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 409]);
    const [row] = await stored();
    expect([12, 13]).toContain(row.value);
    expect(row.version).toBe(2);
    const events = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ targetType: 'survey_answer', targetId: row.id, action: 'answer.type' });
    expect(events).toEqual([
      expect.objectContaining({ actorSchoolCode: school, after: expect.objectContaining({ value: row.value }) }),
    ]);

    // Read again: the stored answer, at its version; the next write updates it.
    const again = answer(await responseOf(token, school), 'counsellor_days');
    expect(again).toMatchObject({ value: row.value, version: 2 });
    await t.http().put(url).set(bearer(token)).send({ value: 20, version: 2 }).expect(200);
    expect(await stored()).toEqual([{ id: row.id, value: 20, version: 3 }]);
  });

  it('blocks submission on an error, asks for an explanation on a query, then submits', async () => {
    let response = await responseOf(tokenA, schoolA);
    const base = `/api/responses/${response.id}/answers`;
    const counsellor = answer(response, 'counsellor_days');
    response = (
      await t
        .http()
        .put(`${base}/${counsellor.questionId}`)
        .set(bearer(tokenA))
        .send({ value: 400, version: counsellor.version })
        .expect(200)
    ).body;
    expect(answer(response, 'counsellor_days').findings).toEqual([
      expect.objectContaining({ severity: 'error', rule: '0:range' }),
    ]);
    expect(response.canSubmit).toBe(false);
    const blocked = await t
      .http()
      .post(`/api/responses/${response.id}/submit`)
      .set(bearer(tokenA))
      .send({ version: response.version })
      .expect(422);
    expect(blocked.body.error.code).toBe('SURVEY_SUBMISSION_BLOCKED');
    expect(blocked.body.error.fields.map((f: { field: string }) => f.field)).toContain('answers.counsellor_days');
    response = (
      await t
        .http()
        .put(`${base}/${counsellor.questionId}`)
        .set(bearer(tokenA))
        .send({ value: 35, version: answer(response, 'counsellor_days').version })
        .expect(200)
    ).body;

    const total = answer(response, 'lta_total');
    const raised = (total.value as number) + 10;
    response = (
      await t
        .http()
        .put(`${base}/${total.questionId}`)
        .set(bearer(tokenA))
        .send({ value: raised, reason: '他市からの転入生を含む', version: total.version })
        .expect(200)
    ).body;
    // The reason for the change is the query's note too: one reason, asked once.
    expect(answer(response, 'lta_total').findings).toEqual([
      expect.objectContaining({
        severity: 'query',
        rule: '1:change_from_prefill',
        explanation: '他市からの転入生を含む',
      }),
    ]);
    expect(response.canSubmit).toBe(true);
    response = (
      await t
        .http()
        .post(`${base}/${total.questionId}/explanations`)
        .set(bearer(tokenA))
        .send({
          rule: '1:change_from_prefill',
          text: '転入生10名分を加えた',
          version: answer(response, 'lta_total').version,
        })
        .expect(200)
    ).body;
    expect(answer(response, 'lta_total').findings[0].explanation).toBe('転入生10名分を加えた');
    expect(response.canSubmit).toBe(true);

    // データのとおり確認: a stale version names the answers that moved; the current one confirms the rest.
    const confirmAll = `/api/responses/${response.id}/confirm-all`;
    const stale = await t
      .http()
      .post(confirmAll)
      .set(bearer(tokenA))
      .send({ version: response.version - 1 })
      .expect(409);
    expect(stale.body.error.code).toBe('SURVEY_RESPONSE_STALE');
    response = (await t.http().post(confirmAll).set(bearer(tokenA)).send({ version: response.version }).expect(200))
      .body;
    expect(response.answers.filter((a: AnswerView) => !a.confirmed).map((a: AnswerView) => a.code)).toEqual([]);
    expect(answer(response, 'lta_total')).toMatchObject({ source: 'changed', value: raised });
    const submitted = await t
      .http()
      .post(`/api/responses/${response.id}/submit`)
      .set(bearer(tokenA))
      .send({ version: response.version })
      .expect(200);
    expect(submitted.body.status).toBe('submitted');
    const late = await t
      .http()
      .put(`${base}/${counsellor.questionId}`)
      .set(bearer(tokenA))
      .send({ value: 1, version: answer(submitted.body, 'counsellor_days').version })
      .expect(409);
    expect(late.body.error.code).toBe('SURVEY_RESPONSE_SUBMITTED');

    const status = await t.http().get(`/api/surveys/${surveyId}/status`).set(bearer(t.tokens.board)).expect(200);
    expect(status.body.schools.find((s: { schoolCode: string }) => s.schoolCode === schoolA).status).toBe('submitted');
    expect(status.body.counts.submitted).toBe(1);
    const burden = await t.http().get(`/api/surveys/${surveyId}/burden`).set(bearer(t.tokens.board)).expect(200);
    expect(burden.body.schools.find((s: { schoolCode: string }) => s.schoolCode === schoolA)).toMatchObject({
      changed: 2,
      manual: 1,
      prefilled: 4,
    });
    const csv = await t
      .http()
      .get(`/api/surveys/${surveyId}/results?format=csv`)
      .set(bearer(t.tokens.board))
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv; charset=utf-8/);
    expect(csv.text.startsWith('\uFEFF学校コード,学校名,状況')).toBe(true);
    expect(csv.text).toContain(`${schoolA},`);
    // For people: questions and grid cells in words, statuses as words; no code where a label exists.
    const header = csv.text.split('\r\n')[0];
    expect(header).toContain('学年別・男女別児童生徒数_小1_男');
    expect(header).not.toMatch(/\[grade=|P1|female|not_opened|in_progress/);
    expect(csv.text).toMatch(/,(回答中|未開封|提出済み),/);
    // For programs: the same figures under codes.
    const codes = await t
      .http()
      .get(`/api/surveys/${surveyId}/results?format=csv-codes`)
      .set(bearer(t.tokens.board))
      .expect(200);
    expect(codes.text.startsWith('\uFEFFschool_code,school_name,status,')).toBe(true);
    expect(codes.text.split('\r\n')[0]).toContain('students[grade=P1,sex=male]');
    expect(codes.text).toMatch(/,(in_progress|not_opened|submitted),/);
    expect(codes.text.split('\r\n').length).toBe(csv.text.split('\r\n').length);
  });

  it('compares with last year’s figure wherever the warehouse holds the school that year: 0 where it had no row, unknown before the first year loaded', async () => {
    const metric = 'attendance.futoko_severity';
    const question = {
      code: 'futoko_bands',
      text: { ja: '不登校児童生徒数(欠席日数別)', en: 'Futoko students by absence days' },
      type: 'grid',
      gridDims: ['band'],
      binding: { metric },
      rules: [{ severity: 'query', check: 'change_from_last_year', threshold: 0.5 }],
    };
    const issue = async (academicYear: number) => {
      const body = {
        ...survey,
        title: { ja: `前年度比較 ${academicYear}`, en: `Compared with last year ${academicYear}` },
        academicYear,
        asOfDate: `${academicYear + 1}-03-31`,
        deadline: `${academicYear + 1}-05-29`,
        questions: [question],
      };
      const created = await t.http().post('/api/surveys').set(bearer(t.tokens.board)).send(body).expect(201);
      await t.http().post(`/api/surveys/${created.body.survey.id}/issue`).set(bearer(t.tokens.board)).expect(200);
      return created.body.survey.id as string;
    };
    const answerOf = async (id: string, school: string) =>
      answer(
        (await t.http().get(`/api/surveys/${id}/responses/${school}`).set(bearer(t.tokens.board)).expect(200)).body,
        'futoko_bands',
      );
    const total = (year: number, school: string) =>
      (truth.answers[String(year)][metric] ?? [])
        .filter((r) => r.schoolCode === school)
        .reduce((n, r) => n + r.value, 0);
    const [first, latest] = truth.academicYears;

    // The year before the first one loaded: last year's figure is unknown for every school, and nothing is compared.
    const earliest = await issue(first);
    for (const school of truth.schools) {
      const got = await answerOf(earliest, school.code);
      expect({ school: school.code, last: got.lastYearValue, findings: got.findings }).toEqual({
        school: school.code,
        last: null,
        findings: [],
      });
    }

    // Last year loaded: every school has last year's figure, an empty grid where it had no row for the metric (no
    // student of that kind), and a figure this year is then a change from 0.
    const id = await issue(latest);
    const hadRows = new Set((truth.answers[String(first)][metric] ?? []).map((r) => r.schoolCode));
    let fromZero = 0;
    for (const school of truth.schools) {
      const got = await answerOf(id, school.code);
      const cells = got.lastYearValue as { value: number }[];
      expect({ school: school.code, last: cells.reduce((n, c) => n + c.value, 0) }).toEqual({
        school: school.code,
        last: total(first, school.code),
      });
      if (hadRows.has(school.code)) continue;
      expect(cells).toEqual([]);
      const flagged = got.findings.some((f) => f.rule === '0:change_from_last_year');
      expect({ school: school.code, flagged }).toEqual({
        school: school.code,
        flagged: total(latest, school.code) > 0,
      });
      if (flagged) fromZero++;
    }
    expect(fromZero).toBeGreaterThan(0);
  });

  it('refreshes an unconfirmed pre-filled answer when new data arrives, and flags a confirmed one', async () => {
    let response = await responseOf(tokenB, schoolB);
    const ltaTotal = answer(response, 'lta_total');
    const before = ltaTotal.value as number;
    const futoko = answer(response, 'futoko');
    response = (
      await t
        .http()
        .post(`/api/responses/${response.id}/answers/${futoko.questionId}/confirm`)
        .set(bearer(tokenB))
        .send({ version: futoko.version })
        .expect(200)
    ).body;
    expect(answer(response, 'futoko').confirmed).toBe(true);

    // A student of school B with no absence at all becomes a long-term absentee for 不登校 (31 absences replace that student's rows of those days).
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const csv = (file: string) => `read_csv('${join(dir, file)}', all_varchar = true, header = true)`;
    const [student] = (
      await connection.runAndReadAll(
        `SELECT r.userSourcedId AS id FROM ${csv('oneroster/2025/roles.csv')} r JOIN ${csv('oneroster/2025/orgs.csv')} o ON o.sourcedId = r.orgSourcedId
         WHERE r.role = 'student' AND o.identifier = '${schoolB}'
           AND r.userSourcedId NOT IN (SELECT student_id FROM ${csv('attendance.csv')} WHERE status = 'absent')
         ORDER BY 1 LIMIT 1`,
      )
    ).getRowObjectsJS() as { id: string }[];
    connection.closeSync();
    instance.closeSync();
    expect(student).toBeDefined();
    const days = readFileSync(join(dir, 'school_calendar.csv'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith(`${schoolB},`) && l.split(',')[1] >= '2025-04-01')
      .slice(0, 31);
    const folder = join(t.stores.dir, 'new-data');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'attendance.csv'),
      [
        'school_code,student_id,date,status,reason',
        ...days.map((d) => `${schoolB},${student.id},${d.split(',')[1]},absent,non_attendance`),
      ].join('\n'),
    );
    const report = await requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(folder, CLI_ACTOR));
    expect(report.status).toBe('loaded');

    response = await responseOf(tokenB, schoolB);
    expect(answer(response, 'lta_total')).toMatchObject({
      value: before + 1,
      prefilledValue: before + 1,
      confirmed: false,
    });
    expect(answer(response, 'futoko')).toMatchObject({
      value: futoko.value,
      prefilledValue: (futoko.value as number) + 1,
      confirmed: true,
      dataChangedSinceConfirmed: true,
    });
    expect(answer(response, 'lta_total').provenance!.batches).toContain(report.batchId);
  });

  it('warns about a duplicate request in the same year and suggests binding a typed question the catalogue can answer', async () => {
    const second = {
      ...survey,
      title: { ja: '不登校の追加調査', en: 'Follow-up on non-attendance' },
      questions: [
        {
          code: 'futoko',
          text: { ja: '不登校児童生徒数', en: 'Futoko students' },
          type: 'integer',
          binding: { metric: 'attendance.long_term_absence', filter: { reason: 'non_attendance' } },
        },
        {
          code: 'typed',
          text: { ja: '貴校の長期欠席者数を記入してください', en: 'Long-term absentees at your school' },
          type: 'integer',
        },
      ],
    };
    const created = await t.http().post('/api/surveys').set(bearer(t.tokens.board)).send(second).expect(201);
    expect(created.body.warnings).toEqual([
      expect.objectContaining({ kind: 'duplicate_request', question: 'futoko', otherSurveyId: surveyId }),
      expect.objectContaining({ kind: 'bind_suggestion', question: 'typed', metric: 'attendance.long_term_absence' }),
    ]);
  });

  it('refuses a survey whose binding does not fit its metric, naming the field', async () => {
    const bad = {
      ...survey,
      questions: [
        {
          code: 'q1',
          text: { ja: 'x', en: 'x' },
          type: 'integer',
          binding: { metric: 'attendance.rate', filter: { grade: 'P1' } },
        },
      ],
    };
    const response = await t.http().post('/api/surveys').set(bearer(t.tokens.board)).send(bad).expect(400);
    expect(response.body.error.fields).toEqual([expect.objectContaining({ field: 'questions.0.binding.filter' })]);
    const missing = await t
      .http()
      .post('/api/surveys')
      .set(bearer(t.tokens.board))
      .send({ ...survey, academicYear: 'next' })
      .expect(400);
    expect(missing.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['academicYear']);
  });
});
