import { type Command, Option } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { CLI_ACTOR, requestContext } from '../common/request-context.js';
import { fail, printResult } from './output.js';

async function surveys() {
  const [{ withSurveys }, { SurveysService }, { ResponsesService }, { SurveyReportsService }] = [
    await import('./boot.js'),
    await import('../surveys/surveys.service.js'),
    await import('../surveys/responses.service.js'),
    await import('../surveys/survey-reports.service.js'),
  ];
  return { withSurveys, SurveysService, ResponsesService, SurveyReportsService };
}

/** The body of `POST /api/surveys`, checked by the same rules as the API (a bad field is named). */
async function readSurveyFile(path: string) {
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(`${path}: not a JSON file (${(error as Error).message})`);
  }
  return validateSurveyBody(body, path);
}

async function validateSurveyBody(body: unknown, path: string) {
  const [{ createValidationPipe }, { CreateSurveyDto }, { DomainError }] = [
    await import('../common/validation.js'),
    await import('../surveys/dto/create-survey.dto.js'),
    await import('../common/domain-error.js'),
  ];
  try {
    return (await createValidationPipe().transform(body, { type: 'body', metatype: CreateSurveyDto })) as InstanceType<
      typeof CreateSurveyDto
    >;
  } catch (error) {
    if (error instanceof DomainError)
      fail(
        `${path}: ${error.message}\n${(error.details?.fields ?? []).map((f) => `  ${f.field}: ${f.messages.join('; ')}`).join('\n')}`,
      );
    throw error;
  }
}

/** A template made into the body of `POST /api/surveys` for a school year, checked by the API's rules. */
async function surveyBodyFromTemplate(name: string, year: number | undefined, deadline: string | undefined) {
  const { loadTemplate, surveyFromTemplate } = await import('../surveys/survey-templates.js');
  if (year === undefined || !Number.isInteger(year)) fail('--template needs --year (the school year, e.g. 2025)');
  const template = loadTemplate(name);
  if (!template) fail(`no survey template ${name} (see \`shirube survey templates\`)`);
  return validateSurveyBody(surveyFromTemplate(template, { academicYear: year, deadline }), `template ${name}`);
}

type Services = Awaited<ReturnType<typeof surveys>>;
type Created = Awaited<ReturnType<InstanceType<Services['SurveysService']>['create']>>;
type Issued = Awaited<ReturnType<InstanceType<Services['SurveysService']>['issue']>>;
type Status = Awaited<ReturnType<InstanceType<Services['SurveyReportsService']>['status']>>;
type ResponseView = Awaited<ReturnType<InstanceType<Services['ResponsesService']>['findFor']>>;

export function registerSurvey(program: Command): void {
  const survey = program.command('survey').description('Surveys answered from data');

  survey
    .command('create')
    .description('Create a survey (draft) from the JSON that POST /api/surveys takes, or from a shipped template')
    .option('--file <file>', 'survey JSON')
    .option('--template <name>', 'a template of survey-templates/ (see `survey templates`)')
    .option('--year <year>', 'with --template: the school year (年度) the survey asks about', (v) => Number(v))
    .option(
      '--deadline <date>',
      'with --template: the deadline (default: the template’s days after the reference date)',
    )
    .option('--json', 'print JSON')
    .action(async (options: { file?: string; template?: string; year?: number; deadline?: string; json?: boolean }) => {
      if (!!options.file === !!options.template) fail('give one of --file and --template');
      const input = options.file
        ? await readSurveyFile(options.file)
        : await surveyBodyFromTemplate(options.template!, options.year, options.deadline);
      const { withSurveys, SurveysService } = await surveys();
      const created = await withSurveys(
        (context) => requestContext.run(CLI_ACTOR, () => context.get(SurveysService).create(input, CLI_ACTOR)),
        (server) => server.json<Created>('POST', '/api/surveys', input),
      );
      printResult(!!options.json, created, () =>
        [
          `created survey ${created.survey.id} (${created.questions.length} questions, draft)`,
          ...created.warnings.map((w) => `  warning: ${w.message.ja}`),
        ].join('\n'),
      );
    });

  survey
    .command('templates')
    .description('The survey templates shipped (survey-templates/), with how many numeric cells data answers')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { templateNames, loadTemplate, templateCoverage } = await import('../surveys/survey-templates.js');
      const list = templateNames().map((name) => {
        const template = loadTemplate(name)!;
        return { name, title: template.title, overall: templateCoverage(template).overall };
      });
      printResult(!!options.json, list, () =>
        list.map((t) => `${t.name.padEnd(32)} ${t.overall.bound}/${t.overall.total} bound  ${t.title.ja}`).join('\n'),
      );
    });

  survey
    .command('coverage')
    .description('Numeric cells of a template answered from data (bound) out of all, per section and overall')
    .argument('<template>', 'template name, e.g. mext-seito-shido-elementary')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const [{ loadTemplate, templateCoverage, coverageText, bindingProblems }, { loadMetricCatalogue }] = [
        await import('../surveys/survey-templates.js'),
        await import('../metrics/metric-catalogue.js'),
      ];
      const template = loadTemplate(name);
      if (!template) fail(`no survey template ${name} (see \`shirube survey templates\`)`);
      const problems = bindingProblems(template, loadMetricCatalogue());
      if (problems.length > 0) fail(`survey template ${name}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
      const coverage = templateCoverage(template);
      printResult(!!options.json, coverage, () => coverageText(coverage));
    });

  survey
    .command('issue')
    .description('Issue a survey: one pre-filled response per target school')
    .argument('<id>', 'survey id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const { withSurveys, SurveysService } = await surveys();
      const issued = await withSurveys(
        (context) => requestContext.run(CLI_ACTOR, () => context.get(SurveysService).issue(id)),
        (server) => server.json<Issued>('POST', `/api/surveys/${encodeURIComponent(id)}/issue`),
      );
      printResult(
        !!options.json,
        issued,
        () =>
          `issued survey ${id} to ${issued.responses} school(s); ${issued.prefilled} answer(s) pre-filled from data`,
      );
    });

  survey
    .command('status')
    .description('Status per school and the overdue list')
    .argument('<id>', 'survey id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const { withSurveys, SurveyReportsService } = await surveys();
      const status = await withSurveys(
        (context) => context.get(SurveyReportsService).status(id),
        (server) => server.json<Status>('GET', `/api/surveys/${encodeURIComponent(id)}/status`),
      );
      printResult(!!options.json, status, () =>
        [
          Object.entries(status.counts)
            .map(([k, n]) => `${k} ${n}`)
            .join(', '),
          ...status.schools.map((s) => `  ${s.schoolCode} ${s.status.padEnd(11)} ${s.schoolName}`),
        ].join('\n'),
      );
    });

  survey
    .command('show')
    .description('One school’s response: answers, where they came from, errors and queries')
    .argument('<id>', 'survey id')
    .requiredOption('--school <code>', 'school code')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { school: string; json?: boolean }) => {
      const { withSurveys, ResponsesService } = await surveys();
      const view = await withSurveys(
        (context) =>
          requestContext.run(CLI_ACTOR, () => context.get(ResponsesService).findFor(CLI_ACTOR, id, options.school)),
        (server) =>
          server.json<ResponseView>(
            'GET',
            `/api/surveys/${encodeURIComponent(id)}/responses/${encodeURIComponent(options.school)}`,
          ),
      );
      printResult(!!options.json, view, () =>
        [
          `${view.schoolName} (${view.schoolCode}): ${view.status}`,
          ...view.answers.map(
            (a) =>
              `  ${a.code.padEnd(16)} ${a.source.padEnd(9)} ${JSON.stringify(a.value)}${a.findings.length ? `  ! ${a.findings.map((f) => f.message.ja).join(' / ')}` : ''}`,
          ),
        ].join('\n'),
      );
    });

  survey
    .command('export')
    .description('Results across schools')
    .argument('<id>', 'survey id')
    .addOption(
      new Option('--format <format>', 'csv (UTF-8 with BOM, for Excel) or json')
        .choices(['csv', 'json'])
        .default('json'),
    )
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (id: string, options: { format: 'csv' | 'json'; out?: string }) => {
      const { withSurveys, SurveyReportsService } = await surveys();
      const text = await withSurveys(
        async (context) => {
          const reports = context.get(SurveyReportsService);
          return options.format === 'csv'
            ? reports.resultsCsv(id)
            : `${JSON.stringify(await reports.results(id), null, 2)}\n`;
        },
        async (server) => {
          const path = `/api/surveys/${encodeURIComponent(id)}/results?format=${options.format}`;
          const accept = options.format === 'csv' ? 'text/csv' : 'application/json';
          const bytes = await server.bytes('GET', path, { accept });
          return options.format === 'csv'
            ? bytes.toString('utf8')
            : `${JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 2)}\n`;
        },
      );
      if (options.out) writeFileSync(options.out, text);
      else process.stdout.write(text);
    });
}
