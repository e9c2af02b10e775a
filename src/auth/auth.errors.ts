import { DomainError } from '../common/domain-error.js';

export const unauthenticated = () =>
  new DomainError('UNAUTHENTICATED', 'sign in, or send a valid API token as "Authorization: Bearer <token>"');
export const forbiddenRole = (allowed: readonly string[]) =>
  new DomainError('FORBIDDEN_ROLE', `this needs the role ${allowed.join(' or ')}`);
export const forbiddenSchool = (schoolCode: string) =>
  new DomainError('FORBIDDEN_SCHOOL', `a school user may only use its own school; ${schoolCode} is not yours`);
export const forbiddenOrigin = (why: string) => new DomainError('FORBIDDEN_ORIGIN', `refused: ${why}`);
