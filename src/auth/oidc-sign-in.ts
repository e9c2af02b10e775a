import { Inject, Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import type { OidcSettings, ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { AuthService, type NewSession } from './auth.service.js';

/** How long a browser may take at the identity provider between leaving and coming back. */
const PENDING_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

/** What the browser carried away to the identity provider, kept here until it comes back with `state`. */
interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
  next: string | undefined;
  startedAt: number;
}

/** Why a sign-in through the identity provider did not happen (the login page says which). */
export class OidcSignInFailure extends Error {
  constructor(readonly kind: 'unavailable' | 'invalid' | 'not_linked') {
    super(`sign-in through the identity provider failed: ${kind}`);
  }
}

/**
 * Sign-in with the organisation's accounts: OpenID Connect, authorization code with PKCE (S256), state
 * and nonce, through `openid-client`. The provider's metadata is discovered at the first sign-in (and again
 * after a failure), so Shirube starts while the provider is down. The value of the configured claim
 * (verified e-mail, or subject) names the account the board linked to a user.
 */
@Injectable()
export class OidcSignIn {
  private readonly logger = new Logger('OidcSignIn');
  private readonly settings: OidcSettings | undefined;
  private discovered: Promise<oidc.Configuration> | null = null;
  private readonly pending = new Map<string, PendingSignIn>();

  constructor(
    @Inject(SHIRUBE_CONFIG) config: ShirubeConfig,
    private readonly auth: AuthService,
  ) {
    this.settings = config.signIn.oidc;
  }

  get enabled(): boolean {
    return this.settings !== undefined;
  }

  get displayName(): string | undefined {
    return this.settings?.displayName;
  }

  /** The provider's authorization URL to send the browser to, and the state that binds its return to this browser. */
  async begin(redirectUri: string, next: string | undefined): Promise<{ url: string; state: string }> {
    const configuration = await this.configuration();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    this.prune(Date.now());
    this.pending.set(state, { codeVerifier, nonce, redirectUri, next, startedAt: Date.now() });
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: this.settings!.matchClaim === 'email' ? 'openid email profile' : 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * Completes the sign-in the provider sent the browser back from: `callbackUrl` is the URL it came back
   * to, `stateCookie` the state this browser left with. Throws OidcSignInFailure, or the auth service's
   * RATE_LIMITED / UNAUTHENTICATED.
   */
  async finish(
    callbackUrl: URL,
    stateCookie: string | undefined,
    address: string,
  ): Promise<{ session: NewSession; next: string | undefined }> {
    const state = callbackUrl.searchParams.get('state') ?? '';
    const pending = stateCookie && stateCookie === state ? this.pending.get(state) : undefined;
    this.pending.delete(state);
    const attempt = { account: `oidc-state:${state}`, address };
    await this.auth.assertMaySignIn({ ...attempt, via: 'oidc' });
    if (!pending || pending.startedAt + PENDING_MS < Date.now()) {
      await this.auth.refuseSignIn('oidc', 'IDP_RESPONSE_INVALID', attempt);
      throw new OidcSignInFailure('invalid');
    }
    const configuration = await this.configuration();
    // The provider's answer is checked against the URL registered with it, whatever Host the request named.
    const returned = new URL(pending.redirectUri);
    returned.search = callbackUrl.search;
    let account: string | null;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, returned, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      account = await this.accountOf(configuration, tokens);
    } catch (error) {
      if (error instanceof OidcSignInFailure) throw error;
      this.logger.warn(`the identity provider's answer was refused: ${(error as Error).message}`);
      await this.auth.refuseSignIn('oidc', 'IDP_RESPONSE_INVALID', attempt);
      throw new OidcSignInFailure('invalid');
    }
    if (!account) {
      await this.auth.refuseSignIn('oidc', 'IDP_RESPONSE_INVALID', attempt);
      throw new OidcSignInFailure('invalid');
    }
    return { session: await this.auth.loginWithIdp(account, address), next: pending.next };
  }

  /** The configured claim's value: from the ID token, else from the userinfo endpoint; an e-mail only when verified. */
  private async accountOf(
    configuration: oidc.Configuration,
    tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
  ): Promise<string | null> {
    const idToken = tokens.claims();
    if (!idToken) return null;
    if (this.settings!.matchClaim === 'sub') return idToken.sub;
    let claims: Record<string, unknown> = idToken;
    if (typeof claims.email !== 'string')
      claims = await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
    if (typeof claims.email !== 'string' || claims.email_verified === false) return null;
    return claims.email.toLowerCase();
  }

  private configuration(): Promise<oidc.Configuration> {
    const settings = this.settings;
    if (!settings) return Promise.reject(new OidcSignInFailure('unavailable'));
    this.discovered ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        oidc.ClientSecretBasic(settings.clientSecret),
        // Plain http is accepted for a provider on this machine's loopback only (config.ts checks it).
        new URL(settings.issuer).protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: Error) => {
        this.discovered = null;
        this.logger.warn(`the identity provider ${settings.issuer} does not answer: ${error.message}`);
        throw new OidcSignInFailure('unavailable');
      });
    return this.discovered;
  }

  private prune(now: number): void {
    for (const [state, pending] of this.pending)
      if (pending.startedAt + PENDING_MS < now || this.pending.size >= MAX_PENDING) this.pending.delete(state);
  }
}
