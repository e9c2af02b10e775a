/**
 * Every rule a service enforces fails with a DomainError carrying one of these codes; the global
 * filter (error.filter.ts) is the only place that turns a code into an HTTP status.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN_ROLE',
  'FORBIDDEN_SCHOOL',
  /** A state change through the session cookie from a page of another origin (CSRF). */
  'FORBIDDEN_ORIGIN',
  'NOT_FOUND',
  'CONFLICT',
  'INPUT_REJECTED',
  'STORE_UNAVAILABLE',
  /** An analyst's query went past a limit (time or memory): a valid request, too costly to answer as it is. */
  'QUERY_LIMIT',
  /** The client went away and its query was stopped; nobody reads the answer. */
  'QUERY_CANCELLED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldProblem {
  field: string;
  messages: string[];
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { fields?: FieldProblem[]; [key: string]: unknown },
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string) => new DomainError('NOT_FOUND', `${what} ${id} not found`);
