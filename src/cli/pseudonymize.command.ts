import type { Command } from 'commander';
import { printResult } from './output.js';

export function registerPseudonymize(program: Command): void {
  program
    .command('pseudonymize')
    .description(
      'Pseudonymise files before upload (the ingest’s own step): person IDs → HMAC pseudonyms, names and contacts blanked; load the output with `ingest --pre-pseudonymized`',
    )
    .argument('<in>', 'file, folder or OneRoster zip')
    .argument('<out>', 'output folder')
    .requiredOption('--key-file <file>', 'the board’s pseudonym key (the same PSEUDONYM_KEY_FILE the server uses)')
    .option('--json', 'print JSON')
    .action(async (input: string, out: string, options: { keyFile: string; json?: boolean }) => {
      const [{ readPseudonymKey }, { Pseudonymizer }, { pseudonymizeFiles }] = [
        await import('../config/pseudonym-key.js'),
        await import('../ingest/pseudonymizer.js'),
        await import('../ingest/pseudonymize-tool.js'),
      ];
      const summary = await pseudonymizeFiles(input, out, new Pseudonymizer(readPseudonymKey(options.keyFile)));
      printResult(!!options.json, summary, () =>
        [
          `wrote ${summary.files.length} file(s) to ${out}:`,
          ...summary.files.map(
            (f) =>
              `  ${f.name}: ${f.rows} rows; ${
                Object.entries(f.columns)
                  .map(([c, a]) => `${c}→${a}`)
                  .join(', ') || 'copied'
              }`,
          ),
        ].join('\n'),
      );
    });
}
