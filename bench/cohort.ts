/**
 * Benchmark (prints figures; asserts nothing): cohort queries at prefecture scale. Goal (issue 5):
 * a staggered-adoption DiD and a value-added run each under 1 s.
 *
 *   npm run build && node dist/bench/cohort.js [--schools 1000] [--students 500000] [--years 3] [--dir DIR]
 *                                              [--warehouse FILE] [--runs 5] [--ingest-only] [--trace-memory]
 *
 * 1. Generates the municipality (exceptions-only daily attendance) into DIR, or reuses DIR when it
 *    holds one; ingests it into a DuckDB warehouse (temp, or FILE: a later run given the same FILE
 *    skips the ingest) with an embedded PGlite control plane in a temp folder. Prints the ingest's time
 *    and the process's peak RSS (SHIRUBE_DUCKDB_MEMORY_LIMIT is honoured: the warehouse's memory limit);
 *    --trace-memory prints RSS beside DuckDB's own memory every 5 s; --ingest-only stops there.
 * 2. Times `CohortsService.query` end to end (population built from the warehouse, the method,
 *    disclosure control, the audit row) for: the staggered DiD (Callaway & Sant'Anna, never-treated),
 *    value-added for the last year, and for context a 2×2 DiD, a funnel plot and a descriptive table
 *    by grade × sex; one warm-up run each, then the median of --runs.
 */
import 'reflect-metadata';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { int, log, machineLine, median, sec, timed } from './bench-support.js';
import { mb, peakRss, traceMemory } from './memory-trace.js';
import { AuditModule } from '../src/audit/audit.module.js';
import { CohortsModule } from '../src/cohorts/cohorts.module.js';
import { CohortsService } from '../src/cohorts/cohorts.service.js';
import { CLI_ACTOR, requestContext } from '../src/common/request-context.js';
import { openCommandContext } from '../src/cli/boot.js';
import { loadConfig } from '../src/config/config.js';
import { ensurePseudonymKey } from '../src/config/pseudonym-key.js';
import { DatabaseModule } from '../src/database/database.module.js';
import { generateMunicipality } from '../src/demo/demo-generator.js';
import { IngestModule } from '../src/ingest/ingest.module.js';
import { IngestService } from '../src/ingest/ingest.service.js';
import { MetricsModule } from '../src/metrics/metrics.module.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { WarehouseModule } from '../src/warehouse/warehouse.module.js';

const { values: args } = parseArgs({
  options: {
    schools: { type: 'string', default: '1000' },
    students: { type: 'string', default: '500000' },
    years: { type: 'string', default: '3' },
    dir: { type: 'string' },
    warehouse: { type: 'string' },
    runs: { type: 'string', default: '5' },
    'ingest-only': { type: 'boolean', default: false },
    'trace-memory': { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(args.runs));
const work = mkdtempSync(join(tmpdir(), 'shirube-bench-cohort-'));
const dataDir = args.dir ? resolve(args.dir) : join(work, 'municipality');

log(machineLine());
try {
  if (!existsSync(join(dataDir, 'attendance.csv'))) {
    const { ms } = await timed(() =>
      generateMunicipality({
        schools: Number(args.schools),
        students: Number(args.students),
        years: Number(args.years),
        seed: 1,
        outDir: dataDir,
        attendance: 'exceptions',
      }),
    );
    log(`generated ${dataDir} (${args.schools} schools, ${args.students} students, ${args.years} years) in ${sec(ms)}`);
  } else {
    log(`reusing the municipality in ${dataDir}`);
  }

  const duckdbPath = args.warehouse ? resolve(args.warehouse) : join(work, 'warehouse.duckdb');
  // SHIRUBE_DUCKDB_MEMORY_LIMIT is honoured (the warehouse's memory limit); nothing else of the environment.
  const config = {
    ...loadConfig({ SHIRUBE_DUCKDB_MEMORY_LIMIT: process.env.SHIRUBE_DUCKDB_MEMORY_LIMIT }),
    databaseUrl: undefined,
    pgliteDir: join(work, 'pg'),
    duckdbPath,
    // Beside a given warehouse file, so that a later run reusing it boots with the key it was loaded with.
    pseudonymKeyFile: args.warehouse ? `${duckdbPath}.pseudonym.key` : join(work, 'pseudonym.key'),
  };
  ensurePseudonymKey(config.pseudonymKeyFile);
  const app = await openCommandContext(config, [
    DatabaseModule,
    WarehouseModule,
    AuditModule,
    IngestModule,
    MetricsModule,
    CohortsModule,
  ]);
  const warehouse = app.get(Warehouse);
  const inCli = <T>(job: () => Promise<T>) => requestContext.run(CLI_ACTOR, job);
  try {
    if (Number((await warehouse.all<{ n: bigint }>('SELECT count(*) AS n FROM enrolments'))[0].n) > 0) {
      log(`reusing the warehouse ${duckdbPath} (no ingest)`);
    } else {
      let feed = 'detect (hash)';
      const stopTrace = args['trace-memory'] ? traceMemory(warehouse, 5000, () => feed) : () => undefined;
      const { result: batch, ms } = await timed(() =>
        inCli(() =>
          app
            .get(IngestService)
            .ingest(dataDir, CLI_ACTOR, { acceptPartial: true, onProgress: (name) => (feed = name) })
            .finally(stopTrace),
        ),
      );
      if (batch.status !== 'loaded' && batch.status !== 'partial')
        throw new Error(`the municipality did not load: ${batch.status} — ${batch.message}`);
      log(
        `ingested in ${sec(ms)} (stage ${sec(batch.timingsMs.stage)}, load ${sec(batch.timingsMs.load)}; not part of the figures): ${int(batch.rowsLoaded)} rows`,
      );
      log(
        `peak RSS of the process after the ingest: ${mb(peakRss())} (warehouse memory limit ${config.duckdbMemoryLimit})`,
      );
    }
    if (!args['ingest-only']) await runCases();
  } finally {
    await app.close();
  }

  async function runCases(): Promise<void> {
    const [counts] = await warehouse.all<Record<string, bigint | number>>(
      `SELECT (SELECT count(*) FROM schools) AS schools, (SELECT count(*) FROM enrolments) AS enrolments,
              (SELECT count(DISTINCT academic_year) FROM enrolments) AS years, (SELECT max(academic_year) FROM enrolments) AS last_year,
              (SELECT count(*) FROM attendance_days) AS attendance_rows, (SELECT count(*) FROM assessment_results) AS assessment_rows`,
    );
    const n = (k: string) => Number(counts[k]);
    const last = n('last_year');
    const years = Array.from({ length: n('years') }, (_, i) => last - n('years') + 1 + i);
    log(
      `warehouse: ${int(n('schools'))} schools, ${int(n('enrolments'))} enrolments over FY${years[0]}–${last}, ${int(n('attendance_rows'))} daily attendance rows, ${int(n('assessment_rows'))} assessment rows`,
    );

    const cases: [string, unknown][] = [
      [
        'staggered DiD (C&S, never-treated)',
        {
          population: { academicYears: years },
          outcomes: ['attendance_rate'],
          analysis: { method: 'did_staggered', programme: 'prog-support-room', outcome: 'attendance_rate' },
        },
      ],
      [
        'value-added (last year)',
        {
          population: { academicYears: [last - 1, last] },
          outcomes: ['assessment_score'],
          analysis: { method: 'value_added', academicYear: last },
        },
      ],
      [
        '2×2 DiD',
        {
          population: { academicYears: years },
          outcomes: ['attendance_rate'],
          analysis: {
            method: 'did_2x2',
            programme: 'prog-support-room',
            outcome: 'attendance_rate',
            preYears: [years[0]],
            postYears: [years[1]],
          },
        },
      ],
      [
        'funnel (long-term absence)',
        {
          population: { academicYears: [last] },
          outcomes: ['long_term_absence'],
          analysis: { method: 'funnel', outcome: 'long_term_absence', academicYear: last },
        },
      ],
      [
        'descriptive by month, programme groups (last year)',
        {
          population: { academicYears: [last] },
          groups: { by: 'programme', programme: 'prog-support-room' },
          outcomes: ['attendance_rate', 'app_minutes'],
          timeGrain: 'month',
        },
      ],
      [
        'descriptive, programme groups × grade × sex',
        {
          population: { academicYears: years },
          groups: { by: 'programme', programme: 'prog-support-room' },
          outcomes: ['attendance_rate', 'long_term_absence', 'assessment_score'],
          breakdowns: ['grade', 'sex'],
        },
      ],
    ];
    // The generator's planted high-growth schools (truth.json), to say how well value-added finds them.
    const truthFile = join(dataDir, 'truth.json');
    const planted = existsSync(truthFile)
      ? new Set(
          (JSON.parse(readFileSync(truthFile, 'utf8')) as { highGrowth: { schoolCodes: string[] } }).highGrowth
            .schoolCodes,
        )
      : null;
    const flaggedAgainstTruth = (flagged: string[]) => {
      if (!planted) return `${flagged.length} schools flagged`;
      const hits = flagged.filter((s) => planted.has(s)).length;
      return `${flagged.length} schools flagged, ${planted.size} planted: precision ${(hits / Math.max(1, flagged.length)).toFixed(2)}, recall ${(hits / Math.max(1, planted.size)).toFixed(2)}`;
    };
    const service = app.get(CohortsService);
    log(
      `\n${'run'.padEnd(46)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)}  (${runs} runs after 1 warm-up; goal < 1 s for the first two)`,
    );
    for (const [label, definition] of cases) {
      const first = await timed(() => inCli(() => service.query(definition)));
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push((await timed(() => inCli(() => service.query(definition)))).ms);
      const result = first.result;
      const extra =
        result.method === 'did_staggered'
          ? `overall ${JSON.stringify(result.tables.effects.rows[0].estimate)} [${result.tables.effects.rows[0].lower}, ${result.tables.effects.rows[0].upper}]`
          : result.method === 'value_added'
            ? flaggedAgainstTruth(
                result.tables.schools.rows.filter((r) => r.flagged === true).map((r) => String(r.school)),
              )
            : `${Object.values(result.tables).reduce((s, t) => s + t.rows.length, 0)} rows, ${result.disclosure.cellsRedacted} cells redacted`;
      log(
        `${label.padEnd(46)} ${sec(median(times)).padStart(9)} ${sec(Math.min(...times)).padStart(9)} ${sec(Math.max(...times)).padStart(9)}  first ${sec(first.ms)}; ${extra}`,
      );
    }
    log(`peak RSS ${mb(peakRss())}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
