import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { requestContext, type Actor } from '../common/request-context.js';
import { forbiddenRole, unauthenticated } from './auth.errors.js';
import { AuthService, SESSION_COOKIE } from './auth.service.js';
import { OPTIONAL_AUTH_KEY, PUBLIC_KEY, ROLES_KEY, SCRAPE_TOKEN_KEY } from './decorators.js';
import type { Role } from './entities/user.entity.js';
import { assertSchoolAccess, schoolCodesNamedBy } from './school-scope.js';

export type AuthedRequest = Request & { actor?: Actor; scraper?: boolean };

/** The command line (only ever the server's own machine, through its local token) has the board's rights. */
function mayUse(actor: Actor, roles: Role[]): boolean {
  return roles.includes(actor.role as Role) || (actor.role === 'cli' && roles.includes('board_admin'));
}

function presentsCredential(request: AuthedRequest): boolean {
  return (
    request.headers.authorization !== undefined ||
    (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE] !== undefined
  );
}

/** The global gate of every route: who is calling, whether the role may, and whether a school stays in its own school. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH_KEY, targets);
      if (!optional || !presentsCredential(request)) return true;
      if (this.reflector.getAllAndOverride<boolean>(SCRAPE_TOKEN_KEY, targets) && this.isScraper(request)) {
        request.scraper = true;
        return true;
      }
    }
    const actor = await this.identify(request);
    if (!actor) throw unauthenticated();
    request.actor = actor;
    requestContext.setActor(actor);
    // A refusal here is audited by the error filter, as a service's is.
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !mayUse(actor, roles)) throw forbiddenRole(roles);
    for (const schoolCode of schoolCodesNamedBy(request)) assertSchoolAccess(actor, schoolCode);
    return true;
  }

  private isScraper(request: AuthedRequest): boolean {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    return match !== null && this.auth.isScrapeToken(match[1]);
  }

  private async identify(request: AuthedRequest): Promise<Actor | null> {
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (match) return this.auth.actorForToken(match[1]);
      await this.auth.refuseMalformedAuthorization();
      return null;
    }
    const session = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    return session ? this.auth.actorForSession(session) : null;
  }
}
