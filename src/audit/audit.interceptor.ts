import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import { requestContext } from '../common/request-context.js';
import { AuditService } from './audit.service.js';
import { routePath } from '../common/route-path.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every state-changing call leaves an audit row. Services write the detailed row (before/after);
 * this writes a plain one for any successful call whose service did not.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (!STATE_CHANGING.has(request.method)) return next.handle();
    return next.handle().pipe(
      mergeMap((result: unknown) =>
        from(
          (async () => {
            if (!requestContext.current()?.audited) {
              await this.audit.record({
                action: `http.${request.method.toLowerCase()}`,
                targetType: 'route',
                targetId: routePath(request) ?? request.path,
              });
            }
            return result;
          })(),
        ),
      ),
    );
  }
}
