import { DomainError, type ErrorDeclaration } from '../common/domain-error.js';

export const INGEST_ERRORS = [
  {
    code: 'INGEST_BATCH_REJECTED',
    status: 422,
    meaning: 'The batch was read and refused as a whole, nothing loaded; `report` names every problem',
  },
  {
    code: 'INGEST_FEED_FORBIDDEN',
    status: 403,
    meaning:
      'A school uploaded a kind of file only the board loads (a school: attendance, calendar, assessments, guidance)',
  },
  {
    code: 'PSEUDONYM_KEY_MISMATCH',
    status: 409,
    meaning: 'The pseudonym key is not the one the warehouse was loaded with: its pseudonyms would not match',
  },
  {
    code: 'PSEUDONYM_KEY_EXISTS',
    status: 409,
    meaning: '`shirube key create` never replaces a key: every pseudonym in the warehouse was made with it',
  },
  {
    code: 'PSEUDONYM_KEY_UNAVAILABLE',
    status: 503,
    meaning: 'The board’s pseudonym key file cannot be read (missing, or not mode 0600)',
  },
] as const satisfies readonly ErrorDeclaration[];

export const batchRejected = (message: string, report: unknown) =>
  new DomainError('INGEST_BATCH_REJECTED', message, { report });
export const feedForbidden = (message: string) => new DomainError('INGEST_FEED_FORBIDDEN', message);
export const pseudonymKeyMismatch = (message: string) => new DomainError('PSEUDONYM_KEY_MISMATCH', message);
export const pseudonymKeyExists = (message: string) => new DomainError('PSEUDONYM_KEY_EXISTS', message);
export const pseudonymKeyUnavailable = (reason: string) =>
  new DomainError('PSEUDONYM_KEY_UNAVAILABLE', `cannot pseudonymise: ${reason}`);
