/**
 * What a failed command says and the exit code it ends with (README, "The CLI"). A mistake of the
 * user's — a bad option, a file that is not there, a rule broken — is a sentence, never a stack trace;
 * only an internal error shows its stack, and only with SHIRUBE_DEBUG=1.
 */
import { DomainError } from '../common/domain-error.js';
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

export function explainFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof ConfigError) return { message: error.message, exitCode: EXIT.failed };
  if (error instanceof StoreInUseError) return { message: error.message, exitCode: EXIT.storeBusy };
  if (error instanceof DomainError) {
    const fields = (error.details?.fields ?? []).map((f) => `  ${f.field}: ${f.messages.join('; ')}`);
    return {
      message: [error.message, ...fields].join('\n'),
      exitCode: error.code === 'STORE_UNAVAILABLE' ? EXIT.storeBusy : EXIT.failed,
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
