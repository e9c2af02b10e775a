import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument, openApiText } from '../src/app/openapi.js';
import { AuthService } from '../src/auth/auth.service.js';
import { projectRoot } from '../src/common/project-root.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('health, OpenAPI and errors over HTTP (real stores)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  describe('/api/health', () => {
    const health = (token?: string) => {
      const request = t.http().get('/api/health');
      return token ? request.set('Authorization', `Bearer ${token}`) : request;
    };
    const details = () => ({
      status: 'ok',
      controlPlane: {
        ok: true,
        store: t.stores.kind === 'postgres' ? expect.stringMatching(/^PostgreSQL /) : expect.stringMatching(/^PGlite/),
        latencyMs: expect.any(Number),
      },
      warehouse: { ok: true, store: `DuckDB ${t.stores.config.duckdbPath}`, latencyMs: expect.any(Number) },
      pseudonymKey: {
        path: t.stores.config.pseudonymKeyFile,
        present: false,
        problem: expect.stringContaining('no key file'),
      },
    });

    it('tells anyone ok, and nothing else: no store, path or key', async () => {
      expect((await health().expect(200)).body).toEqual({ status: 'ok' });
      expect((await health(t.tokens.analyst).expect(200)).body).toEqual({ status: 'ok' });
      expect((await health(t.tokens.schoolA).expect(200)).body).toEqual({ status: 'ok' });
    });

    it('tells the board, and the command line of the server’s machine, which stores answer, where, and about the key', async () => {
      expect((await health(t.tokens.board).expect(200)).body).toEqual(details());
      const cli = t.app.get(AuthService).enableLocalCli();
      expect((await health(cli).expect(200)).body).toEqual(details());
    });

    it('refuses a token that is not valid instead of answering as to nobody', async () => {
      expect((await health('shb_not-a-token').expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    });

    it('answers 503 unavailable when a store fails, the error to the board only', async () => {
      const rename = (from: string, to: string) =>
        t.warehouse.transaction((session) => session.run(`ALTER TABLE ${from} RENAME TO ${to}`));
      await rename('warehouse_migrations', 'warehouse_migrations_away');
      try {
        expect((await health().expect(503)).body).toEqual({ status: 'unavailable' });
        const board = (await health(t.tokens.board).expect(503)).body;
        expect(board).toMatchObject({ status: 'unavailable', controlPlane: { ok: true }, warehouse: { ok: false } });
        expect(board.warehouse.error).toContain('warehouse_migrations');
      } finally {
        await rename('warehouse_migrations_away', 'warehouse_migrations');
      }
      await health().expect(200);
    });
  });

  it('serves the Swagger UI at /api/docs and the document at /api/openapi.json', async () => {
    const docs = await t.http().get('/api/docs').redirects(1).expect(200);
    expect(docs.text).toContain('swagger-ui');
    const json = await t.http().get('/api/openapi.json').expect(200);
    expect(json.body.info.title).toBe('Shirube API');
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/users', '/api/schools/{schoolCode}']),
    );
  });

  it('matches the committed openapi.json (run `npm run openapi` after changing the API)', () => {
    const committed = readFileSync(join(projectRoot(), 'openapi.json'), 'utf8');
    expect(openApiText(buildOpenApiDocument(t.app))).toBe(committed);
  });

  it('maps an unknown route to 404 with the error shape', async () => {
    const response = await t
      .http()
      .get('/api/nothing-here')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .expect(404);
    expect(response.body.error).toMatchObject({ code: 'NOT_FOUND', message: 'no route GET /api/nothing-here' });
  });

  it('answers a malformed school code in a path with 400 naming the parameter', async () => {
    const response = await t
      .http()
      .get('/api/schools/B11321000001X')
      .set('Authorization', `Bearer ${t.tokens.board}`)
      .expect(400);
    expect(response.body.error.fields).toEqual([
      { field: 'schoolCode', messages: [expect.stringContaining('not a valid MEXT school code')] },
    ]);
  });

  it.each([
    ['a user id that is not a UUID', '/api/users/42/tokens', 'id'],
    [
      'a question id that is not a UUID',
      '/api/responses/00000000-0000-4000-8000-000000000000/answers/q1/evidence',
      'questionId',
    ],
    ['a report run id that is not a UUID', '/api/reports/runs/latest', 'runId'],
    ['a version that is not a number', '/api/cohorts/definitions/x/versions/two', 'version'],
    ['a version below 1', '/api/cohorts/definitions/x/versions/0', 'version'],
  ])('answers %s with VALIDATION_FAILED naming the parameter', async (_what, path, field) => {
    const response = await t.http().get(path).set('Authorization', `Bearer ${t.tokens.board}`).expect(400);
    expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field }] });
    expect(response.body.error.message).toContain(field);
  });
});
