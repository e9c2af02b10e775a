/**
 * Benchmark (prints figures; asserts nothing): refreshing every school's watch list (queries/indicators,
 * all indicators for every enrolled student, set-based in DuckDB, stored in watch_flags) after a day's
 * ingest, at prefecture scale.
 *
 *   npm run build && node dist/bench/watch.js [--schools 1000] [--students 500000] [--dir DIR] [--runs 5]
 *                                             [--warehouse FILE] [--as-of YYYY-MM-DD]
 *
 * 1. Generates a municipality (one year of daily attendance, exceptions only) into DIR, or reuses DIR, and
 *    ingests it (the ingest's own refresh of every list runs then too, and is not timed here); `--warehouse FILE`
 *    keeps the DuckDB file (and its pseudonym key as FILE.key), and a later run with the same FILE skips the ingest.
 * 2. Times, `--runs` times each: the refresh of every school's list, moved by one school day each time (as of
 *    the day before the day, then as of the day — default: the last day with attendance rows — and so on):
 *    what follows a day's ingest that touched every school; and the computation alone as of the day (the
 *    read, without storing); prints the medians, the flags stored and the machine.
 */
import 'reflect-metadata';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { int, log, machineLine, median, sec, timed } from './bench-support.js';
import { AuditModule } from '../src/audit/audit.module.js';
import { openCommandContext } from '../src/cli/boot.js';
import { CLI_ACTOR, requestContext } from '../src/common/request-context.js';
import { loadConfig } from '../src/config/config.js';
import { ensurePseudonymKey } from '../src/config/pseudonym-key.js';
import { DatabaseModule } from '../src/database/database.module.js';
import { generateMunicipality } from '../src/demo/demo-generator.js';
import { IngestModule } from '../src/ingest/ingest.module.js';
import { IngestService } from '../src/ingest/ingest.service.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { WarehouseModule } from '../src/warehouse/warehouse.module.js';
import { WatchModule } from '../src/watch/watch.module.js';
import { WatchRefresher } from '../src/watch/watch-refresh.service.js';

const { values: args } = parseArgs({
  options: {
    schools: { type: 'string', default: '1000' },
    students: { type: 'string', default: '500000' },
    dir: { type: 'string' },
    runs: { type: 'string', default: '5' },
    warehouse: { type: 'string' },
    'as-of': { type: 'string' },
  },
});
const runs = Math.max(1, Number(args.runs));
const work = mkdtempSync(join(tmpdir(), 'shirube-bench-watch-'));
const dataDir = args.dir ?? join(work, 'municipality');

log(machineLine());
if (!existsSync(join(dataDir, 'attendance.csv'))) {
  const { ms } = await timed(() =>
    generateMunicipality({
      schools: Number(args.schools),
      students: Number(args.students),
      years: 1,
      seed: 1,
      outDir: dataDir,
      attendance: 'exceptions',
    }),
  );
  log(`generated ${dataDir} (${args.schools} schools, ${args.students} students, 1 year) in ${sec(ms)}`);
} else log(`reusing the municipality in ${dataDir}`);

const config = {
  ...loadConfig({}),
  databaseUrl: undefined,
  pgliteDir: join(work, 'pg'),
  duckdbPath: args.warehouse ? resolve(args.warehouse) : join(work, 'warehouse.duckdb'),
  // Beside a kept warehouse, so that a later run with the same --warehouse reads it with the key it was loaded with.
  pseudonymKeyFile: args.warehouse ? `${resolve(args.warehouse)}.key` : join(work, 'pseudonym.key'),
};
ensurePseudonymKey(config.pseudonymKeyFile);
const app = await openCommandContext(config, [DatabaseModule, WarehouseModule, AuditModule, IngestModule, WatchModule]);
try {
  const warehouse = app.get(Warehouse);
  const watch = app.get(WatchRefresher);
  const inCli = <T>(job: () => Promise<T>) => requestContext.run(CLI_ACTOR, job);
  const enrolled = Number((await warehouse.all<{ n: bigint }>('SELECT count(*) AS n FROM enrolments'))[0].n);
  if (enrolled === 0) {
    const { result: batch, ms } = await timed(() =>
      inCli(() => app.get(IngestService).ingest(dataDir, CLI_ACTOR, { acceptPartial: true })),
    );
    log(
      `ingested in ${sec(ms)} (with its own refresh of every list; not part of the figures): ${batch.status}, ${int(batch.rowsLoaded)} rows`,
    );
  } else log(`reusing the warehouse ${config.duckdbPath} (no ingest)`);
  const [facts] = await warehouse.all<{ students: bigint; schools: bigint; rows: bigint; last_day: string }>(
    `SELECT (SELECT count(*) FROM enrolments) AS students, (SELECT count(*) FROM schools) AS schools,
            (SELECT count(*) FROM attendance_records) AS rows, (SELECT CAST(max(day) AS VARCHAR) FROM attendance_records) AS last_day`,
  );
  const asOf = args['as-of'] ?? facts.last_day;
  const schools = (await warehouse.all<{ school_code: string }>('SELECT school_code FROM schools ORDER BY 1')).map(
    (r) => r.school_code,
  );
  log(
    `${int(Number(facts.students))} enrolments, ${int(Number(facts.schools))} schools, ${int(Number(facts.rows))} daily attendance rows; as of ${asOf}`,
  );

  // Each refresh moves the stored lists by one school day, as after a day's ingest: as of the day before, then as
  // of the day, and so on (the ingest's own refresh left them as of the day).
  const [{ day_before }] = await warehouse.all<{ day_before: string }>(
    'SELECT CAST(max(day) AS VARCHAR) AS day_before FROM school_days WHERE day < CAST($1 AS DATE)',
    [asOf],
  );
  const refresh: number[] = [];
  const compute: number[] = [];
  let flags = 0;
  let students = 0;
  for (let run = 0; run < runs; run++) {
    const stored = await timed(() => watch.refresh(schools, run % 2 === 0 ? day_before : asOf));
    refresh.push(stored.ms);
    flags = stored.result;
    const read = await timed(() => watch.compute(asOf, null));
    compute.push(read.ms);
    students = new Set(read.result.map((r) => r.student)).size;
  }
  log(
    `refresh of every school's watch list, one school day on (compute + store): median ${sec(median(refresh))} of ${runs} [${refresh.map((ms) => sec(ms)).join(', ')}]`,
  );
  log(`computation alone (read): median ${sec(median(compute))} [${compute.map((ms) => sec(ms)).join(', ')}]`);
  log(`${int(students)} students flagged, ${int(flags)} indicator rows stored`);
} finally {
  await app.close();
}
