/**
 * What a failed command says and the exit code it ends with (README, "The CLI"). A mistake of the
 * user's — a bad option, a file that is not there, a rule broken — is a sentence, never a stack trace;
 * only an internal error shows its stack, and only with SHIRUBE_DEBUG=1.
 */
import { DomainError } from '../common/domain-error.js';
import { codeOf, type ErrorCode } from '../common/error-codes.js';
import { StoreInUseError } from '../common/store-lock.js';
import { ConfigError } from '../config/config.js';

export const EXIT = {
  ok: 0,
  /** The input or a rule: a bad option, setting or definition, a missing file or id, a refusal. */
  failed: 1,
  /** An ingest batch was rejected (its report says why). */
  rejected: 2,
  /** A store is in use by another process or does not answer. */
  storeBusy: 3,
  /** A bug: the message says so; SHIRUBE_DEBUG=1 prints the stack. */
  internal: 70,
} as const;

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'is not a folder',
  EEXIST: 'already exists',
};

/** The exit code of a refusal, by its code (never by an HTTP status): every code is placed. */
export function exitCodeOf(code: ErrorCode): number {
  switch (code) {
    case 'INGEST_BATCH_REJECTED':
      return EXIT.rejected;
    case 'STORE_UNAVAILABLE':
      return EXIT.storeBusy;
    case 'INTERNAL':
    case 'REPORT_TEMPLATE_INVALID':
      return EXIT.internal;
    case 'VALIDATION_FAILED':
    case 'NOT_FOUND':
    case 'PAYLOAD_TOO_LARGE':
    case 'REQUEST_REFUSED':
    case 'RATE_LIMITED':
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN_ROLE':
    case 'FORBIDDEN_SCHOOL':
    case 'FORBIDDEN_ORIGIN':
    case 'USER_NAME_TAKEN':
    case 'USER_DISABLED':
    case 'USER_DISABLE_SELF':
    case 'SURVEY_DEFINITION_INVALID':
    case 'SURVEY_NOT_DRAFT':
    case 'SURVEY_CHANGED_WHILE_ISSUING':
    case 'SURVEY_NO_TARGET_SCHOOL':
    case 'SURVEY_RESPONSE_STALE':
    case 'SURVEY_RESPONSE_SUBMITTED':
    case 'SURVEY_RESPONSE_NOT_SUBMITTED':
    case 'SURVEY_SUBMISSION_BLOCKED':
    case 'INGEST_FEED_FORBIDDEN':
    case 'PSEUDONYM_KEY_MISMATCH':
    case 'PSEUDONYM_KEY_UNAVAILABLE':
    case 'PSEUDONYM_KEY_EXISTS':
    case 'BACKUP_TARGET_NOT_EMPTY':
    case 'BACKUP_RESTORE_MISMATCH':
    case 'BACKUP_UNUSABLE':
    case 'BACKUP_FOLDER_CHOSEN':
    case 'COHORT_DEFINITION_INVALID':
    case 'COHORT_ANALYSIS_NOT_POSSIBLE':
    case 'COHORT_VERSION_CONFLICT':
    case 'REPORT_TEMPLATE_FORBIDDEN':
    case 'REPORT_RUN_NOT_DONE':
    case 'REPORT_RUN_EXPIRED':
    case 'REPORT_PRINTER_UNAVAILABLE': // a missing Chromium is a setting to fix (CHROME_PATH), said in the message
    case 'QUERY_LIMIT':
    case 'QUERY_CANCELLED':
      return EXIT.failed;
    default: {
      const unplaced: never = code;
      throw new Error(`no exit code for ${String(unplaced)}`);
    }
  }
}

export function explainFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof ConfigError) return { message: error.message, exitCode: EXIT.failed };
  if (error instanceof StoreInUseError) return { message: error.message, exitCode: EXIT.storeBusy };
  if (error instanceof DomainError) {
    const fields = (error.details?.fields ?? []).map((f) => `  ${f.field}: ${f.messages.join('; ')}`);
    return {
      message: [error.message, ...fields].join('\n'),
      exitCode: exitCodeOf(codeOf(error)),
    };
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  const path = (error as NodeJS.ErrnoException)?.path;
  if (code && FILE_ERRORS[code] && path) return { message: `${path}: ${FILE_ERRORS[code]}`, exitCode: EXIT.failed };
  const debug = process.env.SHIRUBE_DEBUG === '1';
  const detail = debug ? ((error as Error)?.stack ?? String(error)) : ((error as Error)?.message ?? String(error));
  return {
    message: `internal error: ${detail}${debug ? '' : '\n(run again with SHIRUBE_DEBUG=1 to see where; please report it)'}`,
    exitCode: EXIT.internal,
  };
}
