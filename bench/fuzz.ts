/**
 * Fuzz (not a test): mutated feed files pushed through the real CLI, `shirube ingest FOLDER --each
 * --json`, each file its own all-or-nothing batch, many to a process (a process boots in seconds on
 * this machine: one per file would take hours). Every file's outcome is read from its report line.
 *
 *   npm run bench:fuzz -- [--count 10000] [--seed 1] [--per-process 250] [--keep DIR] [--json]
 *
 * Mutations: truncations, byte flips, invalid UTF-8, Shift_JIS, swapped / missing / extra columns,
 * huge fields, unbalanced quotes, impossible dates, NUL and wide headers, zip slip, zip bombs
 * (by ratio, by lying sizes, by entry count), broken zips, deep and broken JSON. It prints four
 * counts, each of which must be 0:
 *   crashes   a command that ended other than with a report (exit 0 or 2) for a file: killed, exit 70 ...
 *   hangs     no report for a file within --timeout seconds
 *   partial   a rejected batch that left anything: its id in the warehouse, or (for a process whose
 *             batches were all rejected) any table's row count changed; a "loaded" batch with rejected rows
 *   unlocated a rejection that does not name the file, or not the line when the defect is on one line,
 *             or not the column when it is in one value (DefectSpot in bench/fuzz-feeds.ts)
 * and, beside them, how many certainly defective files loaded and certainly valid ones were refused.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { projectRoot } from '../src/common/project-root.js';
import { ensurePseudonymKey } from '../src/config/pseudonym-key.js';
import { int, log, machineLine, sec } from './bench-support.js';
import {
  CSV_DEFECTS,
  CSV_FEEDS,
  HEADERS,
  MANIFEST,
  ROSTER_FILES,
  csv,
  csvWithDefect,
  deepJson,
  flipBytes,
  ndjson,
  rosterCsv,
  rosterPackage,
  rosterTables,
  rosterZip,
  statement,
  statementId,
  toShiftJis,
  truncate,
  validRows,
  zipOf,
  type CsvFeed,
  type DefectSpot,
  type Draw,
  type Table,
} from './fuzz-feeds.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    'per-process': { type: 'string', default: '250' },
    timeout: { type: 'string', default: '180' },
    minutes: { type: 'string' },
    keep: { type: 'string' },
    json: { type: 'boolean', default: false },
    workers: { type: 'string', default: '1' },
  },
});
const COUNT = Number(values.count);
const SEED = Number(values.seed);
const PER_PROCESS = Number(values['per-process']);
const TIMEOUT_MS = Number(values.timeout) * 1000;
/** With --minutes, no new command starts after that long: the figures are then those of the files run. */
const STOP_AT = values.minutes ? Date.now() + Number(values.minutes) * 60_000 : Infinity;
/** Progress: on standard output, or on standard error when standard output is the figures as JSON. */
const say = (line: string) => (values.json ? process.stderr.write(`${line}\n`) : log(line));
const WORKERS = Number(values.workers);

interface Summary {
  machine: string;
  files: number;
  seconds: number;
  crashes: number;
  hangs: number;
  partial: number;
  unlocated: number;
  defectsLoaded: number;
  validRefused: number;
  batchesChecked: number;
  processesAllRejected: number;
  findings: { entry: string; mutation: string; what: string }[];
  outcomes: Record<string, Record<string, number>>;
}

/** Prints a run's figures: the four that must be 0, and the outcomes by mutation. */
function report(summary: Summary): void {
  if (values.json) return void console.log(JSON.stringify(summary));
  log('outcomes by mutation:');
  for (const [mutation, m] of Object.entries(summary.outcomes).sort())
    log(
      `  ${mutation.padEnd(24)} ${Object.entries(m)
        .map(([o, n]) => `${o} ${n}`)
        .join(', ')}`,
    );
  for (const f of summary.findings.slice(0, 40)) log(`  finding: ${f.entry} (${f.mutation}): ${f.what}`);
  log(
    `${int(summary.files)} mutated files through \`shirube ingest --each\` in ${sec(summary.seconds * 1000, 0)} (${int(summary.batchesChecked)} batches; ${summary.processesAllRejected} commands whose batches were all rejected: every table's count compared)`,
  );
  log(
    `crashes ${summary.crashes}, hangs ${summary.hangs}, partial loads ${summary.partial}, rejections without file/row/column ${summary.unlocated}`,
  );
  log(`beside them: defective files that loaded ${summary.defectsLoaded}, valid files refused ${summary.validRefused}`);
}

// With --workers N, N runs of their own (their own stores and seeds) side by side, their figures added up.
if (WORKERS > 1) {
  const started = performance.now();
  log(machineLine());
  log(`fuzz: ${int(Number(values.count))} mutated files in ${WORKERS} workers, each with its own stores`);
  const share = (i: number) =>
    Math.floor(Number(values.count) / WORKERS) + (i < Number(values.count) % WORKERS ? 1 : 0);
  const results = await Promise.all(
    Array.from(
      { length: WORKERS },
      (_, i) =>
        new Promise<Summary>((resolve, reject) => {
          const args = [
            process.argv[1],
            '--count',
            String(share(i)),
            '--seed',
            String(Number(values.seed) * 1000 + i),
            '--per-process',
            values['per-process'],
            '--timeout',
            values.timeout,
            '--json',
          ];
          if (values.keep) args.push('--keep', values.keep);
          if (values.minutes) args.push('--minutes', values.minutes);
          const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.on('close', () => {
            try {
              resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Summary);
            } catch {
              reject(new Error(`worker ${i} printed no figures: ${out.slice(-500)}`));
            }
          });
        }),
    ),
  );
  const total: Summary = { ...results[0], findings: [], outcomes: {} };
  for (const key of [
    'files',
    'crashes',
    'hangs',
    'partial',
    'unlocated',
    'defectsLoaded',
    'validRefused',
    'batchesChecked',
    'processesAllRejected',
  ] as const)
    total[key] = results.reduce((sum, r) => sum + r[key], 0);
  total.seconds = Math.round((performance.now() - started) / 1000);
  for (const r of results) {
    total.findings.push(...r.findings);
    for (const [mutation, m] of Object.entries(r.outcomes))
      for (const [outcome, n] of Object.entries(m))
        (total.outcomes[mutation] ??= {})[outcome] = (total.outcomes[mutation][outcome] ?? 0) + n;
  }
  report(total);
  process.exit(total.crashes + total.hangs + total.partial + total.unlocated > 0 ? 1 : 0);
}

/** mulberry32: the same seed makes the same files. */
function prng(seed: number): Draw {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const draw = prng(SEED);
const pickOf = <T>(list: readonly T[]): T => list[Math.floor(draw() * list.length)];

// ------------------------------------------------------------------------------------------ the files

interface Mutant {
  /** The entry's name in its folder (a file, or a package folder). */
  name: string;
  mutation: string;
  /** Where a rejection must point; null: the file is valid and must load. */
  spot: DefectSpot | null;
  /** A file's bytes, or a package folder's files. */
  content: Buffer | Record<string, Buffer>;
}

const smallRows = () => 3 + Math.floor(draw() * 25);
const csvTable = (feed: CsvFeed): Table => ({ header: [...HEADERS[feed]], rows: validRows(feed, smallRows(), draw) });
const csvBytes = (table: Table) => Buffer.from(csv(table.header, table.rows));
const FILE_ONLY: DefectSpot = { certain: false, row: null, column: null };
const CERTAIN_FILE: DefectSpot = { certain: true, row: null, column: null };

/** Zip bombs, made once: deflating a few hundred MB of zeros takes a second each. */
const BOMBS = (() => {
  const zeros = Buffer.alloc(64 * 1024 ** 2);
  return {
    ratio: zipOf([
      { name: 'pkg/manifest.csv', data: Buffer.from(MANIFEST) },
      { name: 'pkg/users.csv', data: zeros },
    ]),
    // Declares 1 KB, unpacks to 64 MB: stopped by the bytes actually unpacked.
    lying: zipOf([
      { name: 'pkg/manifest.csv', data: Buffer.from(MANIFEST) },
      { name: 'pkg/users.csv', data: zeros, declaredSize: 1024 },
    ]),
  };
})();

let statementCount = 0;
const statements = (n: number) =>
  Array.from({ length: n }, () => statement(draw, statementId(`fuzz-${SEED}`, statementCount++)));

function csvMutant(n: number): Mutant {
  const feed = pickOf(CSV_FEEDS);
  const table = csvTable(feed);
  const base = `${String(n).padStart(5, '0')}-${feed}`;
  const roll = draw();
  if (roll < 0.45) {
    const defect = pickOf(CSV_DEFECTS);
    const { bytes, spot } = csvWithDefect(feed, table, defect, draw);
    return { name: `${base}-${defect}.csv`, mutation: defect, spot, content: bytes };
  }
  if (roll < 0.6)
    return {
      name: `${base}-truncate.csv`,
      mutation: 'truncate',
      spot: FILE_ONLY,
      content: truncate(csvBytes(table), draw),
    };
  if (roll < 0.75)
    return {
      name: `${base}-byteflip.csv`,
      mutation: 'byteflip',
      spot: FILE_ONLY,
      content: flipBytes(csvBytes(table), draw),
    };
  if (roll < 0.82) {
    // The file as Excel on Japanese Windows saves it: loads like its UTF-8 twin.
    return {
      name: `${base}-shift_jis.csv`,
      mutation: 'shift_jis',
      spot: null,
      content: toShiftJis(csv(table.header, table.rows, '\r\n')),
    };
  }
  if (roll < 0.88) {
    // Columns in another order, values with them: a valid file.
    const header = [...table.header].sort(() => draw() - 0.5);
    return {
      name: `${base}-swapped-columns.csv`,
      mutation: 'swapped-columns',
      spot: null,
      content: csvBytes({ header, rows: table.rows }),
    };
  }
  if (roll < 0.93) {
    // The header's names swapped, not the values: the values are under the wrong names.
    const header = [...table.header];
    const i = Math.floor(draw() * header.length);
    const j = (i + 1 + Math.floor(draw() * (header.length - 1))) % header.length;
    [header[i], header[j]] = [header[j], header[i]];
    const body = table.rows.map((row) => table.header.map((c) => row[c] ?? '').join(','));
    return {
      name: `${base}-swapped-header.csv`,
      mutation: 'swapped-header',
      spot: FILE_ONLY,
      content: Buffer.from([header.join(','), ...body].join('\n') + '\n'),
    };
  }
  // A column the format does not have: a warning, the file loads.
  const header = [...table.header, 'note'];
  return {
    name: `${base}-extra-column.csv`,
    mutation: 'extra-column',
    spot: null,
    content: csvBytes({ header, rows: table.rows.map((r) => ({ ...r, note: 'x' })) }),
  };
}

function rosterMutant(n: number): Mutant {
  const tables = rosterTables();
  const files = rosterPackage();
  const file = pickOf(ROSTER_FILES);
  const base = `${String(n).padStart(5, '0')}-oneroster`;
  const roll = draw();
  const table = tables[file];
  if (roll < 0.5) {
    const defect = pickOf(CSV_DEFECTS.filter((d) => d !== 'bad-value'));
    const { bytes, spot } = csvWithDefect(null, table, defect, draw);
    // The roster's own rules decide what an impossible birth date or a huge value is: the file must be named.
    const sure = defect === 'impossible-date' || defect === 'huge-field' ? { ...FILE_ONLY } : spot;
    return {
      name: `${base}-${defect}`,
      mutation: `roster-${defect}`,
      spot: sure,
      content: { ...files, [`${file}.csv`]: bytes },
    };
  }
  if (roll < 0.7)
    return {
      name: `${base}-truncate`,
      mutation: 'roster-truncate',
      spot: FILE_ONLY,
      content: { ...files, [`${file}.csv`]: truncate(rosterCsv(table), draw) },
    };
  return {
    name: `${base}-byteflip`,
    mutation: 'roster-byteflip',
    spot: FILE_ONLY,
    content: { ...files, [`${file}.csv`]: flipBytes(rosterCsv(table), draw) },
  };
}

function zipMutant(n: number): Mutant {
  const base = `${String(n).padStart(5, '0')}-zip`;
  const roll = draw();
  const good = rosterZip(rosterPackage(), 'pkg');
  if (roll < 0.2) {
    const name = pickOf(['../evil.csv', 'pkg/../../evil.csv', '/etc/evil.csv', 'pkg/..\\..\\evil.csv']);
    const entries = [...Object.entries(rosterPackage()).map(([f, data]) => ({ name: `pkg/${f}`, data }))];
    entries.splice(Math.floor(draw() * entries.length), 0, { name, data: Buffer.from('a,b\n1,2\n') });
    // A backslash is a character of a name on Unix: only a name that leaves the folder is certain.
    const leaves = !name.includes('\\');
    return {
      name: `${base}-slip.zip`,
      mutation: 'zip-slip',
      spot: leaves ? CERTAIN_FILE : FILE_ONLY,
      content: zipOf(entries),
    };
  }
  if (roll < 0.35) return { name: `${base}-bomb.zip`, mutation: 'zip-bomb', spot: CERTAIN_FILE, content: BOMBS.ratio };
  if (roll < 0.45)
    return { name: `${base}-bomb-lying.zip`, mutation: 'zip-bomb-lying', spot: CERTAIN_FILE, content: BOMBS.lying };
  if (roll < 0.55) {
    const entries = Array.from({ length: 1001 + Math.floor(draw() * 500) }, (_, i) => ({
      name: `pkg/f${i}.csv`,
      data: Buffer.from('a\n'),
      stored: true,
    }));
    return { name: `${base}-many.zip`, mutation: 'zip-many-entries', spot: CERTAIN_FILE, content: zipOf(entries) };
  }
  if (roll < 0.65)
    return {
      name: `${base}-declared-huge.zip`,
      mutation: 'zip-declared-huge',
      spot: CERTAIN_FILE,
      content: zipOf([
        { name: 'pkg/manifest.csv', data: Buffer.from(MANIFEST) },
        { name: 'pkg/users.csv', data: Buffer.from('a\n'), declaredSize: 0xfffffff0 },
      ]),
    };
  if (roll < 0.8)
    return { name: `${base}-truncate.zip`, mutation: 'zip-truncate', spot: FILE_ONLY, content: truncate(good, draw) };
  if (roll < 0.95)
    return { name: `${base}-byteflip.zip`, mutation: 'zip-byteflip', spot: FILE_ONLY, content: flipBytes(good, draw) };
  return {
    name: `${base}-not-a-zip.zip`,
    mutation: 'zip-not-a-zip',
    spot: CERTAIN_FILE,
    content: Buffer.from('PK\u0003\u0004 not a zip'),
  };
}

function xapiMutant(n: number): Mutant {
  const base = `${String(n).padStart(5, '0')}-xapi`;
  const list = statements(2 + Math.floor(draw() * 15));
  const asArray = draw() < 0.3;
  const ext = asArray ? 'json' : 'ndjson';
  const text = asArray ? JSON.stringify(list, null, 1) : ndjson(list);
  const at = Math.floor(draw() * list.length);
  const roll = draw();
  if (roll < 0.2) {
    // A statement with a value nested thousands of levels deep.
    const depth = pickOf([200, 5000, 100_000]);
    const [open, close] = pickOf([
      ['{"a":', '}'],
      ['[', ']'],
    ]);
    const lines = list.map((s) => JSON.stringify(s));
    lines[at] =
      `${lines[at].slice(0, -1)},"context":{"extensions":{"https://x.example/deep":${deepJson(depth, open, close)}}}}`;
    const content = asArray ? `[${lines.join(',\n')}]\n` : lines.join('\n') + '\n';
    return { name: `${base}-deep.${ext}`, mutation: 'deep-json', spot: FILE_ONLY, content: Buffer.from(content) };
  }
  if (roll < 0.35 && !asArray) {
    const lines = list.map((s) => JSON.stringify(s));
    lines[at] = lines[at].slice(0, Math.floor(lines[at].length / 2));
    return {
      name: `${base}-broken-line.${ext}`,
      mutation: 'json-broken-line',
      spot: { certain: true, row: at + 1, column: null },
      content: Buffer.from(lines.join('\n') + '\n'),
    };
  }
  if (roll < 0.5 && !asArray) {
    const lines = list.map((s) => JSON.stringify(s));
    const cut = Math.floor(draw() * lines[at].length);
    return {
      name: `${base}-invalid-utf8.${ext}`,
      mutation: 'json-invalid-utf8',
      spot: { certain: true, row: at + 1, column: null },
      content: Buffer.concat([
        Buffer.from([...lines.slice(0, at), lines[at].slice(0, cut)].join('\n')),
        Buffer.from([0xff]),
        Buffer.from(lines[at].slice(cut) + '\n' + lines.slice(at + 1).join('\n') + '\n'),
      ]),
    };
  }
  if (roll < 0.6) {
    const huge = list.map((s, i) =>
      i === at ? { ...s, result: { response: 'x'.repeat(pickOf([70_000, 3_000_000])) } } : s,
    );
    return {
      name: `${base}-huge.${ext}`,
      mutation: 'json-huge-field',
      spot: FILE_ONLY,
      content: Buffer.from(asArray ? JSON.stringify(huge) : ndjson(huge)),
    };
  }
  if (roll < 0.7) {
    const bad = list.map((s, i) => (i === at ? { ...s, timestamp: '2025-02-30T10:00:00+09:00' } : s));
    return {
      name: `${base}-impossible-date.${ext}`,
      mutation: 'json-impossible-date',
      spot: { certain: true, row: asArray ? null : at + 1, column: null },
      content: Buffer.from(asArray ? JSON.stringify(bad) : ndjson(bad)),
    };
  }
  if (roll < 0.85)
    return {
      name: `${base}-truncate.${ext}`,
      mutation: 'json-truncate',
      spot: FILE_ONLY,
      content: truncate(Buffer.from(text), draw),
    };
  return {
    name: `${base}-byteflip.${ext}`,
    mutation: 'json-byteflip',
    spot: FILE_ONLY,
    content: flipBytes(Buffer.from(text), draw),
  };
}

function mutant(n: number): Mutant {
  const roll = draw();
  // A roster package is eight files (its ingest takes ten times a CSV's): fewer of them.
  if (roll < 0.68) return csvMutant(n);
  if (roll < 0.75) return rosterMutant(n);
  if (roll < 0.83) return zipMutant(n);
  return xapiMutant(n);
}

function write(dir: string, m: Mutant): void {
  if (Buffer.isBuffer(m.content)) return writeFileSync(join(dir, m.name), m.content);
  mkdirSync(join(dir, m.name));
  for (const [file, bytes] of Object.entries(m.content)) writeFileSync(join(dir, m.name, file), bytes);
}

// ------------------------------------------------------------------------------------------ the stores

const work = mkdtempSync(join(tmpdir(), 'shirube-bench-fuzz-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DUCKDB_PATH: join(work, 'warehouse.duckdb'),
  PSEUDONYM_KEY_FILE: join(work, 'pseudonym.key'),
  SHIRUBE_PGLITE_DIR: join(work, 'pg'),
  SHIRUBE_LOG_LEVEL: 'error',
  SHIRUBE_DUCKDB_MEMORY_LIMIT: process.env.SHIRUBE_DUCKDB_MEMORY_LIMIT ?? '2GB',
};
let dropDatabase = (): Promise<void> => Promise.resolve();
if (process.env.DATABASE_URL) {
  const database = `shirube_fuzz_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${database}`;
  env.DATABASE_URL = url.toString();
  env.SHIRUBE_ALLOW_PRIVILEGED_DB_ROLE ??= 'true';
  dropDatabase = async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  };
}
ensurePseudonymKey(env.PSEUDONYM_KEY_FILE!);

interface Snapshot {
  counts: Map<string, number>;
}

/** Every table's row count, read from the warehouse file between two commands (it is never open in both). */
async function snapshot(): Promise<Snapshot> {
  const instance = await DuckDBInstance.create(env.DUCKDB_PATH, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const tables = (
      await connection.runAndReadAll(
        `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1`,
      )
    )
      .getRowObjects()
      .map((r) => String(r.table_name));
    const counts = new Map<string, number>();
    for (const table of tables)
      counts.set(
        table,
        Number((await connection.runAndReadAll(`SELECT count(*) AS n FROM "${table}"`)).getRowObjects()[0].n),
      );
    return { counts };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Rows of the warehouse that carry one of these batch ids, in any table (or in the loaded-batches ledger). */
async function rowsOfBatches(ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const instance = await DuckDBInstance.create(env.DUCKDB_PATH, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const tables = (
      await connection.runAndReadAll(
        `SELECT table_name FROM duckdb_columns() WHERE database_name = current_database() AND column_name = 'batch_id' AND NOT internal
         AND table_name IN (SELECT table_name FROM duckdb_tables())`,
      )
    )
      .getRowObjects()
      .map((r) => String(r.table_name));
    const list = ids.map((id) => `'${id.replace(/[^0-9a-f-]/g, '')}'`).join(',');
    let n = 0;
    for (const table of tables)
      n += Number(
        (
          await connection.runAndReadAll(
            `SELECT count(*) AS n FROM "${table}" WHERE CAST(batch_id AS VARCHAR) IN (${list})`,
          )
        ).getRowObjects()[0].n,
      );
    // Daily attendance stores its batch as a number (batch_refs).
    n += Number(
      (
        await connection.runAndReadAll(
          `SELECT count(*) AS n FROM attendance_records r JOIN batch_refs b ON b.batch_ref = r.batch_ref WHERE CAST(b.batch_id AS VARCHAR) IN (${list})`,
        )
      ).getRowObjects()[0].n,
    );
    return n;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

// ---------------------------------------------------------------------------------------- the command

interface Problem {
  severity: string;
  file: string;
  row: number | null;
  column: string | null;
  rule: string;
}
interface ReportLine {
  path: string;
  batchId: string;
  status: string;
  rowsRejected: number;
  errors: number;
  problems: Problem[];
  problemsByRule: { severity: string; file: string; column: string | null; rule: string }[];
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: ReportLine[];
  garbage: string | null;
  hung: boolean;
  stderr: string;
}

/** `shirube ingest DIR --each --json`, reading its report lines as they come; killed when a file takes longer than the timeout. */
function ingestEach(dir: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(projectRoot(), 'bin', 'shirube.js'), 'ingest', dir, '--each', '--json'],
      { env },
    );
    const lines: ReportLine[] = [];
    let buffer = '';
    let stderr = '';
    let garbage: string | null = null;
    let hung = false;
    let timer = setTimeout(() => ((hung = true), child.kill('SIGKILL')), TIMEOUT_MS + 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          lines.push(JSON.parse(line) as ReportLine);
        } catch {
          garbage ??= line.slice(0, 300);
        }
        clearTimeout(timer);
        timer = setTimeout(() => ((hung = true), child.kill('SIGKILL')), TIMEOUT_MS);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (buffer.trim()) garbage ??= buffer.slice(0, 300);
      resolve({ code, signal, lines, garbage, hung, stderr });
    });
  });
}

// -------------------------------------------------------------------------------------------- the run

interface Finding {
  entry: string;
  mutation: string;
  what: string;
}
const counts = { crashes: 0, hangs: 0, partial: 0, unlocated: 0, defectsLoaded: 0, validRefused: 0 };
const outcomes = new Map<string, Map<string, number>>();
const findings: Finding[] = [];
let batchesChecked = 0;
let processesAllRejected = 0;
const note = (entry: string, mutation: string, what: string, key: keyof typeof counts) => {
  counts[key]++;
  if (findings.length < 200) findings.push({ entry, mutation, what });
  say(`  ${key}: ${entry} (${mutation}): ${what}`);
};
const tally = (mutation: string, outcome: string) => {
  const m = outcomes.get(mutation) ?? new Map<string, number>();
  m.set(outcome, (m.get(outcome) ?? 0) + 1);
  outcomes.set(mutation, m);
};

/** Whether a rejection names the file, and the line and column the defect is at. */
function located(report: ReportLine, m: Mutant): string | null {
  const errors = report.problems.filter((p) => p.severity === 'error');
  const named = (file: string) => file === m.name || file.startsWith(`${m.name}/`);
  const own = errors.filter((p) => named(p.file));
  if (own.length === 0)
    return report.problemsByRule.some((p) => p.severity === 'error' && named(p.file))
      ? null
      : 'no error names the file';
  const spot = m.spot;
  if (!spot) return null;
  if (spot.row !== null && !own.some((p) => p.row !== null))
    return `no line (expected ${spot.row}): ${own[0].rule.slice(0, 160)}`;
  if (spot.column !== null && !own.some((p) => p.column !== null))
    return `no column (expected ${spot.column}): ${own[0].rule.slice(0, 160)}`;
  return null;
}

const started = performance.now();
say(machineLine());
say(
  `fuzz: ${int(COUNT)} mutated files (seed ${SEED}), ${PER_PROCESS} to a \`shirube ingest --each\`, control plane ${env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}; work in ${work}`,
);

// The world's roster and a file of each feed, loaded first: mutants replace, refer to and collide with them.
{
  const seedDir = join(work, 'seed');
  mkdirSync(seedDir);
  mkdirSync(join(seedDir, 'a-roster'));
  for (const [file, bytes] of Object.entries(rosterPackage())) writeFileSync(join(seedDir, 'a-roster', file), bytes);
  for (const feed of CSV_FEEDS)
    writeFileSync(
      join(seedDir, `b-${feed}.csv`),
      csvBytes({ header: [...HEADERS[feed]], rows: validRows(feed, 40, draw) }),
    );
  writeFileSync(join(seedDir, 'c-statements.ndjson'), ndjson(statements(40)));
  const run = await ingestEach(seedDir);
  const bad = run.lines.filter((l) => l.status !== 'loaded');
  if (run.code !== 0 || bad.length > 0 || run.lines.length !== 7) {
    console.error(
      `the seed files did not load: exit ${run.code}\n${run.stderr}\n${JSON.stringify(bad.map((b) => b.problems.slice(0, 3)))}`,
    );
    process.exit(1);
  }
}

const keep = values.keep;
if (keep) mkdirSync(keep, { recursive: true });
let made = 0;
let chunk = 0;
while (made < COUNT && Date.now() < STOP_AT) {
  const dir = join(work, `chunk-${String(chunk++).padStart(4, '0')}`);
  mkdirSync(dir);
  const mutants = new Map<string, Mutant>();
  for (let i = 0; i < PER_PROCESS && made < COUNT; i++, made++) {
    const m = mutant(made);
    mutants.set(m.name, m);
    write(dir, m);
  }
  let pending = [...mutants.keys()].sort();
  let folder = dir;
  let attempt = 0;
  while (pending.length > 0) {
    const before = await snapshot();
    const run = await ingestEach(folder);
    const answered = new Set<string>();
    const rejected: string[] = [];
    let loaded = 0;
    for (const line of run.lines) {
      const name = line.path.slice(folder.length + 1);
      const m = mutants.get(name);
      if (!m) continue;
      answered.add(name);
      batchesChecked++;
      tally(m.mutation, line.status);
      if (line.status === 'rejected') {
        rejected.push(line.batchId);
        const where = located(line, m);
        if (where) note(name, m.mutation, where, 'unlocated');
        if (m.spot === null)
          note(
            name,
            m.mutation,
            `a valid file refused: ${line.problems
              .filter((p) => p.severity === 'error')
              .slice(0, 2)
              .map((p) => `${p.file} ${p.row} ${p.column} ${p.rule.slice(0, 100)}`)
              .join('; ')}`,
            'validRefused',
          );
      } else {
        loaded++;
        if (line.status === 'loaded' && line.rowsRejected > 0)
          note(name, m.mutation, `loaded with ${line.rowsRejected} rejected rows`, 'partial');
        if (m.spot?.certain) note(name, m.mutation, `a defective file ${line.status}`, 'defectsLoaded');
      }
    }
    const unanswered = pending.filter((name) => !answered.has(name));
    const cleanEnd = !run.hung && run.signal === null && (run.code === 0 || run.code === 2) && run.garbage === null;
    if (!cleanEnd || unanswered.length > 0) {
      const culprit = unanswered[0];
      if (culprit) {
        const m = mutants.get(culprit)!;
        tally(m.mutation, run.hung ? 'hang' : 'crash');
        const what = run.hung
          ? `no report within ${TIMEOUT_MS / 1000} s`
          : `exit ${run.code ?? run.signal}${run.garbage ? `, printed ${run.garbage}` : ''}: ${run.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`;
        note(culprit, m.mutation, what, run.hung ? 'hangs' : 'crashes');
        if (keep) write(keep, m);
      } else note(folder, 'process', `exit ${run.code ?? run.signal} after every report`, 'crashes');
    }
    // Partial loads: no rejected batch left a row; with every batch of the command rejected, no count moved.
    const after = await snapshot();
    const leftovers = await rowsOfBatches(rejected);
    if (leftovers > 0) note(folder, 'process', `${leftovers} row(s) carry the id of a rejected batch`, 'partial');
    if (loaded === 0) {
      processesAllRejected++;
      for (const [table, n] of after.counts) {
        const was = before.counts.get(table) ?? 0;
        if (n !== was && !['audit_events'].includes(table))
          note(folder, 'process', `${table}: ${was} rows before, ${n} after, every batch rejected`, 'partial');
      }
    }
    // The files after one that stopped the command: again, in a folder of their own.
    pending = unanswered.slice(1);
    if (pending.length > 0) {
      const rest = join(dir, `.rest-${attempt++}`);
      mkdirSync(rest);
      for (const name of pending) renameSync(join(folder, name), join(rest, name));
      folder = rest;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  say(
    `  ${int(made)} files, ${sec(performance.now() - started, 0)}: crashes ${counts.crashes}, hangs ${counts.hangs}, partial ${counts.partial}, unlocated ${counts.unlocated}`,
  );
}

report({
  machine: machineLine(),
  files: made,
  seconds: Math.round((performance.now() - started) / 1000),
  ...counts,
  batchesChecked,
  processesAllRejected,
  findings,
  outcomes: Object.fromEntries([...outcomes].map(([k, v]) => [k, Object.fromEntries(v)])),
});
await dropDatabase();
rmSync(work, { recursive: true, force: true });
if (counts.crashes + counts.hangs + counts.partial + counts.unlocated > 0) process.exitCode = 1;
