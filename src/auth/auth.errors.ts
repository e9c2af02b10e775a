import { DomainError, type ErrorDeclaration } from '../common/domain-error.js';

export const AUTH_ERRORS = [
  { code: 'UNAUTHENTICATED', status: 401, meaning: 'No valid API token or web session' },
  { code: 'FORBIDDEN_ROLE', status: 403, meaning: 'The caller’s role may not do this' },
  { code: 'FORBIDDEN_SCHOOL', status: 403, meaning: 'A school user named another school than its own' },
  {
    code: 'FORBIDDEN_ORIGIN',
    status: 403,
    meaning: 'A state change through the session cookie from a page of another origin (CSRF)',
  },
  { code: 'USER_NAME_TAKEN', status: 409, meaning: 'A user with this name already exists' },
  { code: 'USER_DISABLED', status: 409, meaning: 'The user is disabled: no token is issued, it is not disabled again' },
  { code: 'USER_DISABLE_SELF', status: 409, meaning: 'A board administrator may not disable their own user' },
] as const satisfies readonly ErrorDeclaration[];

export const unauthenticated = () =>
  new DomainError('UNAUTHENTICATED', 'sign in, or send a valid API token as "Authorization: Bearer <token>"');
export const forbiddenRole = (allowed: readonly string[]) =>
  new DomainError('FORBIDDEN_ROLE', `this needs the role ${allowed.join(' or ')}`);
export const forbiddenSchool = (schoolCode: string, message?: string) =>
  new DomainError(
    'FORBIDDEN_SCHOOL',
    message ?? `a school user may only use its own school; ${schoolCode} is not yours`,
  );
export const forbiddenOrigin = (why: string) => new DomainError('FORBIDDEN_ORIGIN', `refused: ${why}`);
export const userNameTaken = (name: string) =>
  new DomainError('USER_NAME_TAKEN', `a user named ${name} already exists`);
export const userDisabled = (message: string) => new DomainError('USER_DISABLED', message);
export const userDisableSelf = () => new DomainError('USER_DISABLE_SELF', 'you cannot disable yourself');
