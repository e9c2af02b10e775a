import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApp } from '../app/create-app.js';
import { UsersService } from '../auth/users.service.js';
import type { Role } from '../auth/entities/user.entity.js';
import { allPages } from '../common/page.js';
import { CLI_ACTOR, requestContext } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { ensurePseudonymKey, pseudonymKeyPath } from '../config/pseudonym-key.js';
import { generateMunicipality } from '../demo/demo-generator.js';
import { IngestService } from '../ingest/ingest.service.js';
import { demoSurvey } from '../demo/demo-survey.js';
import { SurveysService } from '../surveys/surveys.service.js';
import { describeThisProcess } from '../common/store-lock.js';
import { listenAndAnnounce } from './listen.js';
import { printResult } from './output.js';

const DEMO = { schools: 12, students: 4000, years: 3, seed: 1 };

interface DemoUser {
  name: string;
  role: Role;
  schoolCode?: string;
}

/** The README's main job: demo files (once), key, stores, demo users with fresh tokens, then the server. */
export async function runDemo(config: ShirubeConfig, outDir: string, json: boolean): Promise<void> {
  const dir = resolve(outDir);
  const truthFile = join(dir, 'truth.json');
  if (!existsSync(truthFile)) {
    process.stderr.write(
      `generating the demo municipality (${DEMO.schools} schools, ${DEMO.students} students, ${DEMO.years} years) in ${dir} ...\n`,
    );
    await generateMunicipality({ ...DEMO, outDir: dir });
  }
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as { schools: { code: string; name: string }[] };
  const key = ensurePseudonymKey(pseudonymKeyPath(config));
  describeThisProcess('server', 'shirube demo run');
  const app = await createApp({ ...config, pseudonymKeyFile: key.path }, { logLevel: 'warn' });
  const users = app.get(UsersService);
  const firstSchool = truth.schools[0];
  const wanted: DemoUser[] = [
    { name: 'demo-board', role: 'board_admin' },
    { name: 'demo-analyst', role: 'analyst' },
    { name: `demo-school-${firstSchool.code}`, role: 'school', schoolCode: firstSchool.code },
  ];
  process.stderr.write(`loading ${dir} into the warehouse ...\n`);
  const batch = await requestContext.run(CLI_ACTOR, () =>
    app.get(IngestService).ingest(dir, CLI_ACTOR, {
      onProgress: (feed, rows) => process.stderr.write(`  ${feed}: ${rows.toLocaleString('en')} rows read\n`),
    }),
  );
  if (batch.status === 'rejected') {
    await app.close();
    throw new Error(
      `the demo municipality did not load: ${batch.message}\n${batch.problems
        .slice(0, 10)
        .map((p) => `  ${p.file} row ${p.row} ${p.column}: ${p.rule}`)
        .join('\n')}`,
    );
  }
  const tokens = await requestContext.run(CLI_ACTOR, async () => {
    const existing = await allPages((page) => users.listUsers(page));
    const out: { name: string; role: Role; schoolCode: string | null; token: string }[] = [];
    for (const want of wanted) {
      const found = existing.find((u) => u.name === want.name);
      const secret = found
        ? (await users.issueToken(found.id, 'demo run')).secret
        : (await users.createUser({ ...want, tokenLabel: 'demo run' })).token.secret;
      out.push({ name: want.name, role: want.role, schoolCode: want.schoolCode ?? null, token: secret });
    }
    return out;
  });
  // A survey answered from data, issued to every school, so there is something to look at.
  const surveys = app.get(SurveysService);
  const survey = await requestContext.run(CLI_ACTOR, async () => {
    const existing = (await allPages((page) => surveys.list(page))).find((sv) => sv.status === 'issued');
    if (existing) return existing;
    const lastYear = Math.max(...(truth as unknown as { academicYears: number[] }).academicYears);
    const created = await surveys.create(demoSurvey(lastYear, new Date()), CLI_ACTOR);
    await surveys.issue(created.survey.id);
    return created.survey;
  });
  const url = await listenAndAnnounce(app, config);
  const result = {
    url,
    login: `${url}/login`,
    docs: `${url}/api/docs`,
    health: `${url}/api/health`,
    reports: `${url}/reports`,
    demoData: dir,
    pseudonymKeyFile: key.path,
    batch: {
      id: batch.batchId,
      status: batch.status,
      message: batch.message,
      rowsLoaded: batch.rowsLoaded,
      warnings: batch.warnings,
      feeds: batch.feeds.map((f) => ({ kind: f.kind, name: f.name, rowsLoaded: f.rowsLoaded, skipped: f.skipped })),
    },
    survey: { id: survey.id, title: survey.title },
    users: tokens,
  };
  printResult(json, result, () =>
    [
      '',
      `Shirube demo is running: ${url}`,
      `  sign in:   ${result.login}  (paste a token below)`,
      `  API docs:  ${result.docs}`,
      `  health:    ${result.health}`,
      `  demo data: ${dir} (truth.json holds the answers the data was built to give)`,
      `  pseudonym key: ${key.path}${key.created ? ' (created, mode 0600)' : ''}`,
      `  survey:    ${survey.title.ja} — ${url}/surveys/${survey.id} (board), ${url}/responses (school)`,
      `  reports:   ${url}/reports (board, analyst: PDFs of the four templates)`,
      `  cohorts:   ${url}/cohorts (analyst, board: the cohort page), or POST ${url}/api/cohorts/query (see README "Cohort queries")`,
      `  loaded:    batch ${batch.batchId} ${batch.status} — ${batch.message}${batch.warnings ? ` (${batch.warnings} warnings)` : ''}`,
      ...batch.feeds.map(
        (f) =>
          `             ${f.kind.padEnd(11)} ${f.name}: ${f.skipped ?? `${f.rowsLoaded.toLocaleString('en')} rows`}`,
      ),
      '',
      'Demo tokens (new ones each run; shown once):',
      ...tokens.map((t) => `  ${t.role.padEnd(11)} ${t.name.padEnd(28)} ${t.token}`),
      '',
      `Try: curl -H "Authorization: Bearer ${tokens[0].token}" ${url}/api/schools`,
      `     curl -H "Authorization: Bearer ${(tokens.find((x) => x.role === 'analyst') ?? tokens[0]).token}" -H 'Content-Type: application/json' \\`,
      `       -d '{"population":{"academicYears":[2023,2024,2025]},"outcomes":["attendance_rate"],"analysis":{"method":"did_staggered","programme":"prog-support-room","outcome":"attendance_rate"}}' ${url}/api/cohorts/query`,
      'Stop with Ctrl-C.',
    ].join('\n'),
  );
}
