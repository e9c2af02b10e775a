import type { ErrorCode } from './error-codes.js';

export type { ErrorCode } from './error-codes.js';

/**
 * One error code a domain declares in its `<domain>.errors.ts`: the HTTP status the one filter
 * (error.filter.ts) answers it with, and what it means to a client, published in OpenAPI.
 */
export interface ErrorDeclaration {
  readonly code: string;
  readonly status: number;
  readonly meaning: string;
}

export interface FieldProblem {
  field: string;
  messages: string[];
}

/** Every rule a service enforces fails with a DomainError carrying one of the declared codes. */
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
