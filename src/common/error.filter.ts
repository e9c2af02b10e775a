import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, type ErrorDeclaration } from './domain-error.js';
import { codeOf, declaredIn, ERROR_DOMAINS, type ErrorCode } from './error-codes.js';
import { routePath } from './route-path.js';

const statusIn = (list: readonly ErrorDeclaration[], code: string) => list.find((d) => d.code === code)!.status;

/**
 * A code's HTTP status, as its domain declares it. Exhaustive: a domain added to ERROR_DOMAINS and
 * not here leaves `code` not `never`, and the build fails.
 */
export function statusOf(code: ErrorCode): number {
  const { common, auth, surveys, ingest, cohorts, reports, warehouse, backup } = ERROR_DOMAINS;
  if (declaredIn(common, code)) return statusIn(common, code);
  if (declaredIn(auth, code)) return statusIn(auth, code);
  if (declaredIn(surveys, code)) return statusIn(surveys, code);
  if (declaredIn(ingest, code)) return statusIn(ingest, code);
  if (declaredIn(cohorts, code)) return statusIn(cohorts, code);
  if (declaredIn(reports, code)) return statusIn(reports, code);
  if (declaredIn(warehouse, code)) return statusIn(warehouse, code);
  if (declaredIn(backup, code)) return statusIn(backup, code);
  const unmapped: never = code;
  throw new Error(`unmapped error code ${String(unmapped)}`);
}

/** The code of a refusal by the HTTP framework itself (no route, a body too large, a limit of its own). */
export function frameworkCode(status: HttpStatus): ErrorCode {
  switch (status) {
    case HttpStatus.BAD_REQUEST:
      return 'VALIDATION_FAILED';
    case HttpStatus.UNAUTHORIZED:
      return 'UNAUTHENTICATED';
    case HttpStatus.FORBIDDEN:
      return 'FORBIDDEN_ROLE';
    case HttpStatus.NOT_FOUND:
      return 'NOT_FOUND';
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return 'PAYLOAD_TOO_LARGE';
    case HttpStatus.TOO_MANY_REQUESTS:
      return 'RATE_LIMITED';
    case HttpStatus.INTERNAL_SERVER_ERROR:
      return 'INTERNAL';
    default:
      return 'REQUEST_REFUSED';
  }
}

/** Body of every error response: `{ error: { code, message, ...details } }` (schema ErrorBody in openapi.json). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; [key: string]: unknown };
}

/**
 * The one global filter: domain codes → statuses; framework errors keep their status; anything else is a
 * 500 with no internals. Every refusal (403), whether the guard's or a service's, leaves an audit row.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  constructor(private readonly audit: AuditService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { status, body } = this.describe(exception, request);
    const denied =
      exception instanceof DomainError && status === HttpStatus.FORBIDDEN
        ? this.audit.denied(request, exception.code)
        : Promise.resolve();
    setRetryAfter(response, exception);
    denied
      .catch((error: unknown) => this.logger.error(`audit of a refusal failed: ${(error as Error)?.message}`))
      .finally(() => response.status(status).json(body));
  }

  private describe(exception: unknown, request: Request): { status: HttpStatus; body: ErrorBody } {
    if (exception instanceof DomainError) {
      const status = statusOf(codeOf(exception));
      if (status >= 500 && status !== 503)
        this.logger.error(
          `${exception.code} on ${request.method} ${routePath(request) ?? '(no route)'}: ${exception.message}`,
        );
      return { status, body: { error: { code: codeOf(exception), message: exception.message, ...exception.details } } };
    }
    const tooLarge = bodyParserError(exception, 'entity.too.large');
    if (tooLarge) {
      const limit = typeof tooLarge.limit === 'number' ? ` of ${tooLarge.limit} bytes (SHIRUBE_BODY_LIMIT)` : '';
      return {
        status: HttpStatus.PAYLOAD_TOO_LARGE,
        body: { error: { code: 'PAYLOAD_TOO_LARGE', message: `the request body is larger than the limit${limit}` } },
      };
    }
    if (bodyParserError(exception, 'entity.parse.failed')) {
      return {
        status: HttpStatus.BAD_REQUEST,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'request body is not valid JSON',
            fields: [{ field: 'body', messages: ['not valid JSON'] }],
          },
        },
      };
    }
    if (exception instanceof HttpException) {
      const status: HttpStatus = exception.getStatus();
      const message =
        status === HttpStatus.NOT_FOUND ? `no route ${request.method} ${request.path}` : exception.message;
      return { status, body: { error: { code: frameworkCode(status), message } } };
    }
    // Log the method and route only: a URL or body may carry identifiers.
    this.logger.error(
      `unhandled error on ${request.method} ${routePath(request) ?? '(no route)'}: ${(exception as Error)?.stack ?? String(exception)}`,
    );
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: { error: { code: 'INTERNAL', message: 'internal error' } },
    };
  }
}

/** A refusal for now (RATE_LIMITED) tells the client when to come back, in the standard header too. */
export function setRetryAfter(response: Response, exception: unknown): void {
  const seconds = exception instanceof DomainError ? exception.details?.retryAfterSeconds : undefined;
  if (exception instanceof DomainError && exception.code === 'RATE_LIMITED' && typeof seconds === 'number')
    response.setHeader('Retry-After', String(seconds));
}

interface BodyParserError {
  type?: string;
  limit?: number;
}

/**
 * Express's body parser fails with a type ('entity.parse.failed', 'entity.too.large'); Nest wraps it in an
 * HttpException whose cause it is. The parser's error of that type, or null.
 */
function bodyParserError(exception: unknown, type: string): BodyParserError | null {
  const typed = (error: unknown) =>
    typeof error === 'object' && error !== null && (error as BodyParserError).type === type
      ? (error as BodyParserError)
      : null;
  return typed(exception) ?? (exception instanceof HttpException ? typed(exception.cause) : null);
}
