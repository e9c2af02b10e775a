import type { Request } from 'express';

/** The route pattern a request matched ('/api/surveys/:id'), never its URL (which may carry identifiers); undefined before routing. */
export const routePath = (request: Request): string | undefined =>
  (request.route as { path?: string } | undefined)?.path;
