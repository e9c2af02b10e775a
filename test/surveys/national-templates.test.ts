import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { projectRoot } from '../../src/common/project-root.js';
import { EvidenceService } from '../../src/surveys/evidence.service.js';
import { ResponsesService } from '../../src/surveys/responses.service.js';
import { SurveysService } from '../../src/surveys/surveys.service.js';
import { loadTemplate, surveyFromTemplate, templateCoverage } from '../../src/surveys/survey-templates.js';
import type { CreateSurveyDto } from '../../src/surveys/dto/create-survey.dto.js';
import type { GridCell } from '../../src/surveys/survey.types.js';
import { loadMunicipality } from '../support/municipality.js';
import { cliEnvironment, freshStores, type TestStores } from '../support/stores.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface TruthRow {
  schoolCode: string;
  dims: Record<string, string>;
  value: number;
}
interface Truth {
  academicYears: number[];
  schools: { code: string; type: string }[];
  answers: Record<string, Record<string, TruthRow[]>>;
}

const TEMPLATES = [
  'mext-seito-shido-elementary',
  'mext-seito-shido-junior-high',
  'mext-gakko-kihon-elementary',
  'mext-gakko-kihon-junior-high',
];

const keep = (dims: Record<string, string>, filter: Record<string, string | string[]>) =>
  Object.entries(filter).every(([d, want]) => (Array.isArray(want) ? want.includes(dims[d]) : dims[d] === want));
const cellKey = (dims: string[], values: Record<string, string>) => JSON.stringify(dims.map((d) => [d, values[d]]));

/**
 * The national templates issued on a generated municipality loaded through the real ingest: every bound
 * cell of every school's response is the figure truth.json says, and every judgement question is left to
 * the school. (truth.json is written by the generator from what it drew, not by Shirube's queries.)
 */
describe('national survey templates on the demo municipality (real stores)', () => {
  let t: TestApp;
  let truth: Truth;

  beforeAll(async () => {
    t = await startTestApp();
    truth = await loadMunicipality<Truth>(t, { schools: 6, students: 1500, years: 2, seed: 5 });
  });
  afterAll(async () => t.close());

  it('pre-fills every bound cell of both national surveys, for every school, with the figure in truth.json', async () => {
    const year = truth.academicYears[truth.academicYears.length - 1];
    const surveys = t.app.get(SurveysService);
    const responses = t.app.get(ResponsesService);
    let cells = 0;
    let boundCells = 0;
    let evidenced = 0;
    let lastYearCompared = 0;
    // Metrics whose evidence lists one row per counted unit (case, record or student).
    const oneRowEach = new Set([
      'enrolment.special_needs_students',
      'enrolment.special_needs_students_by_disability',
      'attendance.futoko_attendance',
      'attendance.counted_present',
      'attendance.counted_present_by_place',
      'guidance.bullying_recognised',
      'guidance.violence_incidents',
      'guidance.violence_students',
    ]);
    const nonZeroByQuestion = new Map<string, number>();
    for (const name of TEMPLATES) {
      const template = loadTemplate(name)!;
      const body = surveyFromTemplate(template, { academicYear: year });
      const { survey } = await requestContext.run(CLI_ACTOR, () =>
        surveys.create(body as unknown as CreateSurveyDto, CLI_ACTOR),
      );
      const issued = await requestContext.run(CLI_ACTOR, () => surveys.issue(survey.id));
      const schoolType = name.endsWith('elementary') ? 'elementary' : 'junior_high';
      const schools = truth.schools.filter((s) => s.type === schoolType).map((s) => s.code);
      expect(schools.length).toBeGreaterThan(0);
      expect(issued.responses).toBe(schools.length);
      boundCells += templateCoverage(template).overall.bound * schools.length;

      for (const school of schools) {
        const view = await requestContext.run(CLI_ACTOR, () => responses.findFor(CLI_ACTOR, survey.id, school));
        for (const question of template.questions) {
          const answer = view.answers.find((a) => a.code === question.code)!;
          const posted = body.questions.find((q) => q.code === question.code)!;
          if (!question.binding) {
            // Left to the school: nothing pre-filled, nothing claimed to come from data.
            expect({ code: question.code, bound: answer.bound, value: answer.value }).toEqual({
              code: question.code,
              bound: false,
              value: null,
            });
            continue;
          }
          const filter = posted.binding!.filter ?? {};
          const rows = (truth.answers[String(year)][question.binding.metric] ?? []).filter(
            (r) => r.schoolCode === school && keep(r.dims, filter),
          );
          expect(answer.source).toBe('prefilled');
          expect(answer.provenance).toMatchObject({ metric: question.binding.metric, academicYear: year });
          // The batches behind the figure (the demo's one load): named wherever the school has rows for the metric.
          expect(answer.provenance!.batches.every((b) => /^[0-9a-f-]{36}$/.test(b))).toBe(true);
          if (rows.length > 0) expect(answer.provenance!.batches).toHaveLength(1);
          // Last year's figure, kept only beside a question whose rule compares with it.
          const comparesLastYear = (posted.rules ?? []).some((rule) => rule.check === 'change_from_last_year');
          if (!comparesLastYear)
            expect({ code: question.code, last: answer.lastYearValue }).toEqual({ code: question.code, last: null });
          else {
            const dims = question.gridDims!;
            const before = new Map<string, number>();
            for (const r of (truth.answers[String(year - 1)][question.binding.metric] ?? []).filter(
              (r) => r.schoolCode === school && keep(r.dims, filter),
            ))
              before.set(cellKey(dims, r.dims), (before.get(cellKey(dims, r.dims)) ?? 0) + r.value);
            // The demo loads every school both years: last year's figure is known for each, an empty grid where the
            // school had no row for the metric last year (nothing of that kind happened there).
            expect(answer.lastYearValue).not.toBeNull();
            const got = ((answer.lastYearValue ?? []) as GridCell[]).filter((c) => c.value !== 0);
            expect(Object.fromEntries(got.map((c) => [cellKey(dims, c.dims), c.value]))).toEqual(
              Object.fromEntries([...before].filter(([, v]) => v !== 0)),
            );
            lastYearCompared += got.length;
          }
          const total = rows.reduce((sum, r) => sum + r.value, 0);
          if (oneRowEach.has(question.binding.metric) && total > 0) {
            // The rows behind the figure, for this school only: as many as the figure counts.
            const evidence = await requestContext.run(CLI_ACTOR, () =>
              t.app.get(EvidenceService).evidence(CLI_ACTOR, view.id, answer.questionId),
            );
            expect({ code: question.code, rows: evidence.rows.length }).toEqual({ code: question.code, rows: total });
            evidenced++;
          }
          if (question.type === 'grid') {
            const dims = question.gridDims!;
            const expected = new Map<string, number>();
            for (const r of rows)
              expected.set(cellKey(dims, r.dims), (expected.get(cellKey(dims, r.dims)) ?? 0) + r.value);
            const got = new Map(
              (answer.value as GridCell[]).filter((c) => c.value !== 0).map((c) => [cellKey(dims, c.dims), c.value]),
            );
            expect({ name, school, code: question.code, cells: Object.fromEntries(got) }).toEqual({
              name,
              school,
              code: question.code,
              cells: Object.fromEntries([...expected].filter(([, v]) => v !== 0)),
            });
            // Every cell of the form, zero or not, is one compared cell.
            cells += Object.values(question.cells!).reduce((n, values) => n * values.length, 1);
            nonZeroByQuestion.set(
              `${name}:${question.code}`,
              (nonZeroByQuestion.get(`${name}:${question.code}`) ?? 0) + got.size,
            );
          } else {
            const expected = rows.reduce((sum, r) => sum + r.value, 0);
            expect({ name, school, code: question.code, value: answer.value }).toEqual({
              name,
              school,
              code: question.code,
              value: expected,
            });
            cells += 1;
          }
        }
      }
    }
    // Every bound cell of every school's form was compared.
    expect(cells).toBe(boundCells);
    expect(cells).toBeGreaterThan(800);
    expect(evidenced).toBeGreaterThan(20);
    expect(lastYearCompared).toBeGreaterThan(20);
    // The demo holds data for the new items: the comparison is not of zeros with zeros.
    for (const code of [
      'mext-seito-shido-junior-high:futoko_90',
      'mext-seito-shido-junior-high:futoko_90_attended',
      'mext-seito-shido-junior-high:futoko_counted_present',
      'mext-seito-shido-elementary:bullying',
      'mext-seito-shido-elementary:bullying_found',
      'mext-seito-shido-elementary:bullying_resolution',
      'mext-seito-shido-junior-high:violence',
      'mext-seito-shido-junior-high:violence_students',
      'mext-gakko-kihon-elementary:classes_single',
      'mext-gakko-kihon-elementary:students_special',
      'mext-gakko-kihon-elementary:classes_special',
      'mext-gakko-kihon-elementary:students_special_disability',
      'mext-gakko-kihon-junior-high:classes_special',
      'mext-gakko-kihon-junior-high:students_special_disability',
    ])
      expect({ code, nonZero: (nonZeroByQuestion.get(code) ?? 0) > 0 }).toEqual({ code, nonZero: true });
  });

  it('gives the survey builder the templates, their coverage and the body of POST /api/surveys', async () => {
    const list = await t
      .http()
      .get('/api/survey-templates')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .expect(200);
    const listed = list.body as { name: string; overall: object }[];
    expect(listed.map((x) => x.name)).toEqual(expect.arrayContaining(TEMPLATES));
    expect(listed.find((x) => x.name === 'mext-seito-shido-elementary')!.overall).toEqual({
      bound: 139,
      total: 155,
      ratio: 139 / 155,
    });
    const one = await t
      .http()
      .get('/api/survey-templates/mext-gakko-kihon-junior-high?academicYear=2025')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .expect(200);
    const template = one.body as {
      sections: { code: string; bound: number }[];
      survey: { asOfDate: string; questions: unknown[] };
    };
    expect(template.sections.map((s) => [s.code, s.bound])).toEqual([
      ['classes', 12],
      ['students', 26],
      ['staff', 0],
    ]);
    expect(template.survey.asOfDate).toBe('2025-05-01');
    const created = await t
      .http()
      .post('/api/surveys')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .send(template.survey)
      .expect(201);
    expect((created.body as { questions: unknown[] }).questions).toHaveLength(template.survey.questions.length);
    await t
      .http()
      .get('/api/survey-templates/no-such-form?academicYear=2025')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .expect(404);
    await t
      .http()
      .get('/api/survey-templates/mext-gakko-kihon-junior-high')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .expect(400);
    await t.http().get('/api/survey-templates').set('Authorization', `Bearer ${t.tokens.analyst}`).expect(403);
  });

  it('prints the coverage of a template from the command line, as text and as JSON', async () => {
    const run = promisify(execFile);
    const bin = join(projectRoot(), 'bin', 'shirube.js');
    const text = await run(process.execPath, [bin, 'survey', 'coverage', 'mext-seito-shido-junior-high']);
    expect(text.stdout).toMatch(/長期欠席\S*\s+30 \/ 30\s+100\.0%/);
    expect(text.stdout).toMatch(/不登校\S*\s+17 \/ 17\s+100\.0%/);
    expect(text.stdout).toMatch(/全体\S*\s+88 \/ 104\s+84\.6%/);
    const json = JSON.parse(
      (await run(process.execPath, [bin, 'survey', 'coverage', 'mext-gakko-kihon-elementary', '--json'])).stdout,
    ) as { overall: object; sections: { code: string; bound: number; total: number }[] };
    expect(json.overall).toEqual({ bound: 56, total: 92, ratio: 56 / 92 });
    expect(json.sections.map((s) => [s.code, s.bound, s.total])).toEqual([
      ['classes', 18, 18],
      ['students', 38, 38],
      ['staff', 0, 36],
    ]);
    await expect(run(process.execPath, [bin, 'survey', 'coverage', 'no-such-form'])).rejects.toThrow(
      'no survey template no-such-form',
    );
  });
});

describe('shirube survey create --template', () => {
  let stores: TestStores;
  beforeAll(async () => {
    stores = await freshStores();
  });
  afterAll(async () => stores.cleanup());

  it('creates a draft survey of a national form for a school year, and names a missing year or template', async () => {
    const run = promisify(execFile);
    const bin = join(projectRoot(), 'bin', 'shirube.js');
    const env = cliEnvironment(stores);
    const shirube = (...args: string[]) => run(process.execPath, [bin, ...args], { env, cwd: stores.dir });
    await shirube('migrate');
    const created = JSON.parse(
      (await shirube('survey', 'create', '--template', 'mext-seito-shido-junior-high', '--year', '2025', '--json'))
        .stdout,
    ) as { survey: { title: { ja: string } }; questions: { code: string }[] };
    expect(created.survey).toMatchObject({
      academicYear: 2025,
      asOfDate: '2026-03-31',
      status: 'draft',
      targets: { kind: 'school_type', schoolTypes: ['junior_high'] },
    });
    expect(created.survey.title.ja).toBe(
      '令和7年度 (2025年度) 児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査(中学校)',
    );
    expect(created.questions.map((q) => q.code)).toEqual(
      loadTemplate('mext-seito-shido-junior-high')!.questions.map((q) => q.code),
    );
    await expect(shirube('survey', 'create', '--template', 'mext-seito-shido-junior-high')).rejects.toThrow(
      '--template needs --year',
    );
    await expect(shirube('survey', 'create', '--template', 'nope', '--year', '2025')).rejects.toThrow(
      'no survey template nope',
    );
  });
});
