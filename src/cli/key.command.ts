import type { Command } from 'commander';
import { resolve } from 'node:path';
import { printResult } from './output.js';

/** Said wherever a key is made: it is in no backup of Shirube's, and nothing can make it again. */
export const KEY_BACKUP_WARNING =
  'Back this key up now, separately from the database backups (`shirube backup` does not include it), ' +
  'for example on two removable media kept in different places. If it is lost, data loaded from now on can ' +
  'no longer be linked to the students already in the warehouse: every link between batches breaks. ' +
  'Anyone who holds it can recompute pseudonyms from student IDs: keep it as secret as a password.';

export function registerKey(program: Command): void {
  const key = program.command('key').description("The board's pseudonym key (PSEUDONYM_KEY_FILE)");
  key
    .command('create')
    .description('Write a new 256-bit pseudonym key, readable by its owner only (mode 0600); never replaces one')
    .option('--out <file>', 'where to write it (default: PSEUDONYM_KEY_FILE, else data/pseudonym.key)')
    .option('--json', 'print JSON')
    .action(async (options: { out?: string; json?: boolean }) => {
      const [{ loadConfig }, { createPseudonymKey, pseudonymKeyPath }] = [
        await import('../config/config.js'),
        await import('../config/pseudonym-key.js'),
      ];
      const path = options.out ? resolve(options.out) : pseudonymKeyPath(loadConfig());
      createPseudonymKey(path);
      printResult(!!options.json, { path, mode: '0600', warning: KEY_BACKUP_WARNING }, () =>
        [
          `pseudonym key written to ${path} (mode 0600, 256 bits)`,
          `Set PSEUDONYM_KEY_FILE=${path} for the server and every command that ingests.`,
          `WARNING: ${KEY_BACKUP_WARNING}`,
        ].join('\n'),
      );
    });
}
