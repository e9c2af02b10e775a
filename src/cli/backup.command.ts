import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { BackupView } from '../backup/dto/backup.dto.js';
import { printResult } from './output.js';

const tableLines = (tables: { table: string; rows: number }[]) =>
  tables.map((t) => `  ${t.table.padEnd(28)} ${String(t.rows).padStart(10)} rows`);

/** The direct way, when no server holds the stores: opened without migrating them (a backup changes nothing). */
async function backupDirect(out: string): Promise<BackupView> {
  const [{ loadConfig }, data, { Warehouse }, { takeBackup }, { BackupView }, { AuditService }, context] = [
    await import('../config/config.js'),
    await import('../database/data-source.js'),
    await import('../warehouse/warehouse.js'),
    await import('../backup/take-backup.js'),
    await import('../backup/dto/backup.dto.js'),
    await import('../audit/audit.service.js'),
    await import('../common/request-context.js'),
  ];
  const { existsSync } = await import('node:fs');
  const { nothingToBackUp } = await import('../backup/backup.errors.js');
  const config = loadConfig();
  if (config.duckdbPath === ':memory:' || !existsSync(config.duckdbPath))
    throw nothingToBackUp(`no warehouse at ${config.duckdbPath} (DUCKDB_PATH): nothing to back up`);
  const dataSource = await data.openControlPlaneSource(config);
  try {
    const [{ migrated }] = await dataSource.query<
      {
        migrated: boolean;
      }[]
    >(`SELECT to_regclass('control_plane_migrations') IS NOT NULL AS migrated`);
    if (!migrated)
      throw nothingToBackUp(
        `the control plane (${data.describeControlPlane(config)}) was never migrated: nothing to back up`,
      );
    const warehouse = await Warehouse.open(config.duckdbPath, { memoryLimit: config.duckdbMemoryLimit });
    try {
      const manifest = await takeBackup(dataSource, warehouse, out, config.databaseUrl ? 'postgresql' : 'pglite');
      const view = BackupView.of(out, manifest);
      await context.requestContext.run(context.CLI_ACTOR, () =>
        new AuditService(dataSource).record({
          action: 'backup.create',
          targetType: 'backup',
          targetId: manifest.createdAt,
          after: { path: out, batchesAgree: view.batchesAgree },
        }),
      );
      return view;
    } finally {
      await warehouse.close();
    }
  } finally {
    await data.closeControlPlane(dataSource, config);
  }
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description(
      'Back up both stores, consistent with each other, into a new folder (through the server when it runs); the pseudonym key is not included',
    )
    .requiredOption('--out <dir>', 'a folder that does not exist yet (or is empty)')
    .option('--json', 'print JSON')
    .action(async (options: { out: string; json?: boolean }) => {
      const [{ directOrThroughServer }, { loadConfig }] = [
        await import('./boot.js'),
        await import('../config/config.js'),
      ];
      const out = resolve(options.out);
      const view = await directOrThroughServer(
        loadConfig(),
        { controlPlane: true, warehouse: true },
        () => backupDirect(out),
        (server) => server.json<BackupView>('POST', '/api/backups', { out }),
      );
      printResult(!!options.json, view, () =>
        [
          `backup written to ${view.path}`,
          'control plane:',
          ...tableLines(view.controlPlane),
          'warehouse:',
          ...tableLines(view.warehouse),
          view.batchesAgree
            ? 'both stores agree on the ingest batches they hold'
            : 'WARNING: the stores do not agree on their ingest batches (see manifest.json, "consistency")',
          `NOTE: ${view.note}`,
        ].join('\n'),
      );
    });

  program
    .command('restore')
    .description(
      'Restore both stores from a backup folder into empty stores (stop the server first); --force moves non-empty stores aside, deleting nothing',
    )
    .argument('<dir>', 'the backup folder (holds manifest.json)')
    .option('--force', 'move a non-empty warehouse file and control-plane schema aside instead of refusing')
    .option('--json', 'print JSON')
    .action(async (dir: string, options: { force?: boolean; json?: boolean }) => {
      const [{ assertStoresFree }, { loadConfig }, { restoreBackup }] = [
        await import('./boot.js'),
        await import('../config/config.js'),
        await import('../backup/restore-backup.js'),
      ];
      const config = loadConfig();
      assertStoresFree(config, { controlPlane: true, warehouse: true });
      const result = await restoreBackup(config, resolve(dir), { force: options.force });
      printResult(!!options.json, result, () =>
        [
          `restored the backup of ${result.backupCreatedAt} from ${result.from}`,
          ...result.movedAside.map((what) => `moved aside (nothing deleted): ${what}`),
          'control plane:',
          ...tableLines(result.controlPlane.tables),
          'warehouse:',
          ...tableLines(result.warehouse.tables),
          result.agreement.agree
            ? 'both stores agree on the ingest batches they hold'
            : `WARNING: the stores do not agree on their ingest batches: ${[...result.agreement.unknownToControlPlane, ...result.agreement.missingFromWarehouse].join(', ')}`,
          `NOTE: ${result.pseudonymKey.note}${result.pseudonymKey.fingerprint ? ` The warehouse was loaded with the key of fingerprint ${result.pseudonymKey.fingerprint.slice(0, 16)}….` : ''}`,
        ].join('\n'),
      );
    });
}
