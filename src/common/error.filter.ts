import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, ErrorCode } from './domain-error.js';

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
      return HttpStatus.BAD_REQUEST;
    case 'UNAUTHENTICATED':
      return HttpStatus.UNAUTHORIZED;
    case 'FORBIDDEN_ROLE':
    case 'FORBIDDEN_SCHOOL':
    case 'FORBIDDEN_ORIGIN':
      return HttpStatus.FORBIDDEN;
    case 'NOT_FOUND':
      return HttpStatus.NOT_FOUND;
    case 'CONFLICT':
      return HttpStatus.CONFLICT;
    // Input the service read and refused as a whole (an ingest batch rejected): the body carries its report.
    case 'INPUT_REJECTED':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'STORE_UNAVAILABLE':
      return HttpStatus.SERVICE_UNAVAILABLE;
    case 'QUERY_LIMIT':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'QUERY_CANCELLED':
      // "Client closed request" (nginx's 499): only logs see it, the client is gone.
      return 499;
    default: {
      const unhandled: never = code;
      throw new Error(`unmapped error code ${String(unhandled)}`);
    }
  }
}

/** Body of every error response: `{ error: { code, message, ...details } }`. */
export interface ErrorBody {
  error: { code: string; message: string; [key: string]: unknown };
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
    denied
      .catch((error: unknown) => this.logger.error(`audit of a refusal failed: ${(error as Error)?.message}`))
      .finally(() => response.status(status).json(body));
  }

  private describe(exception: unknown, request: Request): { status: number; body: ErrorBody } {
    if (exception instanceof DomainError) {
      return {
        status: statusOf(exception.code),
        body: { error: { code: exception.code, message: exception.message, ...exception.details } },
      };
    }
    if (isBodyParseError(exception)) {
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
      const status = exception.getStatus();
      const message =
        status === HttpStatus.NOT_FOUND ? `no route ${request.method} ${request.path}` : exception.message;
      return { status, body: { error: { code: `HTTP_${status}`, message } } };
    }
    // Log the method and route only: a URL or body may carry identifiers.
    this.logger.error(
      `unhandled error on ${request.method} ${request.route?.path ?? '(no route)'}: ${(exception as Error)?.stack ?? String(exception)}`,
    );
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: { error: { code: 'INTERNAL', message: 'internal error' } },
    };
  }
}

/** Express's body parser fails with type 'entity.parse.failed'; Nest wraps it in a 400 whose cause it is. */
function isBodyParseError(exception: unknown): boolean {
  const type = (error: unknown) =>
    typeof error === 'object' && error !== null ? (error as { type?: string }).type : undefined;
  return (
    type(exception) === 'entity.parse.failed' ||
    (exception instanceof HttpException && type(exception.cause) === 'entity.parse.failed')
  );
}
