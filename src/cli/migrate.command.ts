import type { Command } from 'commander';
import { printResult } from './output.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending migrations to the control plane (PostgreSQL/PGlite) and the warehouse (DuckDB)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { loadConfig } = await import('../config/config.js');
      const { openControlPlaneSource, closeControlPlane, describeControlPlane } =
        await import('../database/data-source.js');
      const { migrateControlPlane } = await import('../database/control-plane.js');
      const { Warehouse } = await import('../warehouse/warehouse.js');
      const { migrateWarehouse } = await import('../warehouse/warehouse-migrator.js');
      const config = loadConfig();
      const dataSource = await openControlPlaneSource(config);
      let controlPlane: string[];
      try {
        controlPlane = await migrateControlPlane(config, dataSource);
      } finally {
        await closeControlPlane(dataSource, config);
      }
      const warehouse = await Warehouse.open(config.duckdbPath, { memoryLimit: config.duckdbMemoryLimit });
      let warehouseRan: string[];
      try {
        warehouseRan = await migrateWarehouse(warehouse);
      } finally {
        await warehouse.close();
      }
      const result = {
        controlPlane: { store: describeControlPlane(config), applied: controlPlane },
        warehouse: { store: `DuckDB ${config.duckdbPath}`, applied: warehouseRan },
      };
      printResult(!!options.json, result, () =>
        [
          `control plane (${result.controlPlane.store}): ${controlPlane.length ? controlPlane.join(', ') : 'up to date'}`,
          `warehouse (${result.warehouse.store}): ${warehouseRan.length ? warehouseRan.join(', ') : 'up to date'}`,
        ].join('\n'),
      );
    });
}
