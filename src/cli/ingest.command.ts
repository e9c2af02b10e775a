import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { CLI_ACTOR, requestContext } from '../common/request-context.js';
import { ENCODINGS, type DeclaredEncoding } from '../ingest/encoding.js';
import { FEED_KINDS, type FeedKind } from '../ingest/ingest.types.js';
import type { BatchReport } from '../ingest/ingest.service.js';
import { withMessages } from '../ingest/problems/problem-messages.js';
import type { Locale } from '../config/config.js';
import { label } from '../labels/labels.js';
import { EXIT } from './exit-codes.js';
import { printResult } from './output.js';

/** A batch's summary; its problems in the locale's words (row: `12 行目` or `row 12`). */
function summary(report: BatchReport, locale: Locale): string {
  const said = withMessages(report, locale);
  const rowOf = (row: number) => (locale === 'ja' ? ` ${row} 行目` : ` row ${row}`);
  const lines = [
    `batch ${report.batchId}: ${report.status} — ${report.message}`,
    `rows read ${report.rowsRead}, loaded ${report.rowsLoaded}, rejected ${report.rowsRejected}; ${report.errors} error(s), ${report.warnings} warning(s); ${(report.timingsMs.total / 1000).toFixed(1)} s`,
    ...report.feeds.map(
      (f) =>
        `  ${f.kind.padEnd(11)} ${f.name}: ${f.skipped ?? `${f.rowsRead} read, ${f.rowsLoaded} loaded, ${f.rowsRejected} rejected`}${f.notes ? ` ${JSON.stringify(f.notes)}` : ''}`,
    ),
  ];
  if (said.problemsByRule.length > 0) {
    const severity = (s: string) => label('severity', s, locale).padEnd(locale === 'ja' ? 3 : 7);
    lines.push(locale === 'ja' ? 'エラーと警告:' : 'problems:');
    for (const p of said.problemsByRule)
      lines.push(`  ${severity(p.severity)} ${p.file}${p.column ? ` [${p.column}]` : ''}: ${p.message} (${p.count})`);
    const shown = Math.min(said.problems.length, 20);
    const all = report.errors + report.warnings;
    lines.push(locale === 'ja' ? `${all} 件のうち最初の ${shown} 件:` : `first ${shown} of ${all}:`);
    for (const p of said.problems.slice(0, 20))
      lines.push(
        `  ${severity(p.severity)} ${p.file}${p.row ? rowOf(p.row) : ''}${p.column ? ` ${p.column}` : ''}${p.value !== null ? ` "${p.value}"` : ''}: ${p.message}`,
      );
  }
  return lines.join('\n');
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description(
      'Load a file, a folder or a OneRoster zip into the warehouse as one all-or-nothing batch (pseudonymised with PSEUDONYM_KEY_FILE)',
    )
    .argument('<path>', 'file, folder or zip')
    .addOption(new Option('--feed <feed>', 'force the feed of a single file').choices([...FEED_KINDS]))
    .option('--accept-partial', 'load the valid rows; keep the rejects in the batch report')
    .option('--pre-pseudonymized', 'the files come from `shirube pseudonymize`: load IDs as they are')
    .addOption(
      new Option('--encoding <encoding>', 'the CSV files’ encoding (auto: UTF-8, else Shift_JIS)')
        .choices([...ENCODINGS])
        .default('auto'),
    )
    .option('--json', 'print the batch report as JSON')
    .addOption(
      new Option('--locale <locale>', 'the language of the problems (their `message` with --json)')
        .choices(['ja', 'en'])
        .default('ja'),
    )
    .option(
      '--each',
      'PATH is a folder: ingest each file or folder in it as its own batch, in name order (with --json, one report a line)',
    )
    .action(
      async (
        path: string,
        options: {
          feed?: FeedKind;
          acceptPartial?: boolean;
          prePseudonymized?: boolean;
          encoding: DeclaredEncoding;
          json?: boolean;
          each?: boolean;
          locale: Locale;
        },
      ) => {
        const [{ withIngest }, { IngestService }] = [
          await import('./boot.js'),
          await import('../ingest/ingest.service.js'),
        ];
        const started = performance.now();
        const onProgress = options.json
          ? undefined
          : (feed: string, rows: number) => {
              const seconds = (performance.now() - started) / 1000;
              process.stderr.write(
                `  ${feed}: ${rows.toLocaleString('en')} rows read (${Math.round(rows / Math.max(seconds, 0.001)).toLocaleString('en')} rows/s)\n`,
              );
            };
        const { filesToUpload } = await import('./server-client.js');
        // With --each, the entries of the folder (hidden ones aside), each its own all-or-nothing batch.
        const paths = options.each
          ? readdirSync(path, { withFileTypes: true })
              .filter((entry) => !entry.name.startsWith('.'))
              .map((entry) => entry.name)
              .sort()
              .map((name) => join(path, name))
          : [path];
        let rejected = false;
        const done = (entry: string, report: BatchReport) => {
          if (report.status === 'rejected') rejected = true;
          const said = withMessages(report, options.locale);
          if (!options.each) return printResult(!!options.json, said, () => summary(report, options.locale));
          // One line each, so that what was printed stands when a later entry stops the command.
          process.stdout.write(
            options.json
              ? `${JSON.stringify({ path: entry, ...said })}\n`
              : `${entry}\n${summary(report, options.locale)}\n`,
          );
        };
        await withIngest(
          async (context) => {
            for (const entry of paths) {
              done(
                entry,
                await requestContext.run(CLI_ACTOR, () =>
                  context.get(IngestService).ingest(entry, CLI_ACTOR, {
                    feed: options.feed,
                    acceptPartial: options.acceptPartial,
                    prePseudonymized: options.prePseudonymized,
                    encoding: options.encoding,
                    onProgress,
                  }),
                ),
              );
            }
          },
          async (server) => {
            for (const entry of paths) {
              done(
                entry,
                await server.upload<BatchReport>('/api/ingest', filesToUpload(entry), {
                  feed: options.feed,
                  acceptPartial: options.acceptPartial ? 'true' : undefined,
                  prePseudonymized: options.prePseudonymized ? 'true' : undefined,
                  encoding: options.encoding,
                }),
              );
            }
          },
        );
        if (rejected) process.exitCode = EXIT.rejected;
      },
    );
}
