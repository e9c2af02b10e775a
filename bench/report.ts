/**
 * Benchmark (prints figures; asserts nothing): report rendering. Goal (issue 6): a warm render
 * < 1.5 s, `school-profile` for 100 schools < 60 s.
 *
 *   npm run build && node dist/bench/report.js [--schools 100] [--students 30000] [--dir DIR] [--warehouse FILE] [--runs 5]
 *
 * 1. Generates a municipality of --schools schools (3 years) into DIR, or reuses DIR; ingests it into a
 *    DuckDB warehouse (temp, or FILE, reused when it holds data) with a PGlite control plane in a temp folder.
 * 2. One `school-profile` with a cold browser (the first render of the process: Chromium launches),
 *    then --runs warm renders of the same report, and warm renders of the other templates that need
 *    no survey (policy-evaluation, good-practice).
 * 3. `school-profile` for the first 100 schools through the batch path (4 pages at once on one browser).
 */
import 'reflect-metadata';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { log, machineLine, median, timed } from './bench-support.js';
import { AuditModule } from '../src/audit/audit.module.js';
import { CohortsModule } from '../src/cohorts/cohorts.module.js';
import { CLI_ACTOR, requestContext } from '../src/common/request-context.js';
import { openCommandContext } from '../src/cli/boot.js';
import { loadConfig } from '../src/config/config.js';
import { ensurePseudonymKey } from '../src/config/pseudonym-key.js';
import { DatabaseModule } from '../src/database/database.module.js';
import { generateMunicipality } from '../src/demo/demo-generator.js';
import { IngestModule } from '../src/ingest/ingest.module.js';
import { IngestService } from '../src/ingest/ingest.service.js';
import { MetricsModule } from '../src/metrics/metrics.module.js';
import { ReportsModule } from '../src/reports/reports.module.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { SurveysModule } from '../src/surveys/surveys.module.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { WarehouseModule } from '../src/warehouse/warehouse.module.js';

const { values: args } = parseArgs({
  options: {
    schools: { type: 'string', default: '100' },
    students: { type: 'string', default: '30000' },
    dir: { type: 'string' },
    warehouse: { type: 'string' },
    runs: { type: 'string', default: '5' },
  },
});
const runs = Math.max(1, Number(args.runs));
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const work = mkdtempSync(join(tmpdir(), 'shirube-bench-report-'));
const dataDir = args.dir ? resolve(args.dir) : join(work, 'municipality');

log(machineLine());
try {
  if (!existsSync(join(dataDir, 'attendance.csv'))) {
    const { ms } = await timed(() =>
      generateMunicipality({
        schools: Number(args.schools),
        students: Number(args.students),
        years: 3,
        seed: 1,
        outDir: dataDir,
      }),
    );
    log(`generated ${args.schools} schools, ${args.students} students, 3 years in ${sec(ms)}`);
  }
  const duckdbPath = args.warehouse ? resolve(args.warehouse) : join(work, 'warehouse.duckdb');
  const config = {
    ...loadConfig({}),
    databaseUrl: undefined,
    pgliteDir: join(work, 'pg'),
    duckdbPath,
    // Beside a kept warehouse: a later run with the same --warehouse reads it with the key it was loaded with.
    pseudonymKeyFile: args.warehouse ? `${duckdbPath}.key` : join(work, 'pseudonym.key'),
    reportsDir: join(work, 'reports'),
  };
  ensurePseudonymKey(config.pseudonymKeyFile);
  const app = await openCommandContext(config, [
    DatabaseModule,
    WarehouseModule,
    AuditModule,
    IngestModule,
    MetricsModule,
    SurveysModule,
    CohortsModule,
    ReportsModule,
  ]);
  const inCli = <T>(job: () => Promise<T>) => requestContext.run(CLI_ACTOR, job);
  try {
    const warehouse = app.get(Warehouse);
    if (Number((await warehouse.all<{ n: bigint }>('SELECT count(*) AS n FROM enrolments'))[0].n) === 0) {
      const { result, ms } = await timed(() =>
        inCli(() => app.get(IngestService).ingest(dataDir, CLI_ACTOR, { acceptPartial: true })),
      );
      log(
        `ingested in ${sec(ms)} (not part of the figures): ${result.status}, ${result.rowsLoaded.toLocaleString('en')} rows`,
      );
    }
    const [{ y }] = await warehouse.all<{ y: number }>('SELECT max(academic_year) AS y FROM enrolments');
    const years = (
      await warehouse.all<{ academic_year: number }>('SELECT DISTINCT academic_year FROM enrolments ORDER BY 1')
    ).map((r) => r.academic_year);
    const reports = app.get(ReportsService);
    const schools = (await reports.schoolCodes()).slice(0, 100);
    log(`warehouse: ${(await reports.schoolCodes()).length} schools; FY${y}`);

    const profile = (school: string) =>
      inCli(() => reports.render(CLI_ACTOR, 'school-profile', { academicYear: y, school }));
    const cold = await timed(() => profile(schools[0]));
    log(
      `\ncold browser (first render, Chromium launches): ${sec(cold.ms)}  (${cold.result.pdf.length.toLocaleString('en')} bytes)`,
    );
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) warm.push((await timed(() => profile(schools[(i + 1) % schools.length]))).ms);
    log(
      `warm browser, school-profile:      median ${sec(median(warm))}  (min ${sec(Math.min(...warm))}, max ${sec(Math.max(...warm))}; goal < 1.5 s)`,
    );
    for (const [id, params] of [
      ['policy-evaluation', { programme: 'prog-support-room', academicYears: years.join(',') }],
      ['good-practice', { academicYear: y }],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < Math.min(runs, 3); i++)
        times.push((await timed(() => inCli(() => reports.render(CLI_ACTOR, id, params)))).ms);
      log(`warm browser, ${id.padEnd(20)} median ${sec(median(times))}`);
    }

    let done = 0;
    let failed = 0;
    const batch = await timed(() =>
      inCli(() =>
        reports.renderEachSchool(
          CLI_ACTOR,
          'school-profile',
          { academicYear: y },
          (_school, report) => {
            if (report) done++;
            else failed++;
          },
          { schools },
        ),
      ),
    );
    log(
      `school-profile for ${schools.length} schools (4 pages at once): ${sec(batch.ms)}  (${done} rendered, ${failed} failed; ${sec(batch.ms / Math.max(1, done))} per school; goal < 60 s)`,
    );
    log(`peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (Chromium not included)`);
  } finally {
    await app.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
