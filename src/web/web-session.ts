import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { forbiddenRole, unauthenticated } from '../auth/auth.errors.js';
import { AuthService, SESSION_COOKIE } from '../auth/auth.service.js';
import type { Role } from '../auth/entities/user.entity.js';
import { requestContext, type Actor } from '../common/request-context.js';

export function sessionSecretOf(request: Request): string | undefined {
  return (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
}

/**
 * The web pages are public routes (the global auth guard does not look at them): each resolves the
 * session itself, here, and puts the user in the request context so audit rows name them. A form
 * posted from another origin never gets here: the same-origin guard refuses it first.
 */
@Injectable()
export class WebSessions {
  constructor(private readonly auth: AuthService) {}

  async current(request: Request): Promise<Actor | null> {
    const secret = sessionSecretOf(request);
    const actor = secret ? await this.auth.actorForSession(secret) : null;
    if (actor) requestContext.setActor(actor);
    return actor;
  }

  /** The signed-in user, if their role may use the page; else UNAUTHENTICATED / FORBIDDEN_ROLE for the web error filter. */
  async require(request: Request, roles: readonly Role[]): Promise<Actor> {
    const actor = await this.current(request);
    if (!actor) throw unauthenticated();
    if (!roles.includes(actor.role as Role)) throw forbiddenRole(roles);
    return actor;
  }
}
