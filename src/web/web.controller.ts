import { Body, Controller, Get, Header, HttpCode, Inject, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthService } from '../auth/auth.service.js';
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
import { sessionSecretOf, WebSessions } from './web-session.js';

/** The server-rendered web pages: Japanese by default, `?lang=en` for English. */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller()
export class WebController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: WebSessions,
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
    const locale = pickLocale(lang, this.config.locale);
    try {
      const token = typeof body.token === 'string' ? body.token.trim() : '';
      const session = await this.auth.login(token, 'web', clientAddress(request));
      setSessionCookie(request, response, session.sessionSecret, session.expiresAt);
      response.redirect(303, safeNext(next) ?? `/home?lang=${locale}`);
    } catch (error) {
      if (!(error instanceof DomainError) || (error.code !== 'UNAUTHENTICATED' && error.code !== 'RATE_LIMITED'))
        throw error;
      const throttled = error.code === 'RATE_LIMITED';
      setRetryAfter(response, error);
      response
        .status(throttled ? 429 : 401)
        .type('html')
        .send(this.renderLogin(locale, throttled ? 'throttled' : 'failed', safeNext(next)));
    }
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
        ${actor.role === 'board_admin' ? html`<li><a href="${localPath('/surveys', locale)}">${m.surveysNav}</a></li>` : ''}
        ${actor.role === 'school' ? html`<li><a href="${localPath('/responses', locale)}">${m.responsesNav}</a></li>` : ''}
        <li><a href="/api/docs">${m.apiDocs}</a></li>
        <li><a href="/api/schools">${m.schools}</a></li>
        <li><a href="/api/health">${m.health}</a></li>
      </ul>`;
    response.type('html').send(renderPage(ctx, actor.name, content));
  }

  private renderLogin(locale: Locale, problem: 'failed' | 'throttled' | null, next: string | undefined): string {
    const ctx = pageContext(locale, null, '/login');
    const { m } = ctx;
    const content = html`<h1>${m.loginTitle}</h1>
      ${problem ? html`<p class="error" role="alert">${problem === 'failed' ? m.loginFailed : m.loginThrottled}</p>` : ''}
      <form method="post" action="${localPath('/login', locale, next ? { next } : {})}">
        <label for="token">${m.tokenLabel}</label>
        <input type="password" id="token" name="token" autocomplete="off" required aria-describedby="token-help" />
        <p class="help" id="token-help">${m.tokenHelp}</p>
        <button type="submit">${m.loginButton}</button>
      </form>`;
    return renderPage(ctx, m.loginTitle, content);
  }
}
