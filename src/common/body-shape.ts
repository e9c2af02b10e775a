import type { FieldProblem } from './domain-error.js';
import { invalidFields } from './common.errors.js';

/** Deeper than any body Shirube takes (a cohort definition or a grid answer is under ten levels). */
export const MAX_BODY_DEPTH = 32;
const MAX_PROBLEMS = 20;

/**
 * What no request body may hold, checked before any validator walks it: nesting deeper than
 * MAX_BODY_DEPTH (a recursive validator would overflow the stack: a 500), and the NUL character
 * (PostgreSQL refuses it in text and jsonb: a 500). The walk is iterative, so it cannot overflow
 * itself; each problem names the field.
 */
export function bodyShapeProblems(body: unknown, maxDepth = MAX_BODY_DEPTH): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (pending.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000'))
        problems.push({ field: path || 'body', messages: ['must not contain the NUL character (\\u0000)'] });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth) {
      problems.push({ field: path.split('.')[0] || 'body', messages: [`is nested deeper than ${maxDepth} levels`] });
      break;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, inner] = entries[i];
      const child = path ? `${path}.${key}` : key;
      if (key.includes('\u0000'))
        problems.push({ field: path || 'body', messages: ['a field name contains the NUL character (\\u0000)'] });
      else pending.push({ value: inner, path: child, depth: depth + 1 });
    }
  }
  return problems;
}

/** Throws the 400 (VALIDATION_FAILED naming the fields) when a body or query holds what bodyShapeProblems finds. */
export function assertBodyShape(body: unknown): void {
  const fields = bodyShapeProblems(body);
  if (fields.length > 0) throw invalidFields(fields);
}
