import type { Command } from 'commander';
import { printResult } from './output.js';

export function registerWarehouse(program: Command): void {
  const warehouse = program.command('warehouse').description('The DuckDB warehouse');
  warehouse
    .command('export')
    .description(
      'Write the warehouse as Parquet, partitioned by academic year and school (stop the server first: DuckDB allows one process)',
    )
    .requiredOption('--out <dir>', 'output folder')
    .option('--json', 'print JSON')
    .action(async (options: { out: string; json?: boolean }) => {
      const [{ loadConfig }, { openWarehouse }, { exportWarehouse }] = [
        await import('../config/config.js'),
        await import('../warehouse/warehouse.module.js'),
        await import('../warehouse/warehouse-export.js'),
      ];
      const config = loadConfig();
      const warehouse = await openWarehouse(config.duckdbPath, { memoryLimit: config.duckdbMemoryLimit });
      try {
        const tables = await exportWarehouse(warehouse, options.out);
        printResult(!!options.json, tables, () =>
          tables
            .map(
              (t) =>
                `${t.table.padEnd(24)} ${String(t.rows).padStart(10)} rows  ${t.path}${t.partitioned ? '/ (by academic_year, school_code)' : ''}`,
            )
            .join('\n'),
        );
      } finally {
        await warehouse.close();
      }
    });
}
