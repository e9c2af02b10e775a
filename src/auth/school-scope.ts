import type { Request } from 'express';
import type { Actor } from '../common/request-context.js';
import { forbiddenSchool } from './auth.errors.js';
import { isSchoolBound } from './roles.js';

/**
 * The one rule of school scoping: a school user acts on its own school only. The guard applies it to
 * every school code a request names (route `:schoolCode`, `?school=`/`?schoolCode=`, body
 * `schoolCode`/`schoolCodes`); services apply it through `assertSchoolAccess` to resources found by
 * other keys, and `schoolFilter` to lists.
 */
export function assertSchoolAccess(actor: Actor, schoolCode: string): void {
  if (isSchoolBound(actor.role) && actor.schoolCode !== schoolCode) throw forbiddenSchool(schoolCode);
}

/** The schools a list may show this actor: undefined = all. */
export function schoolFilter(actor: Actor): string[] | undefined {
  return isSchoolBound(actor.role) ? [actor.schoolCode ?? ''] : undefined;
}

function asCodes(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** Every school code the request names, wherever it names one. */
export function schoolCodesNamedBy(request: Pick<Request, 'params' | 'query' | 'body'>): string[] {
  const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  return [
    ...asCodes(request.params?.schoolCode),
    ...asCodes(request.query?.school),
    ...asCodes(request.query?.schoolCode),
    ...asCodes(body.schoolCode),
    ...asCodes(body.schoolCodes),
  ];
}
