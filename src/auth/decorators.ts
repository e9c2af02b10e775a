import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../common/request-context.js';
import type { Role } from './entities/user.entity.js';

export const PUBLIC_KEY = 'shirube:public';
export const ROLES_KEY = 'shirube:roles';
export const OPTIONAL_AUTH_KEY = 'shirube:optional-auth';
export const SCRAPE_TOKEN_KEY = 'shirube:scrape-token';

/** No sign-in needed (health, login page). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * No sign-in needed, but a credential sent is checked as on any route (a refused one is a 401, audited)
 * and the handler learns who called (`OptionalActor`): health answers the board more than anyone.
 */
export const OptionalAuth = () => applyDecorators(Public(), SetMetadata(OPTIONAL_AUTH_KEY, true));

/** An `OptionalAuth` route that also takes the metrics scraper's token (SHIRUBE_METRICS_TOKEN): GET /metrics. */
export const AcceptsScrapeToken = () => applyDecorators(OptionalAuth(), SetMetadata(SCRAPE_TOKEN_KEY, true));

/** Only these roles may call the handler (published in OpenAPI as the operation's `x-roles`). */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension('x-roles', roles));

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<Request & { actor?: Actor }>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});

/** On an `AcceptsScrapeToken` route: whether the metrics scraper called. */
export const IsScraper = createParamDecorator(
  (_: unknown, context: ExecutionContext): boolean =>
    context.switchToHttp().getRequest<Request & { scraper?: boolean }>().scraper === true,
);

/** On an `OptionalAuth` route: who called, or null for nobody. */
export const OptionalActor = createParamDecorator(
  (_: unknown, context: ExecutionContext): Actor | null =>
    context.switchToHttp().getRequest<Request & { actor?: Actor }>().actor ?? null,
);
