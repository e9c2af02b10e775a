import { Body, Controller, Get, Header, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthService, SESSION_COOKIE } from '../auth/auth.service.js';
import { Public } from '../auth/decorators.js';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/domain-error.js';
import { html, page } from './html.js';
import { messagesFor, pickLocale, type Messages } from './messages.js';

function sessionOf(request: Request): string | undefined {
  return (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
}

/** The server-rendered web pages: Japanese by default, `?lang=en` for English. */
@ApiExcludeController()
@Public()
@Controller()
export class WebController {
  constructor(
    private readonly auth: AuthService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  @Get()
  async root(@Req() request: Request, @Res() response: Response, @Query('lang') lang?: string): Promise<void> {
    const actor = await this.actorOf(request);
    response.redirect(303, `${actor ? '/home' : '/login'}${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`);
  }

  @Get('login')
  @Header('Content-Type', 'text/html; charset=utf-8')
  loginPage(@Query('lang') lang?: string): string {
    return this.renderLogin(pickLocale(lang, this.config.locale), false);
  }

  @Post('login')
  @HttpCode(303)
  async login(@Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response, @Query('lang') lang?: string): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    try {
      const session = await this.auth.login(typeof body.token === 'string' ? body.token.trim() : '');
      setSessionCookie(request, response, session.sessionSecret, session.expiresAt);
      response.redirect(303, `/home?lang=${locale}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      response.status(401).type('html').send(this.renderLogin(locale, true));
    }
  }

  @Post('logout')
  async logout(@Req() request: Request, @Res() response: Response, @Query('lang') lang?: string): Promise<void> {
    await this.auth.logout(sessionOf(request));
    clearSessionCookie(response);
    response.redirect(303, `/login?lang=${pickLocale(lang, this.config.locale)}`);
  }

  @Get('home')
  async home(@Req() request: Request, @Res() response: Response, @Query('lang') lang?: string): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.actorOf(request);
    if (!actor) return response.redirect(303, `/login?lang=${locale}`);
    const m = messagesFor(locale);
    const body = html`${this.header(m, locale, true)}
<main>
  <h1>${m.tagline}</h1>
  <dl>
    <dt>${m.signedInAs}</dt><dd>${actor.name}</dd>
    <dt>${m.role}</dt><dd>${m.roles[actor.role]}</dd>
    ${actor.schoolCode ? html`<dt>${m.school}</dt><dd>${actor.schoolCode}</dd>` : ''}
  </dl>
  <h2>${m.links}</h2>
  <ul>
    <li><a href="/api/docs">${m.apiDocs}</a></li>
    <li><a href="/api/schools">${m.schools}</a></li>
    <li><a href="/api/health">${m.health}</a></li>
  </ul>
</main>`;
    response.type('html').send(page(locale, `${m.appName} — ${actor.name}`, body));
  }

  private async actorOf(request: Request) {
    const secret = sessionOf(request);
    return secret ? this.auth.actorForSession(secret) : null;
  }

  private header(m: Messages, locale: string, signedIn: boolean) {
    const other = locale === 'ja' ? 'en' : 'ja';
    return html`<header><strong>${m.appName}</strong><span><a href="?lang=${other}">${m.switchLang}</a>
${signedIn ? html` · <form method="post" action="/logout?lang=${locale}" style="display:inline"><button style="margin:0;padding:.2rem .6rem">${m.logout}</button></form>` : ''}</span></header>`;
  }

  private renderLogin(locale: 'ja' | 'en', failed: boolean): string {
    const m = messagesFor(locale);
    const body = html`${this.header(m, locale, false)}
<main>
  <h1>${m.loginTitle}</h1>
  ${failed ? html`<p class="error" role="alert">${m.loginFailed}</p>` : ''}
  <form method="post" action="/login?lang=${locale}">
    <label for="token">${m.tokenLabel}</label>
    <input type="password" id="token" name="token" autocomplete="off" required>
    <p class="help">${m.tokenHelp}</p>
    <button type="submit">${m.loginButton}</button>
  </form>
</main>`;
    return page(locale, `${m.appName} — ${m.loginTitle}`, body);
  }
}
