/**
 * Benchmark (not a test): Shirube's ingest of a large attendance file (validation +
 * pseudonymisation + load, all-or-nothing) against DuckDB's own `CREATE TABLE AS SELECT * FROM
 * read_csv(...)` of the same file into a fresh database file, with the ratio and peak memory.
 *
 *   npm run build && node dist/bench/ingest.js [--students 100000] [--schools 200] [--dir DIR]
 *
 * The municipality is generated with every school day written (`--attendance full`: ~20 M rows at
 * 100,000 students); its roster is ingested first (not timed), then attendance.csv is timed.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import 'reflect-metadata';
import { AuditModule } from '../src/audit/audit.module.js';
import { CLI_ACTOR, requestContext } from '../src/common/request-context.js';
import { openCommandContext } from '../src/cli/boot.js';
import { loadConfig } from '../src/config/config.js';
import { ensurePseudonymKey } from '../src/config/pseudonym-key.js';
import { DatabaseModule } from '../src/database/database.module.js';
import { generateMunicipality } from '../src/demo/demo-generator.js';
import { IngestModule } from '../src/ingest/ingest.module.js';
import { IngestService } from '../src/ingest/ingest.service.js';
import { WarehouseModule } from '../src/warehouse/warehouse.module.js';
import { machineLine } from './bench-support.js';
import { textOf } from '../src/common/text-of.js';

const { values } = parseArgs({
  options: {
    students: { type: 'string', default: '100000' },
    schools: { type: 'string', default: '200' },
    dir: { type: 'string' },
  },
});
const work = mkdtempSync(join(tmpdir(), 'shirube-bench-ingest-'));
const dataDir = values.dir ?? join(work, 'municipality');

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

if (!existsSync(join(dataDir, 'attendance.csv'))) {
  const started = performance.now();
  await generateMunicipality({
    schools: Number(values.schools),
    students: Number(values.students),
    years: 1,
    seed: 7,
    outDir: dataDir,
    attendance: 'full',
  });
  console.log(`generated ${dataDir} in ${seconds(performance.now() - started)}`);
}
const attendance = join(dataDir, 'attendance.csv');
console.log(`attendance.csv: ${(statSync(attendance).size / 1e6).toFixed(0)} MB`);

// DuckDB's own load of the same file: a fresh database file, one statement. Run before and after
// Shirube's ingest (this machine's speed drifts between runs; the ratio uses the mean of the two).
async function duckdbBaseline(): Promise<number> {
  const baselineDb = join(work, 'baseline.duckdb');
  const started = performance.now();
  const instance = await DuckDBInstance.create(baselineDb);
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE attendance AS SELECT * FROM read_csv('${attendance}')`);
  const rows = (await connection.runAndReadAll('SELECT count(*) AS n FROM attendance')).getRowObjectsJS()[0].n;
  connection.closeSync();
  instance.closeSync();
  const ms = performance.now() - started;
  rmSync(baselineDb, { force: true });
  console.log(`DuckDB CREATE TABLE AS SELECT * FROM read_csv: ${textOf(rows)} rows in ${seconds(ms)}`);
  return ms;
}
const baselineBefore = await duckdbBaseline();

// SHIRUBE_DUCKDB_MEMORY_LIMIT is honoured (the warehouse's memory limit); nothing else of the environment.
const config = {
  ...loadConfig({ SHIRUBE_DUCKDB_MEMORY_LIMIT: process.env.SHIRUBE_DUCKDB_MEMORY_LIMIT }),
  pgliteDir: join(work, 'pg'),
  duckdbPath: join(work, 'warehouse.duckdb'),
  pseudonymKeyFile: join(work, 'pseudonym.key'),
};
ensurePseudonymKey(config.pseudonymKeyFile);
const app = await openCommandContext(config, [DatabaseModule, WarehouseModule, AuditModule, IngestModule]);
const ingest = app.get(IngestService);
const roster = await requestContext.run(CLI_ACTOR, () => ingest.ingest(join(dataDir, 'oneroster'), CLI_ACTOR));
console.log(`roster: ${roster.status}, ${roster.rowsLoaded} rows (not timed)`);
const rssBefore = process.resourceUsage().maxRSS;
const report = await requestContext.run(CLI_ACTOR, () => ingest.ingest(attendance, CLI_ACTOR));
await app.close();
const peakRss = process.resourceUsage().maxRSS;
const baselineAfter = await duckdbBaseline();
const baselineMs = (baselineBefore + baselineAfter) / 2;

console.log('');
console.log(`${machineLine()}; warehouse memory limit ${config.duckdbMemoryLimit}`);
console.log(
  `Shirube ingest (validate + pseudonymise + load): ${seconds(report.timingsMs.total)} for ${report.rowsLoaded} rows (${report.status}); file hash and detection ${seconds(report.timingsMs.detect)}, stage ${seconds(report.timingsMs.stage)}, load ${seconds(report.timingsMs.load)}`,
);
console.log(
  `DuckDB CTAS from read_csv:                       ${seconds(baselineMs)} (mean of ${seconds(baselineBefore)} before and ${seconds(baselineAfter)} after)`,
);
console.log(`ratio: ${(report.timingsMs.total / baselineMs).toFixed(2)}× (goal ≤ 1.5×)`);
console.log(`peak memory (RSS) of this process: ${mb(peakRss)} (before the attendance ingest: ${mb(rssBefore)})`);
rmSync(work, { recursive: true, force: true });
