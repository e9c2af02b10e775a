import { notFound } from '../common/common.errors.js';
import { DONE_KEYS, type DoneKey } from './response.page.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A route id that is not a UUID names nothing (and must not reach PostgreSQL as one). */
export function checkId(id: string): string {
  if (!UUID.test(id)) throw notFound('page', id);
  return id;
}

/** The notice a page shows after a successful post (`?done=`), if it is one we know. */
export function doneOf(value: unknown): DoneKey | undefined {
  return DONE_KEYS.find((key) => key === value);
}

/** Where to go after signing in: a path on this site only (never `//host` or a scheme). */
export function safeNext(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])[^\s\\]*$/.test(value) ? value : undefined;
}
