import { DomainError, type ErrorDeclaration, type FieldProblem } from './domain-error.js';

/** Codes every domain may answer with: the shape of a request, a missing thing, the server itself. */
export const COMMON_ERRORS = [
  {
    code: 'VALIDATION_FAILED',
    status: 400,
    meaning: 'A body field, query or path parameter is malformed or missing; `fields` names each one',
  },
  { code: 'NOT_FOUND', status: 404, meaning: 'No such thing (or no such route)' },
  { code: 'PAYLOAD_TOO_LARGE', status: 413, meaning: 'The body or an uploaded file is larger than allowed' },
  {
    code: 'REQUEST_REFUSED',
    status: 400,
    meaning: 'The HTTP layer refused the request for a reason of its own; the status says which (e.g. 429)',
  },
  {
    code: 'STORE_UNAVAILABLE',
    status: 503,
    meaning: 'A store does not answer (or, for the command line, the server holding the stores)',
  },
  {
    code: 'RATE_LIMITED',
    status: 429,
    meaning:
      'Too many requests, or failed sign-ins, in a minute (README "Security headers and limits"); `retryAfterSeconds` and Retry-After say when to try again',
  },
  { code: 'INTERNAL', status: 500, meaning: 'A fault of the server; nothing of it is shown' },
] as const satisfies readonly ErrorDeclaration[];

export const notFound = (what: string, id: string) => new DomainError('NOT_FOUND', `${what} ${id} not found`);

/** A 400 naming one field. */
export const invalidField = (field: string, message: string, text = message) =>
  new DomainError('VALIDATION_FAILED', text, { fields: [{ field, messages: [message] }] });

/** A 400 naming several fields. */
export const invalidFields = (fields: FieldProblem[], prefix = 'invalid request') =>
  new DomainError('VALIDATION_FAILED', `${prefix}: ${fields.map((f) => f.field).join(', ')}`, { fields });

/** Too many requests or failed sign-ins: the client may try again after `retryAfterSeconds`. */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
