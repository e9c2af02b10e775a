/**
 * Every operation's error responses in openapi.json: the codes its controller names (`@ApiErrors`)
 * and those that follow from its shape, grouped by the status their domain declares, each response
 * an ErrorBody whose `code` is narrowed to the codes of that status.
 */
import type { OpenAPIObject, OperationObject, ParameterObject, SchemaObject } from '@nestjs/swagger';
import { ERRORS_EXTENSION } from '../common/api-errors.js';
import { declarationOf, ERROR_CODES, type ErrorCode } from '../common/error-codes.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const ERROR_BODY: SchemaObject = {
  type: 'object',
  description: 'Every error: `code` says what happened (README, "The API contract"); branch on it, not on the status.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: true,
      properties: {
        code: { type: 'string', enum: [...ERROR_CODES] },
        message: { type: 'string', description: 'For people (English); may change' },
        fields: {
          type: 'array',
          description: 'Each bad field or parameter, when the request is refused for them',
          items: { $ref: '#/components/schemas/FieldProblem' },
        },
      },
    },
  },
};

const FIELD_PROBLEM: SchemaObject = {
  type: 'object',
  required: ['field', 'messages'],
  properties: {
    field: { type: 'string', example: 'targets.schoolCodes' },
    messages: { type: 'array', items: { type: 'string' } },
  },
};

/** The codes any operation of this shape can answer with, besides those its controller names. */
function codesOf(method: string, operation: OperationObject & Record<string, unknown>): ErrorCode[] {
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  const codes: ErrorCode[] = [...((operation[ERRORS_EXTENSION] as ErrorCode[] | undefined) ?? [])];
  if (operation.security?.length) codes.push('UNAUTHENTICATED');
  if (operation['x-roles']) codes.push('FORBIDDEN_ROLE');
  // The session cookie carries a state change only from Shirube's own pages.
  if (method !== 'get') codes.push('FORBIDDEN_ORIGIN');
  if (parameters.length > 0 || operation.requestBody) codes.push('VALIDATION_FAILED');
  if (parameters.some((p) => p.in === 'path')) codes.push('NOT_FOUND');
  if (parameters.some((p) => p.name === 'schoolCode' || p.name === 'school')) codes.push('FORBIDDEN_SCHOOL');
  codes.push('INTERNAL');
  return ERROR_CODES.filter((code) => codes.includes(code));
}

function errorResponse(codes: ErrorCode[]) {
  return {
    description: codes.map((code) => `\`${code}\`: ${declarationOf(code).meaning}`).join('\n\n'),
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/ErrorBody' },
            { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } },
          ],
        },
      },
    },
  };
}

export function documentErrors(document: OpenAPIObject): void {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ErrorBody: ERROR_BODY, FieldProblem: FIELD_PROBLEM },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (!operation) continue;
      const byStatus = new Map<string, ErrorCode[]>();
      for (const code of codesOf(method, operation)) {
        const status = String(declarationOf(code).status);
        byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
      }
      delete operation[ERRORS_EXTENSION];
      // A response the operation documents itself stays (the health check's 503, a rejected batch's 422).
      for (const [status, codes] of byStatus) operation.responses[status] ??= errorResponse(codes);
    }
  }
}
