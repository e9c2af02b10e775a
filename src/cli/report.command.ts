import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import type { ReportRunView } from '../reports/report-runs.service.js';
import type { ServerClient } from './server-client.js';
import { fail, printResult } from './output.js';

/** `--param k=v` (repeatable); a value with commas stays a string (the service parses lists). */
function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) fail(`--param must be name=value, got ${value}`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('Report templates (reports/) rendered to PDF');

  report
    .command('list')
    .description('The report templates and their parameters')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { withReports } = await import('./boot.js');
      const { ReportsService } = await import('../reports/reports.service.js');
      const { CLI_ACTOR } = await import('../common/request-context.js');
      const list = await withReports(
        (context) => Promise.resolve(context.get(ReportsService).list(CLI_ACTOR)),
        (server) =>
          server.json<Awaited<ReturnType<InstanceType<typeof ReportsService>['list']>>>('GET', '/api/reports'),
      );
      printResult(!!options.json, list, () =>
        list
          .map(
            (t) =>
              `${t.id.padEnd(20)} ${t.title.ja}  (${t.parameters.map((p) => `${p.name}${p.required ? '' : '?'}`).join(', ')})`,
          )
          .join('\n'),
      );
    });

  report
    .command('render')
    .description('Render a report to PDF, or with --each-school one PDF per school into a folder')
    .argument('<id>', 'template id, e.g. school-profile')
    .option('--param <name=value>', 'a parameter (repeat for each)', collectParam, {})
    .option('--locale <ja|en>', 'language', 'ja')
    .option('--each-school', 'render for every school (the template must take a school)')
    .requiredOption('--out <path>', 'the PDF file, or the folder with --each-school')
    .option('--json', 'print JSON')
    .action(
      async (
        id: string,
        options: { param: Record<string, string>; locale: string; eachSchool?: boolean; out: string; json?: boolean },
      ) => {
        if (options.locale !== 'ja' && options.locale !== 'en')
          fail(`--locale must be ja or en, got ${options.locale}`);
        const locale = options.locale;
        const { withReports } = await import('./boot.js');
        const { ReportsService } = await import('../reports/reports.service.js');
        const { CLI_ACTOR, requestContext } = await import('../common/request-context.js');
        const summary = await withReports(
          (context) =>
            requestContext.run(CLI_ACTOR, async () => {
              const service = context.get(ReportsService);
              if (!options.eachSchool) {
                const started = performance.now();
                const rendered = await service.render(CLI_ACTOR, id, options.param, locale);
                writeFileSync(options.out, rendered.pdf);
                return {
                  files: [options.out],
                  failures: [] as { school: string; message: string }[],
                  seconds: (performance.now() - started) / 1000,
                  cites: rendered.cites,
                };
              }
              mkdirSync(options.out, { recursive: true });
              const files: string[] = [];
              const failures: { school: string; message: string }[] = [];
              const started = performance.now();
              await service.renderEachSchool(
                CLI_ACTOR,
                id,
                options.param,
                (school, rendered, error) => {
                  if (rendered) {
                    const file = join(options.out, rendered.filename);
                    writeFileSync(file, rendered.pdf);
                    files.push(file);
                    if (!options.json) process.stderr.write(`\r${files.length} rendered`);
                  } else failures.push({ school, message: error?.message ?? 'failed' });
                },
                { locale },
              );
              if (!options.json) process.stderr.write('\n');
              return { files: files.sort(), failures, seconds: (performance.now() - started) / 1000, cites: [] };
            }),
          (server) => renderThroughServer(server, id, { params: options.param, locale }, options),
        );
        printResult(!!options.json, summary, () =>
          [
            `${summary.files.length} PDF(s) in ${summary.seconds.toFixed(1)} s${summary.files.length === 1 ? `: ${summary.files[0]}` : ` in ${options.out}`}`,
            ...summary.failures.map((f) => `failed ${f.school}: ${f.message}`),
          ].join('\n'),
        );
        if (summary.failures.length > 0) process.exitCode = 1;
      },
    );
}

interface RenderSummary {
  files: string[];
  failures: { school: string; message: string }[];
  seconds: number;
  cites: unknown[];
}

/** The same render through a running server: one PDF, or an every-school run followed to its zip and unpacked. */
async function renderThroughServer(
  server: ServerClient,
  id: string,
  body: { params: Record<string, string>; locale: 'ja' | 'en' },
  options: { eachSchool?: boolean; out: string },
): Promise<RenderSummary> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const path = `/api/reports/${encodeURIComponent(id)}`;
  if (!options.eachSchool) {
    writeFileSync(options.out, await server.bytes('POST', `${path}/render`, { body, accept: 'application/pdf' }));
    return { files: [options.out], failures: [], seconds: seconds(), cites: [] };
  }
  const run = await server.json<{ id: string }>('POST', `${path}/batch`, body);
  let status: ReportRunView;
  for (;;) {
    status = await server.json<ReportRunView>('GET', `/api/reports/runs/${run.id}`);
    if (status.status !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  mkdirSync(options.out, { recursive: true });
  const files: string[] = [];
  if (status.status === 'done') {
    const zip = await server.bytes('GET', `/api/reports/runs/${run.id}/zip`, { accept: 'application/zip' });
    for (const [name, data] of Object.entries(unzipSync(zip))) {
      const file = join(options.out, basename(name));
      writeFileSync(file, data);
      files.push(file);
    }
  }
  return { files: files.sort(), failures: status.failures, seconds: seconds(), cites: [] };
}
