/**
 * Benchmark (prints figures; asserts nothing): the last hour before a survey deadline. Many schools
 * confirm and change answers on their own responses at once, a few with two people writing the same
 * response (conflicting writers), against a real server process, on PostgreSQL and on PGlite.
 *
 *   npm run build && node dist/bench/load.js [--schools 180] [--doubled 20] [--seconds 15] [--rounds 3]
 *                                            [--pg postgres://postgres@127.0.0.1:5432/postgres]
 *
 * 1. Generates a small municipality (one year; `--schools` schools) and, for each store, loads it with
 *    `shirube ingest`, starts `shirube serve` in its own process, issues the demo survey to every school
 *    and makes one school user per school, all through the API.
 * 2. autocannon runs `--schools + --doubled` connections in a closed loop (each sends its next request
 *    when the last answered): read the response; change the typed figure (スクールカウンセラーの勤務日数)
 *    to a random value at the version read; confirm a pre-filled figure at the version the change
 *    returned. The first `--doubled` schools have two connections each: their writes conflict (409).
 *    Rounds alternate between the stores (PostgreSQL, PGlite, PostgreSQL, …); the medians are printed.
 * 3. After each round every response is read back: each answer must equal the last write the server
 *    accepted (the accepted write with the highest answer version). A difference is a lost update.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { int, log, machineLine, median } from './bench-support.js';
import { projectRoot } from '../src/common/project-root.js';
import { ensurePseudonymKey } from '../src/config/pseudonym-key.js';
import { generateMunicipality } from '../src/demo/demo-generator.js';
import { demoSurvey } from '../src/demo/demo-survey.js';

const { values: args } = parseArgs({
  options: {
    schools: { type: 'string', default: '180' },
    doubled: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '3' },
    pg: { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    /** Write a CPU profile of each server process into this folder (node --cpu-prof). */
    profile: { type: 'string' },
  },
});
const schools = Number(args.schools);
const doubled = Math.min(Number(args.doubled), schools);
const seconds = Number(args.seconds);
const rounds = Number(args.rounds);
const bin = join(projectRoot(), 'bin', 'shirube.js');
const work = mkdtempSync(join(tmpdir(), 'shirube-bench-load-'));
const run = promisify(execFile);

interface AnswerRef {
  questionId: string;
  version: number;
}
interface ResponseView {
  id: string;
  version: number;
  answers: { questionId: string; code: string; value: unknown; version: number; prefilledValue: unknown }[];
}
interface Slot {
  token: string;
  responseId: string;
}
interface Store {
  kind: 'postgres' | 'pglite';
  env: NodeJS.ProcessEnv;
  server: ChildProcess;
  url: string;
  board: string;
  slots: Slot[];
  counsellor: string;
  prefilled: string;
}

async function shirube(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [bin, ...argv], { env, cwd: work, maxBuffer: 64 << 20 });
  return stdout;
}

async function api<T>(url: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<{ server: ChildProcess; url: string }> {
  const profile = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
  const server = spawn(process.execPath, [...profile, bin, 'serve', '--json'], {
    env: { ...env, PORT: '0' },
    cwd: work,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  server.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  server.stderr.on('data', () => undefined);
  for (let i = 0; i < 1200; i++) {
    const url = /"url": "([^"]+)"/.exec(out)?.[1];
    if (url) return { server, url };
    if (server.exitCode !== null) throw new Error(`the server stopped: ${out}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not listen within two minutes');
}

async function prepare(kind: Store['kind'], municipality: string, year: number, codes: string[]): Promise<Store> {
  const dir = join(work, kind);
  mkdirSync(dir);
  let databaseUrl = '';
  if (kind === 'postgres') {
    const admin = new pg.Client({ connectionString: args.pg });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS shirube_bench_load WITH (FORCE)');
    await admin.query('CREATE DATABASE shirube_bench_load');
    await admin.end();
    const url = new URL(args.pg);
    url.pathname = '/shirube_bench_load';
    databaseUrl = url.toString();
  }
  const keyFile = join(work, 'pseudonym.key');
  ensurePseudonymKey(keyFile);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    SHIRUBE_ALLOW_PRIVILEGED_DB_ROLE: 'true',
    SHIRUBE_PGLITE_DIR: join(dir, 'pg'),
    DUCKDB_PATH: join(dir, 'warehouse.duckdb'),
    PSEUDONYM_KEY_FILE: keyFile,
    SHIRUBE_REPORTS_DIR: join(dir, 'reports'),
    // Every simulated school sends from this one address, and a closed loop sends as fast as it is answered:
    // the rate limits (tested on their own, test/security) are lifted so that the figures are the server's.
    SHIRUBE_RATE_LIMIT_PER_ADDRESS: '0',
    SHIRUBE_RATE_LIMIT: '0',
  };
  const board = (
    JSON.parse(await shirube(env, 'user', 'create', '--role', 'board_admin', '--name', 'bench-board', '--json')) as {
      token: { secret: string };
    }
  ).token.secret;
  await shirube(env, 'ingest', municipality, '--json');
  const { server, url } = await startServer(env);
  const survey = await api<{ survey: { id: string } }>(
    url,
    board,
    'POST',
    '/api/surveys',
    demoSurvey(year, new Date()),
  );
  await api(url, board, 'POST', `/api/surveys/${survey.survey.id}/issue`);
  const slots: Slot[] = [];
  let counsellor = '';
  let prefilled = '';
  for (const [i, code] of codes.entries()) {
    const created = await api<{ token: { secret: string } }>(url, board, 'POST', '/api/users', {
      name: `bench-school-${i}`,
      role: 'school',
      schoolCode: code,
    });
    const token = created.token.secret;
    const listed = await api<unknown>(url, token, 'GET', '/api/responses');
    const responses = (Array.isArray(listed) ? listed : (listed as { items: { id: string }[] }).items) as {
      id: string;
    }[];
    const view = await api<ResponseView>(url, token, 'GET', `/api/responses/${responses[0].id}`);
    counsellor = view.answers.find((a) => a.code === 'counsellor_days')!.questionId;
    prefilled = view.answers.find((a) => a.code === 'lta_total')!.questionId;
    slots.push({ token, responseId: view.id });
  }
  return { kind, env, server, url, board, slots, counsellor, prefilled };
}

interface RoundResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors5xx: number;
  conflicts: number;
  other4xx: number;
  accepted: number;
  lostUpdates: number;
}

async function round(store: Store): Promise<RoundResult> {
  // Connection i works on school slots[i % schools]: the first `doubled` schools get two connections.
  const connections = schools + doubled;
  let next = 0;
  const latest = new Map<string, { version: number; value: unknown }>();
  const note = (view: ResponseView) => {
    for (const answer of view.answers) {
      const key = `${view.id}:${answer.questionId}`;
      const known = latest.get(key);
      if (!known || answer.version > known.version) latest.set(key, { version: answer.version, value: answer.value });
    }
  };
  let conflicts = 0;
  let other4xx = 0;
  let accepted = 0;
  // Two accepted writes from the same version of one answer: the second overwrote the first unseen.
  const acceptedBases = new Set<string>();
  let sameBaseAccepted = 0;
  type Context = { slot?: Slot; counsellor?: AnswerRef; prefilled?: AnswerRef };
  const versionsOf = (view: ResponseView, context: Context) => {
    const find = (id: string) => view.answers.find((a) => a.questionId === id)!;
    context.counsellor = { questionId: store.counsellor, version: find(store.counsellor).version };
    context.prefilled = { questionId: store.prefilled, version: find(store.prefilled).version };
  };
  const onWrite = (which: 'counsellor' | 'prefilled') => (status: number, body: string, context: Context) => {
    if (status === 200) {
      accepted++;
      const base = `${context.slot!.responseId}:${context[which]!.questionId}:${context[which]!.version}`;
      if (acceptedBases.has(base)) sameBaseAccepted++;
      acceptedBases.add(base);
      const view = JSON.parse(body) as ResponseView;
      note(view);
      versionsOf(view, context);
    } else if (status === 409) conflicts++;
    else if (status < 500) other4xx++;
  };
  const auth = (context: Context) => ({
    authorization: `Bearer ${context.slot!.token}`,
    'content-type': 'application/json',
  });
  const result = await autocannon({
    url: store.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (request, context: Context) => {
          context.slot = store.slots[(next++ % connections) % schools];
          return { ...request, path: `/api/responses/${context.slot.responseId}`, headers: auth(context) };
        },
        onResponse: (status, body, context: Context) => {
          if (status === 200) versionsOf(JSON.parse(body) as ResponseView, context);
        },
      },
      {
        method: 'PUT',
        // A falsy request (the read failed) starts the loop again from the read.
        setupRequest: (request, context: Context) =>
          (context.counsellor && {
            ...request,
            path: `/api/responses/${context.slot!.responseId}/answers/${store.counsellor}`,
            headers: auth(context),
            body: JSON.stringify({ value: Math.floor(Math.random() * 367), version: context.counsellor.version }),
          }) as autocannon.Request,
        onResponse: onWrite('counsellor'),
      },
      {
        method: 'POST',
        setupRequest: (request, context: Context) =>
          (context.prefilled && {
            ...request,
            path: `/api/responses/${context.slot!.responseId}/answers/${store.prefilled}/confirm`,
            headers: auth(context),
            body: JSON.stringify({ version: context.prefilled.version }),
          }) as autocannon.Request,
        onResponse: onWrite('prefilled'),
      },
    ],
  });
  // No lost update: every answer holds the last write the server accepted — at the version seen last, the
  // value seen then; past it only writes whose answers the end of the round cut off (never at a lower one).
  let lostUpdates = sameBaseAccepted;
  for (const slot of store.slots.slice(0, schools)) {
    const view = await api<ResponseView>(store.url, store.board, 'GET', `/api/responses/${slot.responseId}`);
    for (const answer of view.answers) {
      const expected = latest.get(`${view.id}:${answer.questionId}`);
      if (!expected) continue;
      if (answer.version < expected.version) lostUpdates++;
      else if (answer.version === expected.version && JSON.stringify(expected.value) !== JSON.stringify(answer.value))
        lostUpdates++;
    }
  }
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors5xx: result['5xx'],
    conflicts,
    other4xx,
    accepted,
    lostUpdates,
  };
}

async function main(): Promise<void> {
  log(machineLine());
  log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (2 cores: above ~0.5 the machine is not quiet)`,
  );
  const municipality = join(work, 'municipality');
  const generated = await generateMunicipality({
    schools,
    students: schools * 25,
    years: 1,
    seed: 7,
    outDir: municipality,
  });
  const truth = JSON.parse(readFileSync(join(municipality, 'truth.json'), 'utf8')) as { schools: { code: string }[] };
  const codes = truth.schools.map((s) => s.code).slice(0, schools);
  const year = Math.max(...generated.academicYears);
  log(`municipality: ${codes.length} schools, ${int(schools * 25)} students, FY${year}`);
  const stores: Store[] = [];
  try {
    for (const kind of ['postgres', 'pglite'] as const) stores.push(await prepare(kind, municipality, year, codes));
    log(
      `${schools + doubled} connections (closed loop) on ${schools} schools, ${doubled} of them with two writers; ${seconds} s per round, ${rounds} rounds per store, alternating`,
    );
    const results: Record<string, RoundResult[]> = { postgres: [], pglite: [] };
    for (let r = 0; r < rounds; r++) {
      for (const store of stores) {
        const result = await round(store);
        results[store.kind].push(result);
        log(
          `  round ${r + 1} ${store.kind.padEnd(8)} ${int(result.requests)} requests, ${int(Math.round(result.rps))} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, 5xx ${result.errors5xx}, 409 ${result.conflicts}, other 4xx ${result.other4xx}, accepted writes ${int(result.accepted)}, lost updates ${result.lostUpdates}`,
        );
      }
    }
    log('medians:');
    for (const kind of ['postgres', 'pglite']) {
      const rs = results[kind];
      log(
        `  ${kind.padEnd(8)} ${int(Math.round(median(rs.map((x) => x.rps))))} req/s, p50 ${median(rs.map((x) => x.p50))} ms, p99 ${median(rs.map((x) => x.p99))} ms; 5xx ${rs.reduce((n, x) => n + x.errors5xx, 0)}, lost updates ${rs.reduce((n, x) => n + x.lostUpdates, 0)} (all rounds)`,
      );
    }
    const pgP99 = median(results.postgres.map((x) => x.p99));
    log(`goal on PostgreSQL: p99 < 100 ms (≥ 2,000 req/s); floor p99 < 500 ms → p99 ${pgP99} ms`);
    log(
      `load average at end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    for (const store of stores) store.server.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
