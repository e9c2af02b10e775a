import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/common/project-root.js';
import { ensurePseudonymKey } from '../../src/config/pseudonym-key.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { cliEnvironment, freshStores, type TestStores } from '../support/stores.js';

const run = promisify(execFile);
const SCHOOL = 'B113210000014';
const OTHER_SCHOOL = 'C113210000012';
const STUDENT = 'stu-PERSON-7731';
/** What a request may carry that no log line may show. */
const SECRETS = ['QUERY-SECRET', 'shb_TOKEN-SECRET', 'shs_COOKIE-SECRET', SCHOOL, OTHER_SCHOOL, STUDENT];

interface Line {
  level: string;
  context?: string;
  requestId?: string;
  msg?: string;
  http?: { method: string; route: string; status: number; durationMs: number; role: string | null };
}

/** The server's logs (a real `shirube serve`): JSON lines on standard error when it is not a terminal, text on request. */
describe('logs', () => {
  let stores: TestStores;
  let env: NodeJS.ProcessEnv;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    stores = await freshStores();
    env = cliEnvironment(stores);
    ensurePseudonymKey(stores.config.pseudonymKeyFile!);
  });
  afterAll(async () => {
    await server?.stop();
    await stores.cleanup();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server!.url}${path}`, { headers, redirect: 'manual' });
    return { status: response.status, requestId: response.headers.get('x-request-id')! };
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('writes JSON lines to standard error, one access line per request with its request id, and nothing that identifies', async () => {
    server = await startServerProcess(env, stores.dir);
    // Standard output holds the one JSON document `serve --json` prints, and nothing else.
    expect(JSON.parse(server.stdout())).toEqual({
      url: server.url,
      docs: `${server.url}/api/docs`,
      health: `${server.url}/api/health`,
    });
    const created = await run(
      process.execPath,
      [join(projectRoot(), 'bin', 'shirube.js'), 'user', 'create', '--role', 'board_admin', '--name', 'logs', '--json'],
      { env, cwd: stores.dir },
    );
    const token = (JSON.parse(created.stdout) as { token: { secret: string } }).token.secret;

    const health = await get('/api/health?check=QUERY-SECRET');
    const school = await get(`/api/schools/${SCHOOL}`, { authorization: 'Bearer shb_TOKEN-SECRET' });
    const home = await get('/home', { cookie: 'shirube_session=shs_COOKIE-SECRET' });
    const missing = await get(`/nothing/${OTHER_SCHOOL}`);
    const form = new FormData();
    const csv = `school_code,student_id,date,status,reason\n${SCHOOL},${STUDENT},2025-04-08,absent,illness\n`;
    form.append('files', new Blob([csv], { type: 'text/csv' }), 'attendance.csv');
    const uploaded = await fetch(`${server.url}/api/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(uploaded.status).toBe(422);
    const ingest = uploaded.headers.get('x-request-id')!;
    await settle();

    const text = server.stderr();
    const lines = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Line);
    expect(lines.length).toBeGreaterThan(10);
    const access = (requestId: string) => lines.find((l) => l.context === 'access' && l.requestId === requestId);
    expect(access(health.requestId)).toMatchObject({
      level: 'info',
      http: { method: 'GET', route: '/api/health', status: 200, durationMs: expect.any(Number), role: null },
      msg: expect.stringMatching(/^GET \/api\/health 200 [\d.]+ ms$/),
    });
    expect(access(school.requestId)?.http).toMatchObject({ route: '/api/schools/:schoolCode', status: 401 });
    expect(access(home.requestId)?.http).toMatchObject({ route: '/home', status: 303 });
    expect(access(missing.requestId)?.http).toMatchObject({ route: '(unmatched)', status: 404 });
    expect(access(ingest)?.http).toMatchObject({ route: '/api/ingest', status: 422, role: 'board_admin' });
    // A line written inside a request carries that request's id.
    expect(lines.find((l) => l.context === 'Ingest' && l.msg?.startsWith('batch '))).toMatchObject({
      requestId: ingest,
    });
    // An access line says nothing else: no URL, query, header, cookie, token or address.
    for (const line of lines.filter((l) => l.context === 'access')) {
      expect(Object.keys(line).sort()).toEqual(['context', 'http', 'level', 'msg', 'pid', 'requestId', 'time']);
      expect(Object.keys(line.http!).sort()).toEqual(['durationMs', 'method', 'role', 'route', 'status']);
    }
    for (const secret of [...SECRETS, token]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/\u001b\[/);
    await server.stop();
  });

  it('writes one plain text line per entry with SHIRUBE_LOG_FORMAT=text, without colours', async () => {
    server = await startServerProcess({ ...env, SHIRUBE_LOG_FORMAT: 'text' }, stores.dir);
    const health = await get('/api/health');
    await settle();
    const text = server.stderr();
    expect(text).not.toMatch(/^\{/m);
    expect(text).not.toMatch(/\u001b\[/);
    expect(text).toMatch(/^\S+Z INFO {2}\[NestApplication\] Nest application successfully started$/m);
    expect(text).toContain(` INFO  [access] GET /api/health 200 `);
    expect(text).toMatch(new RegExp(`\\[access\\] GET /api/health 200 [\\d.]+ ms requestId=${health.requestId}$`, 'm'));
    await server.stop();
  });
});
