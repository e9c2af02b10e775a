import { Body, Controller, Get, Header, HttpCode, Inject, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthService, type NewSession } from '../auth/auth.service.js';
import { OidcSignIn, OidcSignInFailure } from '../auth/oidc-sign-in.js';
import { Public } from '../auth/decorators.js';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie.js';
import type { Locale, ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { clientAddress } from '../common/client-address.js';
import { DomainError } from '../common/domain-error.js';
import { setRetryAfter } from '../common/error.filter.js';
import { html } from './html.js';
import { localPath, pageContext, renderPage } from './layout.js';
import { pickLocale } from './messages.js';
import { safeNext } from './route-params.js';
import { WebErrorFilter } from './web-error.filter.js';
import { cohortMessagesFor } from './cohort-messages.js';
import { boardMessagesFor } from './board-messages.js';
import { signInMessagesFor, type SignInProblem } from './sign-in-messages.js';
import { sessionSecretOf, WebSessions } from './web-session.js';

/** The cookie that binds the identity provider's answer to the browser that went there (its `state`). */
const OIDC_STATE_COOKIE = 'shirube_oidc_state';
const OIDC_PATH = '/login/oidc';

/** The server-rendered web pages: Japanese by default, `?lang=en` for English. */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller()
export class WebController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: WebSessions,
    private readonly oidc: OidcSignIn,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  @Get()
  async root(@Req() request: Request, @Res() response: Response, @Query('lang') lang?: string): Promise<void> {
    const actor = await this.sessions.current(request);
    response.redirect(303, `${actor ? '/home' : '/login'}${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`);
  }

  @Get('login')
  @Header('Content-Type', 'text/html; charset=utf-8')
  loginPage(@Query('lang') lang?: string, @Query('next') next?: string): string {
    return this.renderLogin(pickLocale(lang, this.config.locale), null, safeNext(next));
  }

  /** Exchanges the API token for a session cookie, then goes to the page that asked for sign-in (or home). */
  @Post('login')
  @HttpCode(303)
  async login(
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
    @Query('lang') lang?: string,
    @Query('next') next?: string,
  ): Promise<void> {
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    await this.signIn(request, response, lang, next, 'failed', () =>
      this.auth.login(token, 'web', clientAddress(request)),
    );
  }

  /** A local password (argon2id): the user's name or e-mail address and the password. */
  @Post('login/password')
  @HttpCode(303)
  async loginWithPassword(
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
    @Query('lang') lang?: string,
    @Query('next') next?: string,
  ): Promise<void> {
    const login = typeof body.login === 'string' ? body.login : '';
    const password = typeof body.password === 'string' ? body.password : '';
    await this.signIn(request, response, lang, next, 'password_failed', () =>
      this.auth.loginWithPassword(login, password, clientAddress(request)),
    );
  }

  /** Sends the browser to the organisation's identity provider (a link, not a form: the CSP's form-action stays 'self'). */
  @Get('login/oidc')
  async beginOidc(
    @Req() request: Request,
    @Res() response: Response,
    @Query('lang') lang?: string,
    @Query('next') next?: string,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    if (!this.oidc.enabled) return response.redirect(303, localPath('/login', locale));
    try {
      const { url, state } = await this.oidc.begin(
        `${this.ownOrigin(request)}${OIDC_PATH}/callback`,
        safeNext(next) ?? `/home?lang=${locale}`,
      );
      response.cookie(OIDC_STATE_COOKIE, state, {
        httpOnly: true,
        sameSite: 'lax',
        secure: request.secure,
        maxAge: 10 * 60_000,
        path: OIDC_PATH,
      });
      response.redirect(303, url);
    } catch (error) {
      if (!(error instanceof OidcSignInFailure)) throw error;
      response
        .status(503)
        .type('html')
        .send(this.renderLogin(locale, 'idp_unavailable', safeNext(next)));
    }
  }

  /** Where the identity provider sends the browser back: the code is exchanged (PKCE), the account's user signed in. */
  @Get('login/oidc/callback')
  async finishOidc(@Req() request: Request, @Res() response: Response): Promise<void> {
    const stateCookie = (request.cookies as Record<string, string> | undefined)?.[OIDC_STATE_COOKIE];
    response.clearCookie(OIDC_STATE_COOKIE, { path: OIDC_PATH });
    let next: string | undefined;
    await this.signIn(
      request,
      response,
      undefined,
      undefined,
      'idp_not_linked',
      async () => {
        const done = await this.oidc.finish(
          new URL(request.originalUrl, this.ownOrigin(request)),
          stateCookie,
          clientAddress(request),
        );
        next = done.next;
        return done.session;
      },
      () => next,
    );
  }

  /**
   * Runs one sign-in: on success sets the session cookie and goes on (to `next`, or home); a refused
   * credential (401), a throttled try (429) or a provider that failed (401/503) draws the login page again.
   */
  private async signIn(
    request: Request,
    response: Response,
    lang: string | undefined,
    next: string | undefined,
    refused: SignInProblem,
    attempt: () => Promise<NewSession>,
    nextAfter: () => string | undefined = () => undefined,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    try {
      const session = await attempt();
      setSessionCookie(request, response, session.sessionSecret, session.expiresAt);
      response.redirect(303, safeNext(nextAfter() ?? next) ?? `/home?lang=${locale}`);
    } catch (error) {
      const problem: SignInProblem | null =
        error instanceof OidcSignInFailure
          ? error.kind === 'unavailable'
            ? 'idp_unavailable'
            : error.kind === 'invalid'
              ? 'idp_invalid'
              : 'idp_not_linked'
          : error instanceof DomainError && error.code === 'RATE_LIMITED'
            ? 'throttled'
            : error instanceof DomainError && error.code === 'UNAUTHENTICATED'
              ? refused
              : null;
      if (!problem) throw error;
      setRetryAfter(response, error);
      const status = problem === 'throttled' ? 429 : problem === 'idp_unavailable' ? 503 : 401;
      response
        .status(status)
        .type('html')
        .send(this.renderLogin(locale, problem, safeNext(next)));
    }
  }

  /** The origin the browser reached Shirube at: the configured public origin, else the request's scheme and Host. */
  private ownOrigin(request: Request): string {
    return this.config.publicOrigin ?? `${request.protocol}://${request.host}`;
  }

  @Post('logout')
  async logout(@Req() request: Request, @Res() response: Response, @Query('lang') lang?: string): Promise<void> {
    await this.auth.logout(sessionSecretOf(request));
    clearSessionCookie(response);
    response.redirect(303, `/login?lang=${pickLocale(lang, this.config.locale)}`);
  }

  @Get('home')
  async home(@Req() request: Request, @Res() response: Response, @Query('lang') lang?: string): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.current(request);
    if (!actor) return response.redirect(303, `/login?lang=${locale}`);
    const ctx = pageContext(locale, actor, '/home');
    const { m } = ctx;
    const content = html`<h1>${m.tagline}</h1>
      <dl>
        <dt>${m.signedInAs}</dt>
        <dd>${actor.name}</dd>
        <dt>${m.role}</dt>
        <dd>${m.roles[actor.role]}</dd>
        ${
          actor.schoolCode
            ? html`<dt>${m.school}</dt>
                <dd>${actor.schoolCode}</dd>`
            : ''
        }
      </dl>
      <h2>${m.links}</h2>
      <ul>
        ${
          actor.role === 'board_admin'
            ? html`<li><a href="${localPath('/surveys', locale)}">${m.surveysNav}</a></li>
                <li><a href="${localPath('/users', locale)}">${boardMessagesFor(locale).usersNav}</a></li>`
            : ''
        }
        ${
          actor.role === 'board_admin' || actor.role === 'analyst'
            ? html`<li><a href="${localPath('/reports', locale)}">${m.reportsNav}</a></li>
                <li><a href="${localPath('/cohorts', locale)}">${cohortMessagesFor(locale).nav}</a></li>`
            : ''
        }
        ${actor.role === 'school' ? html`<li><a href="${localPath('/responses', locale)}">${m.responsesNav}</a></li>` : ''}
      </ul>`;
    response.type('html').send(renderPage(ctx, actor.name, content));
  }

  private renderLogin(locale: Locale, problem: SignInProblem | null, next: string | undefined): string {
    const ctx = pageContext(locale, null, '/login');
    const { m } = ctx;
    const s = signInMessagesFor(locale);
    const query: Record<string, string> = next ? { next } : {};
    const problemText =
      problem === 'failed'
        ? m.loginFailed
        : problem === 'throttled'
          ? m.loginThrottled
          : problem && s.problems[problem];
    const content = html`<h1>${m.loginTitle}</h1>
      ${problemText ? html`<p class="error" role="alert">${problemText}</p>` : ''}
      ${
        this.oidc.enabled
          ? html`<p>
                <a class="button" id="sign-in-idp" href="${localPath(OIDC_PATH, locale, query)}"
                  >${s.withIdp(this.oidc.displayName)}</a
                >
              </p>
              <p class="help">${s.idpHelp}</p>`
          : ''
      }
      <h2>${s.passwordTitle}</h2>
      <form method="post" action="${localPath('/login/password', locale, query)}">
        <label for="login">${s.loginName}</label>
        <input type="text" id="login" name="login" autocomplete="username" required />
        <label for="password">${s.password}</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required />
        <button id="password-submit">${m.loginButton}</button>
      </form>
      <h2>${s.tokenTitle}</h2>
      <form method="post" action="${localPath('/login', locale, query)}">
        <label for="token">${m.tokenLabel}</label>
        <input type="password" id="token" name="token" autocomplete="off" required aria-describedby="token-help" />
        <p class="help" id="token-help">${m.tokenHelp}</p>
        <button type="submit" id="token-submit">${m.loginButton}</button>
      </form>`;
    return renderPage(ctx, m.loginTitle, content);
  }
}
