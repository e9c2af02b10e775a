/**
 * Benchmark (prints figures; asserts nothing): issuing a survey that binds the WHOLE metric catalogue
 * to every school of a prefecture-scale municipality, against PostgreSQL computing the same aggregates
 * over the same rows.
 *
 *   npm run build && node dist/bench/prefill.js [--schools 1000] [--students 500000] [--dir DIR] [--runs 3]
 *                                               [--warehouse FILE] [--pg postgres://postgres@127.0.0.1:5432/postgres] [--keep]
 *                                               [--daily-batches]
 *
 * 1. Generates the municipality (one year, exceptions-only daily attendance; ~35–60 s at full scale)
 *    into DIR, or reuses DIR when it already holds one; ingests it into a temp DuckDB warehouse (and a
 *    temp PGlite control plane, or a fresh database on DATABASE_URL's server when DATABASE_URL is set).
 *    The ingest takes minutes at full scale: `--warehouse FILE` keeps the DuckDB file there, and a later
 *    run given the same FILE (holding enrolments) skips the ingest (its pseudonym key is kept beside it, as
 *    FILE.key). Rejected rows are left out (acceptPartial) and counted: both engines then read the same rows.
 * 2. Time A: a survey with one question per catalogue metric (a grid over all its dimensions, or a
 *    number for a metric without any), targeting all schools; `SurveysService.issue` end to end (metric
 *    queries for every school + 1 response per school with its answers written to the control plane),
 *    then the warehouse part alone (`SurveysService.compute`) `--runs` times, and each metric alone.
 * 3. Time B: the tables the metrics read are copied from DuckDB (COPY TO csv) into a fresh PostgreSQL
 *    database (C collation; server-side COPY FROM the file: PostgreSQL runs on this machine), with the
 *    warehouse's primary keys and every metric query in PostgreSQL dialect (bench/postgres-metrics/), then
 *    VACUUM ANALYZE; each metric for all schools is timed `--runs` times in two layouts:
 *      B1 "daily":   the per-student year record computed from the daily rows (migration 003's views);
 *      B2 "summary": the warehouse's layout since migration 005 (its attendance summaries and per-student
 *                    record as tables, their rows copied from DuckDB too; the grade the warehouse keeps on
 *                    assessment and guidance rows since migration 006 is not copied: there both still join
 *                    enrolments, as in B1).
 *    The goal's ratio is B1 (PostgreSQL doing the aggregates over the daily rows) against Shirube's
 *    warehouse part; B2 shows engine against engine on the same layout. Every PostgreSQL result is
 *    compared with DuckDB's, row by row; mismatches are printed. The PostgreSQL database is dropped at
 *    the end (--keep: kept, with the temp dir, for EXPLAIN).
 * 4. The JS part of compute is timed alone too (the same call with the warehouse answers in hand).
 * 5. The national forms (survey-templates/mext-*): each created and issued end to end to the schools of its
 *    type, every bound cell pre-filled (their metrics are in the catalogue, so B covers them too), the four one
 *    after the other, `--runs` times; each template and both together are set beside PostgreSQL B1 computing
 *    the metrics their cells are bound to.
 * What the metrics service keeps between reads of unchanged data (Warehouse.mark) is dropped before every timed
 * run by an empty write, as the first issue after an ingest finds it.
 *
 * `--daily-batches`: the municipality is ingested as one batch, a board's warehouse is loaded day by day (a figure of
 * February comes from ~200 batches). The daily attendance and guidance rows are given the batch of their day, as
 * if each school day had been loaded on its own (one new batch id a day, in loaded_batches too; the figures do not
 * change). The warehouse FILE keeps it: a later run on it reads the daily batches, with or without the option.
 */
import 'reflect-metadata';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { int, log, median, timed } from './bench-support.js';
import { AuditModule } from '../src/audit/audit.module.js';
import { projectRoot } from '../src/common/project-root.js';
import { CLI_ACTOR, requestContext } from '../src/common/request-context.js';
import { openCommandContext } from '../src/cli/boot.js';
import { loadConfig } from '../src/config/config.js';
import { ensurePseudonymKey } from '../src/config/pseudonym-key.js';
import { DatabaseModule } from '../src/database/database.module.js';
import { generateMunicipality } from '../src/demo/demo-generator.js';
import { IngestModule } from '../src/ingest/ingest.module.js';
import { IngestService } from '../src/ingest/ingest.service.js';
import type { MetricDefinition } from '../src/metrics/metric-catalogue.js';
import { MetricsModule } from '../src/metrics/metrics.module.js';
import { MetricsService, type MetricValue } from '../src/metrics/metrics.service.js';
import type { CreateSurveyDto, QuestionDto } from '../src/surveys/dto/create-survey.dto.js';
import { ADDITIVE_UNITS } from '../src/surveys/prefill.js';
import { SurveysModule } from '../src/surveys/surveys.module.js';
import { SurveysService } from '../src/surveys/surveys.service.js';
import { loadTemplate, surveyFromTemplate, templateCoverage, templateNames } from '../src/surveys/survey-templates.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { WarehouseModule } from '../src/warehouse/warehouse.module.js';
import { textOf } from '../src/common/text-of.js';

const { values: args } = parseArgs({
  options: {
    schools: { type: 'string', default: '1000' },
    students: { type: 'string', default: '500000' },
    dir: { type: 'string' },
    runs: { type: 'string', default: '3' },
    warehouse: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'daily-batches': { type: 'boolean', default: false },
    pg: { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const runs = Math.max(1, Number(args.runs));
const work = mkdtempSync(join(tmpdir(), 'shirube-bench-prefill-'));
// PostgreSQL (another OS user) reads the exported CSV files from here.
chmodSync(work, 0o755);
const dataDir = args.dir ?? join(work, 'municipality');
const sqlDir = join(projectRoot(), 'bench', 'postgres-metrics');

const ms = (n: number) => `${Math.round(n).toLocaleString('en')} ms`;
const sec = (n: number) => `${(n / 1000).toFixed(2)} s`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** Admin connection to the PostgreSQL server; `database` swaps the database of a URL. */
const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const benchDb = `shirube_prefill_${suffix}`;
const controlPlaneDb = process.env.DATABASE_URL ? `shirube_prefill_cp_${suffix}` : undefined;
const createdDatabases: { url: string; name: string }[] = [];
async function createDatabase(adminUrl: string, name: string, collateC: boolean): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(
      `CREATE DATABASE ${name}${collateC ? ` TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'` : ''}`,
    );
  } finally {
    await admin.end();
  }
  createdDatabases.push({ url: adminUrl, name });
  return withDatabase(adminUrl, name);
}
async function dropDatabases(): Promise<void> {
  for (const { url, name } of createdDatabases.splice(0)) {
    const admin = new pg.Client({ connectionString: url });
    try {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } catch (error) {
      console.error(`could not drop database ${name}: ${(error as Error).message}`);
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
}

interface Row {
  key: string;
  value: number;
}
interface Comparison {
  duckRows: number;
  pgRows: number;
  duckSum: number;
  pgSum: number;
  differing: number;
  maxAbsDiff: number;
  examples: string[];
}

/** Compares two results row by row (key = school + dimension values), values within a relative 1e-9. */
function compare(duck: Row[], pgRows: Row[]): Comparison {
  const sum = (rows: Row[]) => rows.reduce((s, r) => s + r.value, 0);
  const left = new Map(duck.map((r) => [r.key, r.value]));
  const right = new Map(pgRows.map((r) => [r.key, r.value]));
  const out: Comparison = {
    duckRows: duck.length,
    pgRows: pgRows.length,
    duckSum: sum(duck),
    pgSum: sum(pgRows),
    differing: 0,
    maxAbsDiff: 0,
    examples: [],
  };
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const a = left.get(key);
    const b = right.get(key);
    const same = a !== undefined && b !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
    if (same) continue;
    out.differing++;
    if (a !== undefined && b !== undefined) out.maxAbsDiff = Math.max(out.maxAbsDiff, Math.abs(a - b));
    if (out.examples.length < 5) out.examples.push(`${key}: DuckDB ${a ?? '(no row)'}, PostgreSQL ${b ?? '(no row)'}`);
  }
  return out;
}

/** The survey: every metric of the catalogue, for every school. */
function wholeCatalogue(metrics: MetricDefinition[], academicYear: number): CreateSurveyDto {
  const questions = metrics.map((metric, i): QuestionDto => ({
    code: `q${i + 1}`,
    text: { ja: metric.title.ja, en: metric.title.en },
    ...(metric.dimensions.length > 0
      ? { type: 'grid', gridDims: [...metric.dimensions] }
      : { type: ADDITIVE_UNITS.has(metric.unit) ? 'integer' : 'number' }),
    binding: { metric: metric.id },
    required: true,
  }));
  return {
    title: { ja: '指標カタログ一括調査(ベンチマーク)', en: 'Whole metric catalogue (benchmark)' },
    description: { ja: '', en: '' },
    academicYear,
    asOfDate: `${academicYear}-05-01`,
    deadline: `${academicYear + 1}-05-31`,
    targets: { kind: 'all' },
    questions,
  };
}

/** The warehouse tables the metrics read, with their columns (as in bench/postgres-metrics/tables.sql). */
const TABLES: Record<string, string[]> = {
  students: ['student_pid', 'sex', 'birth_year_month', 'batch_id'],
  homerooms: [
    'homeroom_id',
    'school_code',
    'academic_year',
    'title',
    'grades',
    'special_needs',
    'batch_id',
    'disability_type',
  ],
  enrolments: ['student_pid', 'school_code', 'academic_year', 'grade', 'homeroom_id', 'special_needs', 'batch_id'],
  staff_counts: ['school_code', 'academic_year', 'role', 'staff', 'batch_id'],
  school_days: ['school_code', 'day', 'academic_year', 'batch_id'],
  attendance_days: ['student_pid', 'school_code', 'day', 'academic_year', 'status', 'reason', 'batch_id', 'place'],
  assessment_results: [
    'student_pid',
    'school_code',
    'academic_year',
    'assessment_id',
    'subject',
    'administered_on',
    'score',
    'max_score',
    'batch_id',
  ],
  guidance_records: [
    'record_id',
    'student_pid',
    'school_code',
    'academic_year',
    'recorded_on',
    'category',
    'type_code',
    'discovered_by',
    'resolved',
    'serious',
    'batch_id',
  ],
  learning_activity: [
    'statement_id',
    'actor_pid',
    'student_pid',
    'school_code',
    'academic_year',
    'verb_id',
    'activity_id',
    'activity_type',
    'ts',
    'duration_s',
    'score_scaled',
    'score_raw',
    'success',
    'completion',
    'batch_id',
  ],
};
/** The derived tables the ingest keeps (migrations 004 and 005; as in bench/postgres-metrics/005-student-year-attendance.sql). */
const SUMMARY_TABLES: Record<string, string[]> = {
  school_year_days: ['school_code', 'academic_year', 'school_days', 'weeks', 'from_calendar'],
  attendance_student_year: [
    'student_pid',
    'school_code',
    'academic_year',
    'excused_days',
    'absent_days',
    'main_reason',
  ],
  student_year_attendance: [
    'academic_year',
    'school_code',
    'student_pid',
    'grade',
    'homeroom_id',
    'special_needs',
    'sex',
    'school_days',
    'excused_days',
    'required_days',
    'absent_days',
    'attended_days',
    'main_reason',
  ],
};
/** DuckDB's CSV of a VARCHAR[] is `[a, b]`; PostgreSQL reads `{a,b}`. */
const exportExpression = (column: string) =>
  column === 'grades' ? `'{' || array_to_string(grades, ',') || '}' AS grades` : column;

let exitCode = 0;
try {
  // ---- the municipality -----------------------------------------------------------------------
  if (!existsSync(join(dataDir, 'attendance.csv'))) {
    const { ms: generateMs } = await timed(() =>
      generateMunicipality({
        schools: Number(args.schools),
        students: Number(args.students),
        years: 1,
        seed: 1,
        outDir: dataDir,
        attendance: 'exceptions',
      }),
    );
    log(
      `generated ${dataDir} (${args.schools} schools, ${args.students} students, 1 year, exceptions-only attendance) in ${sec(generateMs)}`,
    );
  } else {
    log(`reusing the municipality in ${dataDir}`);
  }

  // ---- Shirube: warehouse + control plane -------------------------------------------------------
  const databaseUrl = process.env.DATABASE_URL
    ? await createDatabase(process.env.DATABASE_URL, controlPlaneDb!, false)
    : undefined;
  const duckdbPath = args.warehouse ? resolve(args.warehouse) : join(work, 'warehouse.duckdb');
  const config = {
    ...loadConfig({}),
    databaseUrl,
    // A throwaway database made by the server's superuser, as in the tests.
    allowPrivilegedDatabaseRole: true,
    pgliteDir: join(work, 'pg'),
    duckdbPath,
    // Beside a kept warehouse (as bench/watch does), so that a later run reads it with the key it was loaded with.
    pseudonymKeyFile: args.warehouse ? `${duckdbPath}.key` : join(work, 'pseudonym.key'),
  };
  ensurePseudonymKey(config.pseudonymKeyFile);
  const app = await openCommandContext(config, [
    DatabaseModule,
    WarehouseModule,
    AuditModule,
    IngestModule,
    MetricsModule,
    SurveysModule,
  ]);
  const warehouse = app.get(Warehouse);
  const metrics = app.get(MetricsService);
  const surveys = app.get(SurveysService);
  const inCli = <T>(work: () => Promise<T>) => requestContext.run(CLI_ACTOR, work);

  const reuseWarehouse = Number((await warehouse.all<{ n: bigint }>('SELECT count(*) AS n FROM enrolments'))[0].n) > 0;
  if (reuseWarehouse) {
    log(`reusing the warehouse ${duckdbPath} (no ingest)`);
  } else {
    const { result: batch, ms: ingestMs } = await timed(() =>
      inCli(() => app.get(IngestService).ingest(dataDir, CLI_ACTOR, { acceptPartial: true })),
    );
    if (batch.status !== 'loaded' && batch.status !== 'partial')
      throw new Error(`the municipality did not load: ${batch.status} — ${batch.message}`);
    log(
      `ingested in ${sec(ingestMs)} (not part of the figures): ${batch.status}, ${int(batch.rowsLoaded)} rows, ${int(batch.rowsRejected)} rejected, ${int(batch.warnings)} warnings`,
    );
    for (const rule of batch.problemsByRule.filter((p) => p.severity === 'error'))
      log(`  left out: ${rule.count} row(s) of ${rule.file}: ${rule.rule}`);
  }

  const academicYear = Number(
    (await warehouse.all<{ y: number }>('SELECT max(academic_year) AS y FROM enrolments'))[0].y,
  );
  if (args['daily-batches']) {
    const [{ n }] = await warehouse.all<{ n: bigint }>('SELECT count(*) AS n FROM batch_refs');
    if (Number(n) > 1) log(`the warehouse's daily rows already come from ${n} batches`);
    else {
      await warehouse.transaction(async (session) => {
        // One batch per day of the year (the days the rows have), numbered after the one batch of the ingest.
        await session.run(
          `CREATE TEMP TABLE daily_batch AS
           SELECT day, CAST(1 + row_number() OVER (ORDER BY day) AS INTEGER) AS batch_ref
           FROM (SELECT DISTINCT day FROM attendance_records UNION SELECT DISTINCT recorded_on FROM guidance_records)`,
        );
        await session.run(`INSERT INTO batch_refs SELECT batch_ref, gen_random_uuid() FROM daily_batch`);
        await session.run(
          `INSERT INTO loaded_batches (batch_id) SELECT batch_id FROM batch_refs WHERE batch_id NOT IN (SELECT batch_id FROM loaded_batches)`,
        );
        await session.run(
          `UPDATE attendance_records SET batch_ref = d.batch_ref FROM daily_batch d WHERE d.day = attendance_records.day`,
        );
        await session.run(
          `UPDATE guidance_records SET batch_id = CAST(b.batch_id AS VARCHAR)
           FROM daily_batch d JOIN batch_refs b ON b.batch_ref = d.batch_ref
           WHERE d.day = guidance_records.recorded_on`,
        );
        await session.run('DROP TABLE daily_batch');
      });
      const [{ days }] = await warehouse.all<{ days: bigint }>('SELECT count(*) - 1 AS days FROM batch_refs');
      log(`the daily rows given the batch of their day: ${days} batches, as if loaded day by day (--daily-batches)`);
    }
  }
  const counts = (
    await warehouse.all(
      `SELECT (SELECT count(*) FROM schools) AS schools,
            (SELECT count(*) FROM enrolments WHERE academic_year = ${academicYear}) AS students,
            (SELECT count(*) FROM attendance_days WHERE academic_year = ${academicYear}) AS attendance_rows,
            (SELECT count(*) FROM school_days WHERE academic_year = ${academicYear}) AS school_days,
            (SELECT count(*) FROM assessment_results) AS assessment_rows,
            (SELECT count(*) FROM guidance_records) AS guidance_rows,
            (SELECT count(*) FROM learning_activity) AS learning_rows`,
    )
  )[0];
  const n = (key: string) => Number(counts[key]);

  // ---- Time A: issue the whole catalogue ------------------------------------------------------------
  // What the metrics service keeps of the warehouse (every school's figures, the batches behind them) lasts until
  // the next write: every timed run starts after one, as the first issue after a night's ingest would.
  const dataChanged = () => warehouse.transaction(() => Promise.resolve());
  const catalogue = metrics.list();
  const { survey, questions } = await inCli(() => surveys.create(wholeCatalogue(catalogue, academicYear), CLI_ACTOR));
  const schoolCodes = (await surveys.targetSchools(survey.targets)).map((s) => s.schoolCode);
  const rssBeforeIssue = process.resourceUsage().maxRSS;
  // The issue's own compute is timed from inside (the instance method, wrapped for this one call).
  let issueComputeMs = 0;
  const { result: issued, ms: issueMs } = await (async () => {
    const service = surveys as unknown as { compute: SurveysService['compute'] };
    const compute = service.compute;
    service.compute = async (...computeArgs) => {
      const { result, ms: took } = await timed(() => compute.apply(surveys, computeArgs));
      issueComputeMs = took;
      return result;
    };
    try {
      return await timed(() => inCli(() => surveys.issue(survey.id)));
    } finally {
      service.compute = compute;
    }
  })();

  const computeMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    await dataChanged();
    computeMs.push((await timed(() => surveys.compute(survey, questions, schoolCodes))).ms);
  }

  // The national forms (survey-templates/): each issued to the schools of its type, every bound cell pre-filled, one
  // after the other as a board issues them, `--runs` times (new surveys each time), each run after a write: the
  // first form of each template reads the warehouse, its other form reuses what the first read (nothing changed).
  const forms = templateNames().filter((n) => n.startsWith('mext-'));
  const formMs = new Map<string, number[]>(forms.map((name) => [name, []]));
  const nationalRunMs: number[] = [];
  const national: { name: string; bound: number; schools: number; prefilled: number; ms: number; metrics: string[] }[] =
    [];
  for (let i = 0; i < runs; i++) {
    await dataChanged();
    let runMs = 0;
    for (const name of forms) {
      const template = loadTemplate(name)!;
      const body = surveyFromTemplate(template, { academicYear }) as unknown as CreateSurveyDto;
      const created = await inCli(() => surveys.create(body, CLI_ACTOR));
      const { result, ms: took } = await timed(() => inCli(() => surveys.issue(created.survey.id)));
      formMs.get(name)!.push(took);
      runMs += took;
      if (i === 0)
        national.push({
          name,
          bound: templateCoverage(template).overall.bound,
          schools: result.responses,
          prefilled: result.prefilled,
          ms: 0,
          metrics: body.questions.flatMap((q) => (q.binding ? [q.binding.metric] : [])),
        });
    }
    nationalRunMs.push(runMs);
  }
  for (const x of national) x.ms = median(formMs.get(x.name)!);

  // Where the warehouse time goes: each metric's query alone, and the provenance (batches) lookups.
  const duckMs = new Map<string, number[]>();
  const duckRows = new Map<string, MetricValue[]>();
  for (let i = 0; i < runs; i++) {
    for (const metric of catalogue) {
      const { result, ms: t } = await timed(() => metrics.values(metric.id, { academicYear, schools: schoolCodes }));
      duckMs.set(metric.id, [...(duckMs.get(metric.id) ?? []), t]);
      duckRows.set(metric.id, result);
    }
  }
  const batchesMs: number[] = [];
  const batchesOf = new Map<string, Map<string, readonly string[]>>();
  for (let i = 0; i < runs; i++) {
    await dataChanged();
    batchesMs.push(
      (
        await timed(async () => {
          const all = await metrics.batchesBehind(
            catalogue.map((m) => m.id),
            academicYear,
            schoolCodes,
          );
          for (const [id, batches] of all) batchesOf.set(id, batches);
        })
      ).ms,
    );
  }
  // The JS part of compute alone: the same call with the warehouse answers already in hand.
  const jsMs: number[] = [];
  {
    const service = metrics as unknown as Record<'values' | 'batchesBehind', unknown>;
    const [values, batchesBehind] = [service.values, service.batchesBehind];
    service.values = (id: string) => Promise.resolve(duckRows.get(id)!);
    service.batchesBehind = (ids: string[]) => Promise.resolve(new Map(ids.map((id) => [id, batchesOf.get(id)!])));
    try {
      // After a write each time, as the other timings: the rows are grouped by school again, as in a first issue.
      for (let i = 0; i < runs; i++) {
        await dataChanged();
        jsMs.push((await timed(() => surveys.compute(survey, questions, schoolCodes))).ms);
      }
    } finally {
      [service.values, service.batchesBehind] = [values, batchesBehind];
    }
  }

  // ---- Time B: PostgreSQL, same aggregates over the same rows ---------------------------------------
  // Two layouts: "daily" computes the per-student year record from the daily rows in every query (the
  // views of migration 003: what the metrics mean over the raw rows); "summary" reads the same
  // pre-aggregated tables as the warehouse since migration 005 (engine against engine, same layout).
  const layouts = ['daily', 'summary'] as const;
  const exportDir = join(work, 'pg-export');
  mkdirSync(exportDir, { mode: 0o755 });
  chmodSync(exportDir, 0o755);
  const pgUrl = await createDatabase(args.pg, benchDb, true);
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  let pgSettings = '';
  const pgMs = new Map<string, number[]>(); // key: layout|metric
  const pgRows = new Map<string, Row[]>();
  let loadMs = 0;
  try {
    const server = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0].v.split(' on ')[0];
    const script = (name: string) => client.query(readFileSync(join(sqlDir, name), 'utf8'));
    const loadStarted = performance.now();
    await script('tables.sql');
    await client.query('CREATE SCHEMA daily; SET search_path = daily, public');
    await script('003-metric-views.sql');
    const copies = Object.entries(TABLES).map(([table, columns]) => ({ from: table, to: `public.${table}`, columns }));
    await client.query('CREATE SCHEMA summary; SET search_path = summary, public');
    await script('005-student-year-attendance.sql');
    copies.push(
      ...Object.entries(SUMMARY_TABLES).map(([table, columns]) => ({ from: table, to: `summary.${table}`, columns })),
    );
    for (const { from, to, columns } of copies) {
      const file = join(exportDir, `${from}.csv`);
      await warehouse.read((session) =>
        session.run(
          `COPY (SELECT ${columns.map(exportExpression).join(', ')} FROM main.${from}) TO '${file}' (FORMAT csv, HEADER true)`,
        ),
      );
      chmodSync(file, 0o644);
      await client.query(`COPY ${to} (${columns.join(', ')}) FROM '${file}' WITH (FORMAT csv, HEADER true)`);
      rmSync(file);
    }
    await client.query('SET search_path = public');
    await script('keys.sql');
    await client.query('VACUUM ANALYZE');
    loadMs = performance.now() - loadStarted;
    // A fair PostgreSQL: enough memory for its hashes and sorts not to spill, its parallel workers on.
    await client.query(`SET work_mem = '256MB'`);
    const setting = async (name: string) =>
      (await client.query<{ v: string }>(`SELECT current_setting('${name}') AS v`)).rows[0].v;
    pgSettings = `${server}; work_mem ${await setting('work_mem')}, shared_buffers ${await setting('shared_buffers')}, max_parallel_workers_per_gather ${await setting('max_parallel_workers_per_gather')}, jit ${await setting('jit')}, collation C`;
    for (const layout of layouts) {
      await client.query(`SET search_path = ${layout}, public`);
      for (let i = 0; i < runs; i++) {
        for (const metric of catalogue) {
          const file = join(sqlDir, `${metric.id}.sql`);
          if (!existsSync(file))
            throw new Error(`no PostgreSQL translation of ${metric.id}: add bench/postgres-metrics/${metric.id}.sql`);
          const key = `${layout}|${metric.id}`;
          const started = performance.now();
          const result = await client.query({
            text: readFileSync(file, 'utf8'),
            values: [academicYear, schoolCodes],
            rowMode: 'array',
          });
          pgMs.set(key, [...(pgMs.get(key) ?? []), performance.now() - started]);
          const names = result.fields.map((f) => f.name);
          const expected = ['school_code', ...metric.dimensions, 'value'];
          if (names.join(',') !== expected.join(','))
            throw new Error(
              `${metric.id}: PostgreSQL returns (${names.join(', ')}), the catalogue says (${expected.join(', ')})`,
            );
          pgRows.set(
            key,
            (result.rows as unknown[][]).map((r) => ({
              key: r
                .slice(0, -1)
                .map((v) => textOf(v))
                .join('|'),
              value: Number(r[r.length - 1]),
            })),
          );
        }
      }
    }
  } finally {
    await client.end();
  }

  await app.close();

  // ---- the figures ---------------------------------------------------------------------------------
  const duckKeyed = (metric: MetricDefinition): Row[] =>
    duckRows
      .get(metric.id)!
      .map((r) => ({ key: [r.schoolCode, ...metric.dimensions.map((d) => r.dims[d])].join('|'), value: r.value }));
  const duckTotal = catalogue.reduce((s, m) => s + median(duckMs.get(m.id)!), 0);
  const pgTotal = (layout: string, pick: (xs: number[]) => number = median) =>
    catalogue.reduce((s, m) => s + pick(pgMs.get(`${layout}|${m.id}`)!), 0);
  const computeMedian = median(computeMs);
  const row = (label: string, times: number[], extra = '') =>
    log(`     ${label.padEnd(40)} ${times.map(ms).join('  ').padEnd(34)} ${extra}`);

  log('');
  log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}`,
  );
  log(
    `sizes (FY${academicYear}): ${int(n('schools'))} schools, ${int(n('students'))} enrolled students, ${int(n('attendance_rows'))} attendance rows (exceptions only), ${int(n('school_days'))} school-day rows, ${int(n('assessment_rows'))} assessment rows, ${int(n('guidance_rows'))} guidance rows, ${int(n('learning_rows'))} learning-activity rows`,
  );
  log(
    `catalogue: ${catalogue.length} metrics → ${questions.length} bound questions, ${int(schoolCodes.length)} target schools; control plane: ${databaseUrl ? `PostgreSQL (database ${controlPlaneDb})` : 'PGlite (temp dir)'}`,
  );
  log('');
  log('A. Shirube (DuckDB warehouse; the per-student year record of attendance kept as a table, migration 005)');
  log(
    `   issue end to end (compute + ${int(issued.responses)} responses, ${int(issued.prefilled)} pre-filled answers written): ${sec(issueMs)}`,
  );
  log(
    `   warehouse part alone (SurveysService.compute), ${runs} run(s): ${computeMs.map(sec).join(', ')}  → median ${sec(computeMedian)}  (goal < 2 s: ${computeMedian < 2000 ? 'met' : 'MISSED'})`,
  );
  log(
    `   of which the warehouse part (compute inside the issue, first run): ${sec(issueComputeMs)}; the rest (control plane: reading the survey, writing responses and answers, audit): ${sec(issueMs - issueComputeMs)}`,
  );
  log(
    `   the national forms, issued one after the other end to end to the schools of their types (every bound cell pre-filled), ${runs} run(s), each after a write: ${nationalRunMs.map(sec).join(', ')} → median ${sec(median(nationalRunMs))} in all (goal < 1 s, at most 2 s)`,
  );
  for (const x of national)
    log(
      `     ${x.name.padEnd(40)} ${formMs.get(x.name)!.map(sec).join(' ').padStart(22)}  ${int(x.schools)} schools × ${x.bound} bound cells, ${int(x.prefilled)} answers pre-filled`,
    );
  log(`   where the warehouse part goes (each piece alone; ${runs} run(s)):`);
  for (const m of catalogue) row(m.id, duckMs.get(m.id)!, `${int(duckRows.get(m.id)!.length)} rows`);
  row('metric queries, sum of medians', [duckTotal]);
  row(`provenance: batchesBehind ×${catalogue.length} (parallel)`, batchesMs);
  row('JS: compute with the answers in hand', jsMs);
  log('');
  log(`B. PostgreSQL (${pgSettings})`);
  log(`   copy of the tables from DuckDB + keys + views + VACUUM ANALYZE: ${sec(loadMs)} (not timed against)`);
  for (const layout of layouts) {
    log(
      layout === 'daily'
        ? `   B1. from the daily rows (views of migration 003), ${runs} run(s):`
        : `   B2. same layout as the warehouse (derived tables of migrations 004–005, rows copied from DuckDB), ${runs} run(s):`,
    );
    for (const m of catalogue)
      row(m.id, pgMs.get(`${layout}|${m.id}`)!, `${int(pgRows.get(`${layout}|${m.id}`)!.length)} rows`);
    row('total (median per metric)', [pgTotal(layout)], `(first run: ${ms(pgTotal(layout, (xs) => xs[0]))})`);
  }
  log('');
  log(`same results? (row counts, sums, every row within 1e-9 relative; DuckDB / PostgreSQL)`);
  let mismatches = 0;
  for (const layout of layouts) {
    for (const m of catalogue) {
      const c = compare(duckKeyed(m), pgRows.get(`${layout}|${m.id}`)!);
      const ok = c.differing === 0 && c.duckRows === c.pgRows;
      if (!ok) mismatches++;
      log(
        `   ${`${layout === 'daily' ? 'B1' : 'B2'} ${m.id}`.padEnd(43)} rows ${int(c.duckRows)} / ${int(c.pgRows)}, sums ${+c.duckSum.toFixed(6)} / ${+c.pgSum.toFixed(6)}: ${ok ? 'equal' : `MISMATCH in ${int(c.differing)} row(s), max |diff| ${+c.maxAbsDiff.toFixed(9)}`}`,
      );
      if (!ok) for (const example of c.examples) log(`       ${example}`);
    }
  }
  log('');
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
  const b1 = pgTotal('daily');
  log(
    `ratio (goal ≥ 10×): PostgreSQL B1 ${sec(b1)} / Shirube's warehouse part ${sec(computeMedian)} = ${ratio(b1, computeMedian)}: ${b1 / computeMedian >= 10 ? 'met' : 'MISSED'}`,
  );
  log(
    `       B1 / Shirube's whole issue (${sec(issueMs)}) = ${ratio(b1, issueMs)}; B1 / DuckDB's metric queries alone (${sec(duckTotal)}) = ${ratio(b1, duckTotal)}`,
  );
  // Each national template (its elementary and junior-high forms together: every school) side by side with
  // PostgreSQL computing the metrics its cells are bound to from the daily rows (B1), for every school.
  const families = new Map<string, typeof national>();
  for (const x of national) {
    const family = x.name.replace(/-(elementary|junior-high)$/, '');
    families.set(family, [...(families.get(family) ?? []), x]);
  }
  for (const [family, forms] of families) {
    const shirubeMs = forms.reduce((t, x) => t + x.ms, 0);
    const metricIds = [...new Set(forms.flatMap((x) => x.metrics))];
    const pgFamily = metricIds.reduce((t, id) => t + median(pgMs.get(`daily|${id}`)!), 0);
    log(
      `       ${family} (${forms.length} forms, ${int(forms.reduce((t, x) => t + x.schools, 0))} schools, ${metricIds.length} metrics): Shirube end to end ${sec(shirubeMs)} (goal < 1 s, at most 2 s: ${shirubeMs < 1000 ? 'met' : shirubeMs <= 2000 ? 'within the limit' : 'MISSED'}); PostgreSQL B1 ${sec(pgFamily)} = ${ratio(pgFamily, shirubeMs)} (goal ≥ 10×: ${pgFamily / shirubeMs >= 10 ? 'met' : 'MISSED'})`,
    );
  }
  {
    // Both templates as one job (every form, every school, every bound cell) against PostgreSQL computing all their cells.
    const shirubeMs = median(nationalRunMs);
    const metricIds = [...new Set(national.flatMap((x) => x.metrics))];
    const pgBoth = metricIds.reduce((t, id) => t + median(pgMs.get(`daily|${id}`)!), 0);
    log(
      `       both national templates (${national.length} forms, ${metricIds.length} metrics): Shirube end to end ${sec(shirubeMs)} (median of ${runs} run(s); goal < 1 s, at most 2 s: ${shirubeMs < 1000 ? 'met' : shirubeMs <= 2000 ? 'within the limit' : 'MISSED'}); PostgreSQL B1 ${sec(pgBoth)} = ${ratio(pgBoth, shirubeMs)} (goal ≥ 10×: ${pgBoth / shirubeMs >= 10 ? 'met' : 'MISSED'})`,
    );
  }
  const b2 = pgTotal('summary');
  log(
    `       same layout: B2 ${sec(b2)} / warehouse part = ${ratio(b2, computeMedian)}; B2 / DuckDB's metric queries alone = ${ratio(b2, duckTotal)}`,
  );
  log(
    `${mismatches === 0 ? 'results equal on every metric' : `${mismatches} comparison(s) differ between DuckDB and PostgreSQL (see above)`}`,
  );
  log(
    `peak memory (RSS) of this process: ${mb(process.resourceUsage().maxRSS)} (before the issue: ${mb(rssBeforeIssue)}${reuseWarehouse ? '' : ', after the ingest in this process'})`,
  );
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  if (args.keep) {
    log(`kept (--keep): ${work}; PostgreSQL ${createdDatabases.map((d) => d.name).join(', ')} — drop them yourself`);
  } else {
    await dropDatabases();
    rmSync(work, { recursive: true, force: true });
  }
}
process.exit(exitCode);
