import { DomainError, type ErrorDeclaration } from '../common/domain-error.js';

export const WAREHOUSE_ERRORS = [
  {
    code: 'QUERY_LIMIT',
    status: 422,
    meaning: 'A query went past a limit (`limit`: time or memory): a valid request, too costly to answer as it is',
  },
  {
    code: 'QUERY_CANCELLED',
    status: 499,
    meaning: 'The client went away and its query was stopped (only logs see it: the client is gone)',
  },
] as const satisfies readonly ErrorDeclaration[];

/** What the caller tried to do, for the error message ("the derived outcomes", "the cohort query"). */
export const queryTimedOut = (what: string, timeoutMs: number) =>
  new DomainError('QUERY_LIMIT', `stopped ${what} after ${timeoutMs} ms, the time limit`, {
    limit: 'time',
    timeoutMs,
  });

export const queryOutOfMemory = (message: string) => new DomainError('QUERY_LIMIT', message, { limit: 'memory' });

export const queryCancelled = (what: string) =>
  new DomainError('QUERY_CANCELLED', `stopped ${what}: the client went away`);
