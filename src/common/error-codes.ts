/**
 * Every error code a client of the API can see, each declared by its domain in `<domain>.errors.ts`
 * with its HTTP status and meaning. The one filter (error.filter.ts) maps them; openapi.ts publishes
 * them as the `code` enum of `ErrorBody`; pages and the command line branch on them.
 */
import { AUTH_ERRORS } from '../auth/auth.errors.js';
import { BACKUP_ERRORS } from '../backup/backup.errors.js';
import { COHORT_ERRORS } from '../cohorts/cohorts.errors.js';
import { INGEST_ERRORS } from '../ingest/ingest.errors.js';
import { REPORT_ERRORS } from '../reports/reports.errors.js';
import { SURVEY_ERRORS } from '../surveys/surveys.errors.js';
import { WAREHOUSE_ERRORS } from '../warehouse/warehouse.errors.js';
import { COMMON_ERRORS } from './common.errors.js';
import type { DomainError, ErrorDeclaration } from './domain-error.js';

export const ERROR_DOMAINS = {
  common: COMMON_ERRORS,
  auth: AUTH_ERRORS,
  surveys: SURVEY_ERRORS,
  ingest: INGEST_ERRORS,
  cohorts: COHORT_ERRORS,
  reports: REPORT_ERRORS,
  warehouse: WAREHOUSE_ERRORS,
  backup: BACKUP_ERRORS,
} as const;

export type ErrorCode = (typeof ERROR_DOMAINS)[keyof typeof ERROR_DOMAINS][number]['code'];

export const ERROR_DECLARATIONS: readonly ErrorDeclaration[] = Object.values(ERROR_DOMAINS).flat();

export const ERROR_CODES = ERROR_DECLARATIONS.map((d) => d.code) as ErrorCode[];

const DECLARED = new Map(ERROR_DECLARATIONS.map((d) => [d.code, d]));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && DECLARED.has(value);
}

export function declarationOf(code: ErrorCode): ErrorDeclaration {
  return DECLARED.get(code)!;
}

/** Is `code` one of `list`'s codes? Narrows it, so the filter's mapping can prove it covered every domain. */
export function declaredIn<L extends readonly ErrorDeclaration[]>(list: L, code: string): code is L[number]['code'] {
  return list.some((d) => d.code === code);
}

/** A DomainError's code as a declared one (every `*.errors.ts` factory uses its own declared codes; a spec checks it). */
export function codeOf(error: DomainError): ErrorCode {
  return isErrorCode(error.code) ? error.code : 'INTERNAL';
}
