import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { declarationOf, ERROR_CODES, isErrorCode } from '../src/common/error-codes.js';
import { projectRoot } from '../src/common/project-root.js';

interface Operation {
  security?: unknown[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  'x-roles'?: string[];
}
interface Schema {
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  enum?: string[];
  items?: Schema;
}

/** The committed contract (test/http.test.ts checks it is what the code writes). */
const spec = JSON.parse(readFileSync(join(projectRoot(), 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ key: `${method} ${path}`, method, operation })),
);
const schemaNamed = (ref: string) => spec.components.schemas[ref.replace('#/components/schemas/', '')];

/** The codes an error response says it can carry (an ErrorBody narrowed by allOf), or null for another body. */
function codesOf(schema: Schema | undefined): string[] | null {
  if (schema?.allOf?.[0]?.$ref !== '#/components/schemas/ErrorBody') return null;
  return schema.allOf[1]?.properties?.error?.properties?.code?.enum ?? null;
}

/** A guard against an operation added or changed without its contract: success and error responses both. */
describe('the OpenAPI contract', () => {
  it('has operations to check', () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  it.each(operations)('$key: documents its success response and the schema of each media type', ({ operation }) => {
    const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
    expect(success.length).toBeGreaterThan(0);
    for (const [status, response] of success) {
      if (status === '204') {
        expect(response.content).toBeUndefined();
        continue;
      }
      const media = Object.entries(response.content ?? {});
      expect(media.length).toBeGreaterThan(0);
      for (const [type, { schema }] of media) expect({ type, schema: !!schema }).toEqual({ type, schema: true });
    }
  });

  it.each(operations)('$key: documents its errors with the one error body and declared codes', ({ operation }) => {
    const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
    expect(errors.map(([status]) => status)).toContain('500');
    const codes: string[] = [];
    for (const [status, response] of errors) {
      const schema = response.content?.['application/json']?.schema;
      expect(schema).toBeDefined();
      const listed = codesOf(schema);
      if (listed === null) {
        // A body of its own: the health check's 503 (a HealthView), a rejected batch's 422 (an ErrorBody with its report).
        expect(['HealthView', 'RejectedBatchView']).toContain(schema!.$ref?.split('/').pop());
        continue;
      }
      expect(listed.length).toBeGreaterThan(0);
      for (const code of listed) {
        expect(isErrorCode(code)).toBe(true);
        expect({ code, status: String(declarationOf(code as never).status) }).toEqual({ code, status });
      }
      codes.push(...listed);
    }
    if (operation.security?.length) expect(codes).toContain('UNAUTHENTICATED');
    if (operation['x-roles']) expect(codes).toContain('FORBIDDEN_ROLE');
    if (operation.parameters?.length) expect(codes).toContain('VALIDATION_FAILED');
  });

  it('publishes every declared code, and only those, as the codes of ErrorBody', () => {
    expect(schemaNamed('ErrorBody').properties?.error?.properties?.code?.enum).toEqual(ERROR_CODES);
  });

  it('pages every list of unbounded size: limit and offset in, items and total out', () => {
    const paged = operations.filter(({ operation }) => operation.parameters?.some((p) => p.name === 'offset'));
    expect(paged.map((o) => o.key).sort()).toEqual([
      'get /api/cohorts/definitions',
      'get /api/cohorts/definitions/{name}',
      'get /api/responses',
      'get /api/schools',
      'get /api/surveys',
      'get /api/users',
      'get /api/users/{id}/tokens',
      'get /api/watch/cases/schools/{schoolCode}',
      'get /api/watch/schools/{schoolCode}',
    ]);
    for (const { operation } of paged) {
      expect(operation.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'offset']));
      const page = schemaNamed(operation.responses['200'].content!['application/json'].schema!.$ref!);
      expect(Object.keys(page.properties ?? {}).sort()).toEqual(['items', 'limit', 'offset', 'total']);
      expect(page.properties!.items.items?.$ref).toMatch(/^#\/components\/schemas\/\w+View$/);
    }
  });
});
