import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/common/project-root.js';
import { startTestApp, SCHOOL_A, type TestApp } from '../support/test-app.js';

/**
 * Analysts never reach student-level data: every endpoint of the published API (openapi.json) that is
 * not in the short list below answers an analyst with 403 before it looks at anything. What analysts
 * may call returns aggregates only (cohort results pass disclosure control, see cohorts.test.ts).
 */
const ANALYST_MAY = new Set([
  'post /api/auth/login',
  'post /api/auth/logout',
  'get /api/auth/me',
  'get /api/health',
  'get /api/metrics',
  'get /api/schools',
  'post /api/cohorts/query',
  'get /api/cohorts/definitions',
  'post /api/cohorts/definitions',
  'get /api/cohorts/definitions/{name}',
  'get /api/cohorts/definitions/{name}/versions/{version}',
  'post /api/cohorts/definitions/{name}/run',
  // Reports: analysts render the analytical templates only (their figures come through disclosure control).
  'get /api/reports',
  'post /api/reports/{id}/render',
  // Early warning: the indicator catalogue, and counts per school through disclosure control.
  'get /api/watch/indicators',
  'get /api/watch/summary',
]);

const SAMPLE: Record<string, string> = {
  id: '00000000-0000-4000-8000-000000000000',
  questionId: '00000000-0000-4000-8000-000000000001',
  schoolCode: SCHOOL_A,
  name: 'x',
  version: '1',
  userId: '00000000-0000-4000-8000-000000000002',
};

describe('the analyst role and student-level endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('gets 403 on every endpoint outside the analyst list, whatever the parameters', async () => {
    const spec = JSON.parse(readFileSync(join(projectRoot(), 'openapi.json'), 'utf8')) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const refused: string[] = [];
    const allowed: string[] = [];
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const method of Object.keys(operations)) {
        const key = `${method} ${path}`;
        if (ANALYST_MAY.has(key)) {
          allowed.push(key);
          continue;
        }
        const url = path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? 'x');
        const http = t.http() as unknown as Record<string, (u: string) => import('supertest').Test>;
        const response = await http[method](url).set('Authorization', `Bearer ${t.tokens.analyst}`).send({});
        expect({ key, status: response.status }).toEqual({ key, status: 403 });
        refused.push(key);
      }
    }
    // The list is not stale: every allowed endpoint exists, and the student-level ones are among the refused.
    expect(allowed.sort()).toEqual([...ANALYST_MAY].sort());
    expect(refused).toEqual(
      expect.arrayContaining([
        'get /api/responses/{id}/answers/{questionId}/evidence',
        'get /api/metrics/{id}/values',
        'get /api/surveys/{id}/results',
      ]),
    );
    // Of the report templates, an analyst may render the analytical ones, not a school's exact profile or a survey's returns.
    for (const id of ['school-profile', 'survey-results']) {
      await t
        .http()
        .post(`/api/reports/${id}/render`)
        .set('Authorization', `Bearer ${t.tokens.analyst}`)
        .send({ params: {} })
        .expect(403);
    }
  });
});
