import type { NextFunction, Request, Response } from 'express';
import type { Logger as Pino } from 'pino';
import { requestContext } from '../common/request-context.js';

/** What is known of a request once it is answered: nothing that names a person, a school or a secret. */
export interface RequestObservation {
  method: string;
  /** The matched route's pattern (`/api/surveys/:id`), never the URL: a path or query may carry identifiers. */
  route: string;
  status: number;
  durationSeconds: number;
  /** The client went away before the answer was complete. */
  aborted: boolean;
}

/** Paths served outside Nest's router, by their prefix. */
const UNROUTED = [
  { prefix: '/assets/', route: '/assets/*' },
  { prefix: '/api/docs', route: '/api/docs/*' },
];

/**
 * The route pattern a request matched, or a fixed word: the raw path is never used. (A wildcard is the
 * pattern of Nest's middleware, `{/*splat}`, which is all a request that matched no route has seen.)
 */
export function routeOf(request: Request): string {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string' && !path.includes('*')) return `${request.baseUrl ?? ''}${path}`;
  return UNROUTED.find((u) => request.originalUrl.startsWith(u.prefix))?.route ?? '(unmatched)';
}

/**
 * Express middleware, mounted first (after the request context): when a request is answered or
 * abandoned, writes one access-log line (method, route pattern, status, duration, the caller's role, the
 * request id: no query string, body, header, token, cookie or address) and hands the same to `observers`
 * (the HTTP metrics).
 */
export function accessLog(logger: Pino, observers: ((observation: RequestObservation) => void)[] = []) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const state = requestContext.current();
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const observation: RequestObservation = {
        method: request.method,
        route: routeOf(request),
        status: aborted ? 499 : response.statusCode,
        durationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
        aborted,
      };
      const ms = Math.round(observation.durationSeconds * 10_000) / 10;
      const { method, route, status } = observation;
      logger[status >= 500 ? 'error' : 'info'](
        {
          context: 'access',
          requestId: state?.requestId,
          http: {
            method,
            route,
            status,
            durationMs: ms,
            role: state?.actor?.role ?? null,
            ...(aborted ? { aborted } : {}),
          },
        },
        `${method} ${route} ${aborted ? 'aborted' : status} ${ms} ms`,
      );
      for (const observe of observers) observe(observation);
    };
    response.once('finish', () => finish(false));
    response.once('close', () => finish(!response.writableFinished));
    next();
  };
}
