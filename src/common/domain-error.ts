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

/**
 * Every rule a service enforces fails with a DomainError carrying one of the declared codes. Only the
 * `<domain>.errors.ts` files construct one, each with a code it declares (so this file need not know the
 * list of codes, which would make it import every domain: error-codes.ts checks the codes instead).
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: { fields?: FieldProblem[]; [key: string]: unknown },
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
