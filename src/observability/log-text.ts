/** Fields the text line shows in its own places, or not at all (the access log's `http` is in its message). */
import { textOf } from '../common/text-of.js';
const SHOWN_APART = new Set(['time', 'level', 'pid', 'hostname', 'context', 'msg', 'http', 'err', 'requestId']);

function value(field: unknown): string {
  if (typeof field === 'string') return /[\s="]/.test(field) ? JSON.stringify(field) : field;
  return JSON.stringify(field);
}

/** Continuation lines (a stack trace, a message of several lines) are indented under the entry's first line. */
const indented = (text: string) => text.replace(/\r?\n/g, '\n    ');

/**
 * One pino JSON line as a line for a person at a terminal, without colours:
 * `2026-12-01T09:00:00.000Z INFO  [context] message key=value … requestId=…`.
 */
export function textLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = textOf(entry.level).toUpperCase();
  const parts = [textOf(entry.time), level.padEnd(5)];
  if (entry.context) parts.push(`[${textOf(entry.context)}]`);
  if (entry.msg !== undefined) parts.push(indented(textOf(entry.msg)));
  for (const [key, field] of Object.entries(entry))
    if (!SHOWN_APART.has(key) && field !== undefined) parts.push(`${key}=${value(field)}`);
  if (entry.requestId) parts.push(`requestId=${textOf(entry.requestId)}`);
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  if (err) parts.push(indented(err.stack ?? `${err.type ?? 'Error'}: ${err.message ?? ''}`));
  return `${parts.join(' ')}\n`;
}
