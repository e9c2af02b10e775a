import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { CohortsService } from '../../src/cohorts/cohorts.service.js';
import { projectRoot } from '../../src/common/project-root.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { demoSurvey } from '../../src/demo/demo-survey.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { ChartRenderer } from '../../src/reports/chart-renderer.js';
import { countChromiumProcesses } from '../../src/reports/pdf-printer.js';
import { formatValue } from '../../src/reports/placeholders.js';
import { ReportDataService } from '../../src/reports/report-data.js';
import { loadReportTemplate, ReportTemplateError } from '../../src/reports/report-template.js';
import { checkReportTemplates } from '../../src/reports/reports.service.js';
import { SurveyReportsService } from '../../src/surveys/survey-reports.service.js';
import { SurveysService } from '../../src/surveys/surveys.service.js';
import { loadMunicipality } from '../support/municipality.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { codesIn } from '../support/labels.js';
import { SAME_ORIGIN, signIn } from '../support/web.js';

const run = promisify(execFile);
const bin = join(projectRoot(), 'bin', 'shirube.js');

interface Truth {
  schools: { code: string; name: string }[];
}

/** A response body as bytes (PDF, zip). */
const binary = (res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** The text of a PDF (poppler's pdftotext, which reads the Japanese back), lines joined. */
async function pdfText(pdf: Buffer, dir: string, name: string): Promise<string> {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const { stdout } = await run('pdftotext', ['-layout', file, '-']);
  return stdout;
}

/** pdftoppm makes a PNG of the first page: a printable, non-empty page. */
async function firstPagePng(pdf: Buffer, dir: string, name: string): Promise<number> {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  await run('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', '-singlefile', file, join(dir, name)]);
  return statSync(join(dir, `${name}.png`)).size;
}

/** A template folder `id` with this manifest, in a fresh temporary folder. */
function templateFolder(id: string, manifest: object): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'shirube-template-')), id);
  mkdirSync(dir);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('report templates rendered to PDF on the demo municipality (real stores, real Chromium)', () => {
  let t: TestApp;
  let truth: Truth;
  let work: string;
  let surveyId: string;
  const year = 2025;

  const render = async (id: string, params: Record<string, unknown>, token: string, expected = 200) => {
    const response = await t
      .http()
      .post(`/api/reports/${id}/render`)
      .set('Authorization', `Bearer ${token}`)
      .send({ params })
      .buffer(true)
      .parse(binary as never);
    if (response.status !== expected)
      throw new Error(
        `${id}: ${response.status} ${response.body instanceof Buffer ? response.body.toString('utf8').slice(0, 500) : JSON.stringify(response.body)}`,
      );
    return response;
  };

  beforeAll(async () => {
    t = await startTestApp();
    work = mkdtempSync(join(tmpdir(), 'shirube-report-test-'));
    truth = await loadMunicipality<Truth>(t, { schools: 12, students: 4000, years: 3, seed: 1 });
    const surveys = t.app.get(SurveysService);
    const { survey } = await requestContext.run(CLI_ACTOR, () =>
      surveys.create(demoSurvey(year, new Date()), CLI_ACTOR),
    );
    await requestContext.run(CLI_ACTOR, () => surveys.issue(survey.id));
    surveyId = survey.id;
  });
  afterAll(async () => {
    await t.close();
    // One browser for the process, closed with the app: nothing of ours is left running.
    expect(countChromiumProcesses({ launchedHere: true })).toBe(0);
  });

  it('lists the templates each role may render, with their parameters', async () => {
    const board = await t.http().get('/api/reports').set('Authorization', `Bearer ${t.tokens.board}`).expect(200);
    expect(board.body.map((r: { id: string }) => r.id).sort()).toEqual([
      'good-practice',
      'policy-evaluation',
      'school-profile',
      'survey-results',
    ]);
    expect(
      board.body.find((r: { id: string }) => r.id === 'school-profile').parameters.map((p: { name: string }) => p.name),
    ).toEqual(['academicYear', 'school']);
    const analyst = await t.http().get('/api/reports').set('Authorization', `Bearer ${t.tokens.analyst}`).expect(200);
    expect(analyst.body.map((r: { id: string }) => r.id).sort()).toEqual(['good-practice', 'policy-evaluation']);
    const school = await t.http().get('/api/reports').set('Authorization', `Bearer ${t.tokens.schoolA}`).expect(200);
    expect(school.body.map((r: { id: string }) => r.id)).toEqual(['school-profile']);
  });

  it('school-profile: the school’s exact enrolment, attendance rate and long-term absentees, as the metrics give them', async () => {
    const school = truth.schools[0];
    const response = await render('school-profile', { academicYear: year, school: school.code }, t.tokens.board);
    expect(response.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(response.body as Buffer, work, 'profile');
    expect(codesIn(text)).toEqual([]); // words, never codes (issue 15)
    const metrics = t.app.get(MetricsService);
    const sum = async (id: string) =>
      (await metrics.values(id, { academicYear: year, schools: [school.code] })).reduce((s, v) => s + v.value, 0);
    const [rate] = await metrics.values('attendance.rate', { academicYear: year, schools: [school.code] });
    expect(text).toContain('学校別プロフィール');
    expect(text).toContain(school.name);
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(`在籍者数は${formatValue(await sum('enrolment.students'), 'integer', { locale: 'ja' })}人`);
    expect(flat).toContain(`出席率は${formatValue(rate.value, 'percent', { locale: 'ja' })}`);
    expect(flat).toContain(
      `長期欠席者数は${formatValue(await sum('attendance.long_term_absence'), 'integer', { locale: 'ja' })}人`,
    );
    expect(text).toContain('開示制御をかけない正確な値');
    expect(await firstPagePng(response.body as Buffer, work, 'profile')).toBeGreaterThan(5_000);
  });

  it('policy-evaluation: the staggered-adoption effect of the cohort run, cited by its definition hash', async () => {
    const response = await render(
      'policy-evaluation',
      { programme: 'prog-support-room', academicYears: '2023,2024,2025' },
      t.tokens.analyst,
    );
    const text = await pdfText(response.body as Buffer, work, 'policy');
    expect(codesIn(text)).toEqual([]); // words, never codes (issue 15)
    const cohort = await requestContext.run(CLI_ACTOR, () =>
      t.app.get(CohortsService).query({
        population: { academicYears: [2023, 2024, 2025] },
        outcomes: ['attendance_rate'],
        analysis: {
          method: 'did_staggered',
          programme: 'prog-support-room',
          outcome: 'attendance_rate',
          comparison: 'never_treated',
        },
      }),
    );
    const overall = cohort.tables.effects.rows.find((r) => r.effect === 'overall')!;
    const flat = text.replace(/\s+/g, '');
    expect(text).toContain('施策評価報告書');
    expect(flat).toContain(
      `導入後の平均効果は${formatValue(overall.estimate, 'effect', { locale: 'ja', outcome: 'attendance_rate' })}`,
    );
    expect(flat).toContain(cohort.definitionHash);
    expect(text).toContain('対象者の推移');
    expect(text).toContain('1〜7人に関する統計値は秘匿しています');
    expect(await firstPagePng(response.body as Buffer, work, 'policy')).toBeGreaterThan(5_000);
  });

  it('good-practice: funnel plot, value-added and the flagged schools by name', async () => {
    const response = await render('good-practice', { academicYear: year }, t.tokens.analyst);
    const text = await pdfText(response.body as Buffer, work, 'good-practice');
    expect(codesIn(text)).toEqual([]); // words, never codes (issue 15)
    const va = await requestContext.run(CLI_ACTOR, () =>
      t.app.get(CohortsService).query({
        population: { academicYears: [year - 1, year] },
        outcomes: ['assessment_score'],
        analysis: { method: 'value_added', academicYear: year },
      }),
    );
    const flagged = va.tables.good_practice.rows.map((r) => String(r.school));
    expect(flagged.length).toBeGreaterThan(0);
    expect(text).toContain('好事例の把握');
    expect(text.replace(/\s+/g, '')).toContain(`0を上回った学校は${flagged.length}校`);
    for (const code of flagged)
      expect(text.replace(/\s+/g, '')).toContain(truth.schools.find((s) => s.code === code)!.name);
    expect(await firstPagePng(response.body as Buffer, work, 'good-practice')).toBeGreaterThan(5_000);
  });

  it('survey-results: response status and the burden figure of the issued survey', async () => {
    const response = await render('survey-results', { survey: surveyId }, t.tokens.board);
    const text = await pdfText(response.body as Buffer, work, 'survey');
    expect(codesIn(text)).toEqual([]); // words, never codes (issue 15)
    const reports = t.app.get(SurveyReportsService);
    const status = await reports.status(surveyId);
    const burden = await reports.burden(surveyId);
    const flat = text.replace(/\s+/g, '');
    expect(text).toContain('調査結果報告');
    expect(flat).toContain(`対象${truth.schools.length}校のうち提出済みは${status.counts.submitted}校`);
    const answers = burden.total.prefilled + burden.total.changed + burden.total.manual;
    expect(flat).toContain(`回答${answers}件のうち、データから事前入力され修正のないものが${burden.total.prefilled}件`);
    expect(await firstPagePng(response.body as Buffer, work, 'survey')).toBeGreaterThan(5_000);
  });

  it('renders every school in one batch: status, then a zip of one PDF per school', async () => {
    const started = await t
      .http()
      .post('/api/reports/school-profile/batch')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .send({ params: { academicYear: year } })
      .expect(202);
    let status = started.body;
    for (let i = 0; i < 240 && status.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = (
        await t
          .http()
          .get(`/api/reports/runs/${started.body.id}`)
          .set('Authorization', `Bearer ${t.tokens.board}`)
          .expect(200)
      ).body;
    }
    expect(status).toMatchObject({
      status: 'done',
      total: truth.schools.length,
      rendered: truth.schools.length,
      failures: [],
    });
    const zip = await t
      .http()
      .get(status.zip)
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    const files = unzipSync(new Uint8Array(zip.body as Buffer));
    expect(Object.keys(files)).toHaveLength(truth.schools.length);
    for (const bytes of Object.values(files)) expect(Buffer.from(bytes.slice(0, 4)).toString()).toBe('%PDF');
  });

  it('has a board page that lists the templates and renders one from its form', async () => {
    const cookie = await signIn(t, t.tokens.board);
    const page = await t.http().get('/reports').set('Cookie', cookie).expect(200);
    for (const title of ['学校別プロフィール', '施策評価報告書', '好事例の把握', '調査結果報告'])
      expect(page.text).toContain(title);
    expect(page.text).toContain(truth.schools[2].name);
    const pdf = await t
      .http()
      .post('/reports/school-profile')
      .set(SAME_ORIGIN)
      .set('Cookie', cookie)
      .type('form')
      .send({ academicYear: String(year), school: truth.schools[2].code })
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await pdfText(pdf.body as Buffer, work, 'web-profile')).toContain(truth.schools[2].name);
    const missing = await t
      .http()
      .post('/reports/school-profile')
      .set(SAME_ORIGIN)
      .set('Cookie', cookie)
      .type('form')
      .send({ academicYear: String(year) })
      .expect(400);
    expect(missing.text).toContain('学校の値を確認してください(is required)');
    // A school's page offers its own profile only.
    const school = await t
      .http()
      .get('/reports')
      .set('Cookie', await signIn(t, t.tokens.schoolA))
      .expect(200);
    expect(school.text).toContain('学校別プロフィール');
    expect(school.text).not.toContain('施策評価報告書');
  });

  it('gives a school its own profile only', async () => {
    const analytical = await t
      .http()
      .post('/api/reports/good-practice/render')
      .set('Authorization', `Bearer ${t.tokens.schoolA}`)
      .send({ params: { academicYear: year } })
      .expect(403);
    expect(analytical.body.error.code).toBe('REPORT_TEMPLATE_FORBIDDEN');
    const another = await t
      .http()
      .post('/api/reports/school-profile/render')
      .set('Authorization', `Bearer ${t.tokens.schoolA}`)
      .send({ params: { academicYear: year, school: truth.schools[1].code } })
      .expect(403);
    expect(another.body.error.code).toBe('FORBIDDEN_SCHOOL');
  });

  it('refuses a missing or bad parameter with a 400 naming it, before any browser work', async () => {
    const before = countChromiumProcesses();
    const missing = await t
      .http()
      .post('/api/reports/school-profile/render')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .send({ params: { academicYear: year } })
      .expect(400);
    expect(missing.body.error.fields[0].field).toBe('params.school');
    const unknown = await t
      .http()
      .post('/api/reports/good-practice/render')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .send({ params: { academicYear: year, colour: 'red' } })
      .expect(400);
    expect(unknown.body.error.fields[0].field).toBe('params.colour');
    const badYear = await t
      .http()
      .post('/api/reports/good-practice/render')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .send({ params: { academicYear: 'last' } })
      .expect(400);
    expect(badYear.body.error.fields[0].field).toBe('params.academicYear');
    await t
      .http()
      .post('/api/reports/no-such-report/render')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .send({ params: {} })
      .expect(404);
    expect(countChromiumProcesses()).toBe(before);
  });

  it('stops on a broken chart spec, naming the template and the file', async () => {
    const dir = templateFolder('broken', {
      id: 'broken',
      title: { ja: '壊れた報告', en: 'Broken' },
      description: { ja: 'テスト', en: 'test' },
      audience: 'school',
      roles: ['board_admin'],
      eachSchool: false,
      parameters: [
        { name: 'academicYear', type: 'academicYear', required: true, label: { ja: '年度', en: 'Year' } },
        { name: 'school', type: 'school', required: true, label: { ja: '学校', en: 'School' } },
      ],
      datasets: { enrolment: { source: 'metric', metric: 'enrolment.students' } },
      sections: [{ kind: 'chart', title: { ja: '図', en: 'Chart' }, spec: 'bad.vl.json' }],
    });
    writeFileSync(
      join(dir, 'bad.vl.json'),
      JSON.stringify({
        data: { name: 'enrolment' },
        mark: 'pyramid',
        encoding: { x: { field: 'grade', type: 'nominal' } },
      }),
    );
    const template = loadReportTemplate(dir, 'broken');
    await expect(checkReportTemplates([template], new ChartRenderer())).rejects.toThrow(ReportTemplateError);
    await expect(checkReportTemplates([template], new ChartRenderer())).rejects.toThrow(/broken.*bad\.vl\.json/);
    writeFileSync(join(dir, 'bad.vl.json'), JSON.stringify({ data: { name: 'nothing' }, mark: 'bar' }));
    expect(() => loadReportTemplate(dir, 'broken')).toThrow(/bad\.vl\.json reads dataset "nothing"/);
  });

  it('reads a saved cohort definition by name, so the report cites its name and version', async () => {
    const definition = {
      population: { academicYears: [2023, 2024, 2025] },
      outcomes: ['attendance_rate'],
      analysis: { method: 'did_staggered', programme: 'prog-support-room', outcome: 'attendance_rate' },
    };
    await t
      .http()
      .post('/api/cohorts/definitions')
      .set('Authorization', `Bearer ${t.tokens.analyst}`)
      .send({ name: 'support-room-effect', definition })
      .expect(201);
    const dir = templateFolder('saved-cohort', {
      id: 'saved-cohort',
      title: { ja: '保存済み定義', en: 'Saved definition' },
      description: { ja: 'テスト', en: 'test' },
      audience: 'analytical',
      roles: ['analyst'],
      eachSchool: false,
      parameters: [],
      datasets: { effects: { source: 'cohort', saved: { name: 'support-room-effect' }, table: 'effects' } },
      sections: [{ kind: 'definition', title: { ja: '定義', en: 'Definition' }, dataset: 'effects' }],
    });
    const template = loadReportTemplate(dir, 'saved-cohort');
    const data = t.app.get(ReportDataService);
    const loaded = await requestContext.run(CLI_ACTOR, async () =>
      data.load(template, await data.resolveParams(template, {}, 'ja'), 'ja'),
    );
    const [run] = Object.values(loaded.cohorts);
    expect(run.savedAs).toEqual({ name: 'support-room-effect', version: 1 });
    expect(loaded.datasets.effects.find((r) => r.effect === 'overall')).toBeDefined();
  });

  it('CLI: a missing parameter exits 1 naming it and leaves no Chromium behind', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: t.stores.config.databaseUrl ?? '',
      SHIRUBE_PGLITE_DIR: join(work, 'cli-pg'),
      DUCKDB_PATH: join(work, 'cli-warehouse.duckdb'),
    };
    const before = countChromiumProcesses();
    await expect(
      run(
        process.execPath,
        [bin, 'report', 'render', 'school-profile', '--param', `academicYear=${year}`, '--out', join(work, 'x.pdf')],
        { env },
      ),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('params.school'),
    });
    expect(countChromiumProcesses()).toBe(before);
  });
});
