import { codeOf } from '../common/error-codes.js';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { frameworkCode, setRetryAfter, statusOf } from '../common/error.filter.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { errorText } from './error-messages.js';
import { localPath, pageContext, renderMessagePage } from './layout.js';
import { pickLocale } from './messages.js';
import { routePath } from '../common/route-path.js';

/**
 * Errors on the web pages become pages, not JSON: no session → the login page (and back here
 * after it); a refusal → 403 (audited, as the API guard does); a missing thing → 404; anything else → 500.
 */
@Catch()
export class WebErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebErrorFilter');

  constructor(
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
    private readonly audit: AuditService,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    this.respond(exception, request, response).catch((error: unknown) => {
      this.logger.error(`web error page failed: ${(error as Error)?.stack ?? String(error)}`);
      if (!response.headersSent) response.status(500).type('text').send('internal error');
    });
  }

  private async respond(exception: unknown, request: Request, response: Response): Promise<void> {
    const locale = pickLocale(request.query.lang, this.config.locale);
    if (exception instanceof DomainError && exception.code === 'UNAUTHENTICATED') {
      return response.redirect(
        303,
        localPath('/login', locale, request.method === 'GET' ? { next: request.originalUrl } : {}),
      );
    }
    const status =
      exception instanceof DomainError
        ? statusOf(codeOf(exception))
        : exception instanceof HttpException
          ? exception.getStatus()
          : 500;
    const code =
      exception instanceof DomainError
        ? codeOf(exception)
        : exception instanceof HttpException
          ? frameworkCode(status)
          : 'INTERNAL';
    if (status === 500)
      this.logger.error(
        `unhandled error on ${request.method} ${routePath(request) ?? '(no route)'}: ${(exception as Error)?.stack ?? String(exception)}`,
      );
    setRetryAfter(response, exception);
    if (status === 403) {
      await this.audit.denied(request, code);
    }
    const ctx = pageContext(locale, null, '/home');
    const text = `${errorText(code, locale)}${fieldsOf(exception)}`;
    response
      .status(status)
      .type('html')
      .send(renderMessagePage(ctx, `${status}`, text));
  }
}

/** The fields a refused request names, for the message page: "(value, reason)". */
function fieldsOf(exception: unknown): string {
  const fields = exception instanceof DomainError ? (exception.details?.fields ?? []).map((f) => f.field) : [];
  return fields.length > 0 ? `(${fields.join(', ')})` : '';
}
