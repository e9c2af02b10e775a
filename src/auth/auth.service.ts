import { Injectable } from '@nestjs/common';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import { LOCAL_CLI_ACTOR, requestContext, type Actor } from '../common/request-context.js';
import { unauthenticated } from './auth.errors.js';
import { AuthRepository } from './auth.repository.js';
import type { User } from './entities/user.entity.js';
import { digestSecret, newSecret } from './secrets.js';

export const SESSION_COOKIE = 'shirube_session';
export const SESSION_HOURS = 12;

export function actorOf(user: User): Actor {
  return { userId: user.id, name: user.name, role: user.role, schoolCode: user.schoolCode };
}

/** Who is calling: bearer tokens for the API, session cookies for the web pages. */
@Injectable()
export class AuthService {
  /** The digest of this server's token for the command line of its own machine (store-lock.ts), once it listens. */
  private localCliDigest: Buffer | null = null;

  constructor(
    private readonly repository: AuthRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * A new token for the command line of this machine, valid while this process runs: a command run beside
   * the server goes through it (store-lock.ts) as the CLI, with the board's rights, and is audited as such.
   */
  enableLocalCli(): string {
    const secret = newSecret('shc');
    this.localCliDigest = Buffer.from(digestSecret(secret), 'hex');
    return secret;
  }

  async actorForToken(token: string): Promise<Actor | null> {
    if (this.localCliDigest && token.startsWith('shc_')) {
      return timingSafeEqual(Buffer.from(digestSecret(token), 'hex'), this.localCliDigest) ? LOCAL_CLI_ACTOR : null;
    }
    const user = await this.repository.userByTokenHash(digestSecret(token));
    return user ? actorOf(user) : null;
  }

  async actorForSession(sessionSecret: string): Promise<Actor | null> {
    const user = await this.repository.userBySessionHash(digestSecret(sessionSecret), new Date());
    return user ? actorOf(user) : null;
  }

  /** Exchanges an API token for a browser session; returns the cookie secret. */
  async login(token: string): Promise<{ sessionSecret: string; actor: Actor; expiresAt: Date }> {
    const actor = await this.actorForToken(token);
    if (!actor || !actor.userId) throw unauthenticated();
    requestContext.setActor(actor);
    const sessionSecret = newSecret('shs');
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
    const id = randomUUID();
    await this.repository.insertSession({
      id,
      userId: actor.userId,
      sessionHash: digestSecret(sessionSecret),
      expiresAt,
    });
    await this.audit.record({
      action: 'session.login',
      targetType: 'web_session',
      targetId: id,
      after: { expiresAt: expiresAt.toISOString() },
    });
    return { sessionSecret, actor, expiresAt };
  }

  async logout(sessionSecret: string | undefined): Promise<void> {
    if (!sessionSecret) return;
    const session = await this.repository.deleteSession(digestSecret(sessionSecret));
    if (session) await this.audit.record({ action: 'session.logout', targetType: 'web_session', targetId: session.id });
  }
}
