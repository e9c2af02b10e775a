/**
 * Limits on DuckDB work done for one request: a time limit and an AbortSignal (the HTTP client went
 * away). Either interrupts the connection (DuckDBConnection.interrupt), and the work fails with a
 * DomainError saying which limit stopped it, never with DuckDB's "INTERRUPT Error".
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DomainError } from '../common/domain-error.js';
import { queryCancelled, queryTimedOut } from './warehouse.errors.js';

export interface QueryLimits {
  /** Stop the work after this many milliseconds. */
  timeoutMs?: number;
  /** Stop the work when this aborts (the client disconnected). */
  signal?: AbortSignal;
}

/** How often a stopped connection is interrupted again, so that a statement started after the first interrupt stops too. */
const REPEAT_MS = 20;

/**
 * Runs `work` (statements on `connection`) under `limits`. When a limit is reached the connection is
 * interrupted, and again every few milliseconds until `work` settles, so that no later statement
 * of it runs on; `work`'s error is then replaced by one saying which limit stopped it. `onStop`
 * hears of it as it happens.
 */
export async function interruptible<T>(
  connection: DuckDBConnection,
  limits: QueryLimits,
  what: string,
  work: () => Promise<T>,
  onStop?: () => void,
): Promise<T> {
  const { timeoutMs, signal } = limits;
  if (signal?.aborted) throw queryCancelled(what);
  let stopped: DomainError | undefined;
  let repeat: ReturnType<typeof setInterval> | undefined;
  const stop = (error: DomainError) => {
    if (stopped) return;
    stopped = error;
    onStop?.();
    connection.interrupt();
    repeat = setInterval(() => connection.interrupt(), REPEAT_MS);
  };
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop(queryTimedOut(what, timeoutMs)), timeoutMs);
  const onAbort = () => stop(queryCancelled(what));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await work();
  } catch (error) {
    throw stopped ?? error;
  } finally {
    clearTimeout(timer);
    clearInterval(repeat);
    signal?.removeEventListener('abort', onAbort);
  }
}
