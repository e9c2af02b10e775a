import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import type { CohortsService } from '../cohorts/cohorts.service.js';
import type { CohortResult } from '../cohorts/cohort-result.js';
import { allPages } from '../common/page.js';
import { fail, printResult } from './output.js';

type Saved = Awaited<ReturnType<CohortsService['save']>>;
type Listed = Awaited<ReturnType<CohortsService['list']>>['items'];

function readDefinition(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`${file} is not JSON: ${(error as Error).message}`);
  }
}

export function registerCohort(program: Command): void {
  const cohort = program
    .command('cohort')
    .description('Cohort queries for policy analysts (disclosure-controlled aggregates only)');

  cohort
    .command('run')
    .description('Run a cohort definition (a JSON file, or a saved one by name)')
    .option('--file <def.json>', 'the cohort definition')
    .option('--saved <name>', 'run a saved definition instead')
    .option('--version <n>', 'version of the saved definition (default: latest)')
    .option('--format <format>', 'json (whole result), csv or arrow (one table)', 'json')
    .option('--table <name>', 'the table for csv/arrow (default: the method’s main table)')
    .option('--out <file>', 'write the output to a file instead of stdout')
    .option('--json', 'print JSON')
    .action(
      async (options: {
        file?: string;
        saved?: string;
        version?: string;
        format: string;
        table?: string;
        out?: string;
        json?: boolean;
      }) => {
        if (!options.file === !options.saved) fail('give either --file or --saved');
        if (!['json', 'csv', 'arrow'].includes(options.format))
          fail(`--format must be json, csv or arrow, got ${options.format}`);
        const { withCohorts } = await import('./boot.js');
        const { CohortsService } = await import('../cohorts/cohorts.service.js');
        const { pickTable, toArrow, toCsv } = await import('../cohorts/cohort-output.js');
        const { CLI_ACTOR, requestContext } = await import('../common/request-context.js');
        const result = await withCohorts(
          (context) =>
            requestContext.run(CLI_ACTOR, () => {
              const service = context.get(CohortsService);
              return options.saved
                ? service.runSaved(options.saved, options.version ? Number(options.version) : undefined)
                : service.query(readDefinition(options.file!));
            }),
          (server) =>
            options.saved
              ? server.json<CohortResult>(
                  'POST',
                  `/api/cohorts/definitions/${encodeURIComponent(options.saved)}/run${options.version ? `?version=${encodeURIComponent(options.version)}` : ''}`,
                )
              : server.json<CohortResult>('POST', '/api/cohorts/query', readDefinition(options.file!)),
        );
        if (options.format !== 'json') {
          const table = pickTable(result, options.table);
          const bytes = options.format === 'csv' ? toCsv(table) : toArrow(table);
          if (options.out) writeFileSync(options.out, bytes);
          else process.stdout.write(bytes);
          return;
        }
        if (options.out) {
          writeFileSync(options.out, `${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        printResult(!!options.json, result, () => {
          const lines = [
            `${result.method} — definition ${result.definitionHash.slice(0, 12)}${result.savedAs ? ` (${result.savedAs.name} v${result.savedAs.version})` : ''}`,
            '',
            'attrition:',
          ];
          for (const step of result.attrition)
            lines.push(
              `  ${step.label.en.padEnd(40)} ${String(step.students ?? 'redacted').padStart(8)} students, ${step.schools} schools`,
            );
          for (const [name, table] of Object.entries(result.tables)) {
            lines.push('', `${name}:`, `  ${table.columns.join('\t')}`);
            for (const row of table.rows.slice(0, 40))
              lines.push(`  ${table.columns.map((c) => (row[c] === null ? '—' : String(row[c]))).join('\t')}`);
            if (table.rows.length > 40)
              lines.push(`  … ${table.rows.length - 40} more rows (use --json or --format csv)`);
          }
          lines.push(
            '',
            ...result.disclosure.rules.map((r) => `disclosure: ${r}`),
            `cells redacted: ${result.disclosure.cellsRedacted}`,
          );
          return lines.join('\n');
        });
      },
    );

  cohort
    .command('save')
    .description('Save a definition as the next version of a name')
    .argument('<name>', 'lower-case name, e.g. support-room-attendance')
    .requiredOption('--file <def.json>', 'the cohort definition')
    .option('--description <text>', 'what it asks')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { file: string; description?: string; json?: boolean }) => {
      const { withCohorts } = await import('./boot.js');
      const { CohortsService } = await import('../cohorts/cohorts.service.js');
      const { CLI_ACTOR, requestContext } = await import('../common/request-context.js');
      const definition = readDefinition(options.file);
      const saved = await withCohorts(
        (context) =>
          requestContext.run(CLI_ACTOR, () =>
            context.get(CohortsService).save(CLI_ACTOR, name, options.description ?? null, definition),
          ),
        (server) =>
          server.json<Saved>('POST', '/api/cohorts/definitions', {
            name,
            description: options.description,
            definition,
          }),
      );
      printResult(
        !!options.json,
        saved,
        () => `saved ${saved.name} version ${saved.version} (${saved.definitionHash.slice(0, 12)})`,
      );
    });

  cohort
    .command('list')
    .description('Saved cohort definitions')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { withCohorts } = await import('./boot.js');
      const { CohortsService } = await import('../cohorts/cohorts.service.js');
      const list = await withCohorts(
        (context) => allPages((page) => context.get(CohortsService).list(page)),
        (server) => server.all<Listed[number]>('/api/cohorts/definitions'),
      );
      printResult(
        !!options.json,
        list,
        () =>
          list.map((c) => `${c.name.padEnd(40)} v${c.version}  ${c.description ?? ''}`).join('\n') ||
          'no saved definitions',
      );
    });
}
