import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { forbiddenOrigin } from './auth.errors.js';
import { SESSION_COOKIE } from './auth.service.js';
import { PUBLIC_KEY } from './decorators.js';
import { crossOriginRefusal } from './same-origin.js';

/**
 * Applies the same-origin rule (same-origin.ts) before anything else, to every request that would act
 * through the session cookie: any request carrying the cookie, and any request to a public route (the
 * sign-in, which sets the cookie, and the web pages' forms), pages and API alike.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const hasCookie = Boolean((request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]);
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (!hasCookie && !isPublic) return true;
    const refusal = crossOriginRefusal({
      method: request.method,
      ownOrigin: this.config.publicOrigin ?? `${request.protocol}://${request.host}`,
      header: (name) => request.get(name),
    });
    if (refusal) throw forbiddenOrigin(refusal);
    return true;
  }
}
