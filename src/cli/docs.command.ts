import type { Command } from 'commander';
import { printResult } from './output.js';

export function registerDocs(program: Command): void {
  const docs = program.command('docs').description('Documents written from the code');
  docs
    .command('definitions')
    .description('Rewrite the generated blocks of docs/definitions.md (metrics, disclosure rules) from the code')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { writeDefinitions } = await import('../docs/definitions.js');
      const result = writeDefinitions();
      printResult(!!options.json, result, () => `${result.file}: ${result.changed ? 'rewritten' : 'up to date'}`);
    });
}
