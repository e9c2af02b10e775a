import { Inject, Injectable } from '@nestjs/common';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import { LOCAL_CLI_ACTOR, requestContext, type Actor } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { unauthenticated } from './auth.errors.js';
import { AuthRepository, type TokenCredential, type UserCredential } from './auth.repository.js';
import { CredentialCache, type LiveCredential } from './credential-cache.js';
import type { User } from './entities/user.entity.js';
import type { SignInMethod } from './entities/web-session.entity.js';
import { verifyPassword } from './passwords.js';
import { digestSecret, newSecret } from './secrets.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { TokenUseMemo } from './token-use.js';

export const SESSION_COOKIE = 'shirube_session';

export function actorOf(user: UserCredential): Actor {
  return { userId: user.id, name: user.name, role: user.role, schoolCode: user.schoolCode };
}

/** How a credential was presented: a bearer token on an API call, a token to sign in with, a session cookie. */
export type CredentialUse = 'bearer' | 'api_login' | 'web_login' | 'password' | 'oidc' | 'session';

/** Why a presented credential was refused: the reason of the `auth.failed` audit row. */
export type CredentialRefusal =
  | 'AUTHORIZATION_MALFORMED'
  | 'TOKEN_UNKNOWN'
  | 'TOKEN_REVOKED'
  | 'USER_DISABLED'
  | 'SESSION_UNKNOWN'
  | 'SESSION_EXPIRED'
  | 'PASSWORD_WRONG'
  | 'IDP_ACCOUNT_NOT_LINKED'
  | 'IDP_RESPONSE_INVALID';

/** A new web session: the cookie's secret, who it is, until when. */
export interface NewSession {
  sessionSecret: string;
  actor: Actor;
  expiresAt: Date;
}

/** A live token or session, or why not. */
function refusalOf(token: TokenCredential | null, user: UserCredential | null): CredentialRefusal | null {
  if (!token) return 'TOKEN_UNKNOWN';
  if (token.revokedAt) return 'TOKEN_REVOKED';
  if (!user || user.disabledAt) return 'USER_DISABLED';
  return null;
}

/**
 * Who is calling: bearer tokens for the API, session cookies for the web pages. Every credential
 * presented and refused leaves an `auth.failed` audit row: how it was presented and why it was refused,
 * with the token's or session's id and its user when they are known — never the secret, its digest or
 * the caller's address.
 */
@Injectable()
export class AuthService {
  /** The digest of this server's token for the command line of its own machine (store-lock.ts), once it listens. */
  private localCliDigest: Buffer | null = null;
  private readonly tokenUse = new TokenUseMemo();
  /** The digest of SHIRUBE_METRICS_TOKEN: it opens GET /metrics and nothing else (it is no user's token). */
  private readonly scrapeDigest: Buffer | null;

  constructor(
    private readonly repository: AuthRepository,
    private readonly audit: AuditService,
    private readonly signIns: SignInThrottle,
    private readonly credentials: CredentialCache,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {
    this.scrapeDigest = config.metricsToken ? Buffer.from(digestSecret(config.metricsToken), 'hex') : null;
  }

  /** Whether a bearer token is the metrics scraper's, compared in constant time. */
  isScrapeToken(token: string): boolean {
    return this.scrapeDigest !== null && timingSafeEqual(Buffer.from(digestSecret(token), 'hex'), this.scrapeDigest);
  }

  /**
   * A new token for the command line of this machine, valid while this process runs: a command run beside
   * the server goes through it (store-lock.ts) as the CLI, with the board's rights, and is audited as such.
   */
  enableLocalCli(): string {
    const secret = newSecret('shc');
    this.localCliDigest = Buffer.from(digestSecret(secret), 'hex');
    return secret;
  }

  async actorForToken(token: string, use: CredentialUse = 'bearer'): Promise<Actor | null> {
    if (use === 'bearer' && this.localCliDigest && token.startsWith('shc_')) {
      if (timingSafeEqual(Buffer.from(digestSecret(token), 'hex'), this.localCliDigest)) return LOCAL_CLI_ACTOR;
    }
    return (await this.liveToken(token, use))?.actor ?? null;
  }

  /** A bearer token's decision is remembered briefly (credential-cache.ts); signing in with a token always reads it. */
  private async liveToken(secret: string, use: CredentialUse): Promise<LiveCredential | null> {
    const digest = digestSecret(secret);
    const remembered = use === 'bearer' ? this.credentials.get(digest) : undefined;
    if (remembered) return this.used(remembered);
    const generation = this.credentials.generation();
    const { token, user } = await this.repository.credentialOfToken(digest);
    const refusal = refusalOf(token, user);
    if (refusal || !token || !user) {
      await this.refuse(use, refusal ?? 'TOKEN_UNKNOWN', token ? { type: 'api_token', id: token.id } : null, user);
      return null;
    }
    const live = { actor: actorOf(user), tokenId: token.id };
    if (use === 'bearer') this.credentials.put(digest, live, generation);
    return this.used(live);
  }

  /** last_used_at is right to the minute: a request within a minute of the last write reads only. */
  private async used(live: LiveCredential): Promise<LiveCredential> {
    if (this.tokenUse.due(live.tokenId)) await this.repository.markTokenUsed(live.tokenId);
    return live;
  }

  async actorForSession(sessionSecret: string): Promise<Actor | null> {
    const { session, token, user } = await this.repository.credentialOfSession(digestSecret(sessionSecret));
    const refusal: CredentialRefusal | null = !session
      ? 'SESSION_UNKNOWN'
      : session.expiresAt <= new Date()
        ? 'SESSION_EXPIRED'
        : session.tokenId
          ? refusalOf(token, user)
          : !user || user.disabledAt
            ? 'USER_DISABLED'
            : null;
    if (refusal || !user) {
      await this.refuse(
        'session',
        refusal ?? 'SESSION_UNKNOWN',
        session && { type: 'web_session', id: session.id },
        user,
      );
      return null;
    }
    return actorOf(user);
  }

  /** A malformed Authorization header is a refused credential too. */
  async refuseMalformedAuthorization(): Promise<void> {
    await this.refuse('bearer', 'AUTHORIZATION_MALFORMED', null, null);
  }

  /** Audits a refused sign-in of another kind (the identity provider's answer) and counts it against the address. */
  async refuseSignIn(
    use: CredentialUse,
    reason: CredentialRefusal,
    attempt: { account: string; address: string },
    user: User | null = null,
  ): Promise<void> {
    this.signIns.recordFailure({ ...attempt, via: use });
    await this.refuse(use, reason, null, user);
  }

  private async refuse(
    use: CredentialUse,
    reason: CredentialRefusal,
    target: { type: string; id: string } | null,
    user: UserCredential | null,
  ): Promise<void> {
    await this.audit.record({
      action: 'auth.failed',
      targetType: target?.type,
      targetId: target?.id,
      after: { via: use, ...(user ? { userId: user.id } : {}) },
      reason,
    });
  }

  /**
   * Exchanges an API token for a browser session, tied to that token; returns the cookie secret. Failed
   * tries are throttled per token and per client `address` (sign-in-throttle.ts).
   */
  async login(token: string, channel: 'api' | 'web', address: string): Promise<NewSession> {
    const use = channel === 'api' ? 'api_login' : 'web_login';
    const attempt = { account: `token:${digestSecret(token)}`, address, via: use };
    await this.signIns.assertMayTry(attempt);
    const live = await this.liveToken(token, use);
    if (!live || !live.actor.userId) {
      this.signIns.recordFailure(attempt);
      throw unauthenticated();
    }
    return this.startSession(live.actor, 'token', live.tokenId, channel);
  }

  /**
   * A local password sign-in: `login` is the user's name or e-mail address. Throttled per account and
   * address like every sign-in; a refusal says nothing of whether the account exists.
   */
  async loginWithPassword(login: string, password: string, address: string): Promise<NewSession> {
    const attempt = { account: `user:${login.trim().toLowerCase()}`, address, via: 'password' };
    await this.signIns.assertMayTry(attempt);
    const user = login.trim() ? await this.repository.findUserByLogin(login.trim()) : null;
    const matches = await verifyPassword(user?.passwordHash ?? null, password);
    const refusal: CredentialRefusal | null = !user
      ? 'TOKEN_UNKNOWN'
      : !matches
        ? 'PASSWORD_WRONG'
        : user.disabledAt
          ? 'USER_DISABLED'
          : null;
    if (refusal || !user) {
      this.signIns.recordFailure(attempt);
      await this.refuse('password', refusal === 'TOKEN_UNKNOWN' ? 'PASSWORD_WRONG' : refusal!, null, user);
      throw unauthenticated();
    }
    return this.startSession(actorOf(user), 'password', null, 'web');
  }

  /**
   * A sign-in the identity provider vouched for: `account` is the configured claim's value, which the
   * board linked to one user. An unlinked or disabled account is refused and audited.
   */
  async loginWithIdp(account: string, address: string): Promise<NewSession> {
    const attempt = { account: `idp:${account}`, address, via: 'oidc' };
    await this.signIns.assertMayTry(attempt);
    const user = await this.repository.findUserByIdpAccount(account);
    if (!user || user.disabledAt) {
      await this.refuseSignIn('oidc', user ? 'USER_DISABLED' : 'IDP_ACCOUNT_NOT_LINKED', attempt, user);
      throw unauthenticated();
    }
    return this.startSession(actorOf(user), 'oidc', null, 'web');
  }

  /** Whether this address or account may try to sign in now (429 RATE_LIMITED, audited, when not). */
  assertMaySignIn(attempt: { account: string; address: string; via: string }): Promise<void> {
    return this.signIns.assertMayTry(attempt);
  }

  private async startSession(
    actor: Actor,
    method: SignInMethod,
    tokenId: string | null,
    channel: 'api' | 'web',
  ): Promise<NewSession> {
    requestContext.setActor(actor);
    const sessionSecret = newSecret('shs');
    const expiresAt = new Date(Date.now() + this.config.signIn.sessionHours * 3600_000);
    const id = randomUUID();
    await this.repository.insertSession({
      id,
      userId: actor.userId!,
      tokenId,
      method,
      sessionHash: digestSecret(sessionSecret),
      expiresAt,
    });
    await this.audit.record({
      action: 'session.login',
      targetType: 'web_session',
      targetId: id,
      after: {
        expiresAt: expiresAt.toISOString(),
        via: channel,
        method,
        ...(tokenId ? { credential: { type: 'api_token', id: tokenId } } : {}),
      },
    });
    return { sessionSecret, actor, expiresAt };
  }

  async logout(sessionSecret: string | undefined): Promise<void> {
    if (!sessionSecret) return;
    const session = await this.repository.deleteSession(digestSecret(sessionSecret));
    if (session) await this.audit.record({ action: 'session.logout', targetType: 'web_session', targetId: session.id });
  }
}
