import { codeOf } from '../common/error-codes.js';
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators.js';
import { AuthRepository } from '../auth/auth.repository.js';
import { ROLES, type Role } from '../auth/entities/user.entity.js';
import { UsersService } from '../auth/users.service.js';
import { notFound } from '../common/common.errors.js';
import { DomainError } from '../common/domain-error.js';
import type { Actor } from '../common/request-context.js';
import type { Locale, ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { SchoolsService } from '../schools/schools.service.js';
import { errorText } from './error-messages.js';
import { localPath, pageContext } from './layout.js';
import { pickLocale } from './messages.js';
import { pageFromQuery } from './pager.js';
import { field, type FormBody } from './response-forms.js';
import { checkId } from './route-params.js';
import { renderUser, renderUsers, type FormProblem, type SchoolChoice, type UsersDone } from './users.page.js';
import { WebErrorFilter } from './web-error.filter.js';
import { WebSessions } from './web-session.js';

const DONE: UsersDone[] = ['created', 'profile', 'password', 'token', 'revoke', 'sessions', 'disable'];
/** Refusals a form of these pages shows beside the form (anything else is an error page). */
const FORM_CODES = new Set(['VALIDATION_FAILED', 'USER_NAME_TAKEN', 'USER_DISABLED', 'USER_DISABLE_SELF']);

/**
 * The board's users page: create users (role, school, e-mail, display name), link an identity-provider
 * account, set a password, issue and revoke API tokens, end sessions, disable a user. Forms only: nobody
 * types JSON, and no page names an API path.
 */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller('users')
export class WebUsersController {
  constructor(
    private readonly sessions: WebSessions,
    private readonly users: UsersService,
    private readonly authRepository: AuthRepository,
    private readonly schools: SchoolsService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  @Get()
  async list(
    @Req() request: Request,
    @Res() response: Response,
    @Query('lang') lang?: string,
    @Query('offset') offset?: string,
  ): Promise<void> {
    const actor = await this.sessions.require(request, ['board_admin']);
    await this.sendList(response, 200, pickLocale(lang, this.config.locale), actor, offset);
  }

  @Post()
  async create(
    @Req() request: Request,
    @Res() response: Response,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, ['board_admin']);
    const draft = {
      name: field(body, 'name').trim(),
      displayName: field(body, 'displayName'),
      role: field(body, 'role'),
      schoolCode: field(body, 'schoolCode').trim(),
      email: field(body, 'email'),
      idpAccount: field(body, 'idpAccount'),
    };
    const password = field(body, 'password');
    try {
      if (!draft.name) throw new FormRefusal('VALIDATION_FAILED', ['name']);
      if (!(ROLES as readonly string[]).includes(draft.role)) throw new FormRefusal('VALIDATION_FAILED', ['role']);
      const role = draft.role as Role;
      const profile = { email: draft.email, displayName: draft.displayName, idpAccount: draft.idpAccount };
      // Everything is checked before the user exists: a refusal leaves no half-made user behind.
      await this.users.checkProfile(profile);
      if (password) this.users.checkPassword(password);
      const created = await this.users.createUser({
        name: draft.name,
        role,
        schoolCode: role === 'school' ? draft.schoolCode || undefined : undefined,
        tokenLabel: 'initial',
      });
      await this.users.updateProfile(created.user.id, profile);
      if (password) await this.users.setPassword(created.user.id, password);
      await this.sendUser(response, 201, locale, actor, created.user.id, {
        done: 'created',
        secret: created.token.secret,
      });
    } catch (error) {
      const problem = this.problemOf(error, locale);
      if (!problem) throw error;
      await this.sendList(response, 400, locale, actor, undefined, { problem, draft });
    }
  }

  @Get(':id')
  async show(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('lang') lang?: string,
    @Query('done') done?: string,
  ): Promise<void> {
    const actor = await this.sessions.require(request, ['board_admin']);
    await this.sendUser(response, 200, pickLocale(lang, this.config.locale), actor, checkId(id), {
      done: DONE.find((key) => key === done),
    });
  }

  @Post(':id/profile')
  async saveProfile(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    await this.act(request, response, id, lang, 'profile', () =>
      this.users.updateProfile(id, {
        email: field(body, 'email'),
        displayName: field(body, 'displayName'),
        idpAccount: field(body, 'idpAccount'),
      }),
    );
  }

  @Post(':id/password')
  async setPassword(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    await this.act(request, response, id, lang, 'password', () => this.users.setPassword(id, field(body, 'password')));
  }

  /** Issues a token and shows its secret this once (no redirect: the secret must not stand in a URL). */
  @Post(':id/tokens')
  async issueToken(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, ['board_admin']);
    checkId(id);
    const label = field(body, 'label').trim();
    try {
      if (!label || label.length > 100) throw new FormRefusal('VALIDATION_FAILED', ['label']);
      const issued = await this.users.issueToken(id, label);
      await this.sendUser(response, 201, locale, actor, id, { done: 'token', secret: issued.secret });
    } catch (error) {
      const problem = this.problemOf(error, locale);
      if (!problem) throw error;
      await this.sendUser(response, 400, locale, actor, id, { problem });
    }
  }

  @Post(':id/tokens/:tokenId/revoke')
  async revokeToken(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('tokenId') tokenId: string,
    @Query('lang') lang?: string,
  ): Promise<void> {
    await this.act(request, response, id, lang, 'revoke', async () => {
      const token = await this.authRepository.findToken(checkId(tokenId));
      if (!token || token.userId !== id) throw notFound('token', tokenId);
      return this.users.revokeToken(tokenId);
    });
  }

  @Post(':id/sessions/end')
  async endSessions(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('lang') lang?: string,
  ): Promise<void> {
    await this.act(request, response, id, lang, 'sessions', () => this.users.endSessions(id));
  }

  @Post(':id/disable')
  async disable(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('lang') lang?: string,
  ): Promise<void> {
    await this.act(request, response, id, lang, 'disable', (actor) => this.users.disableUser(actor, id));
  }

  /** One change of a user: done → back to their page saying so; a refusal → their page with it beside the forms. */
  private async act(
    request: Request,
    response: Response,
    id: string,
    lang: string | undefined,
    done: UsersDone,
    change: (actor: Actor) => Promise<unknown>,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, ['board_admin']);
    checkId(id);
    try {
      await change(actor);
      response.redirect(303, localPath(`/users/${id}`, locale, { done }));
    } catch (error) {
      const problem = this.problemOf(error, locale);
      if (!problem) throw error;
      await this.sendUser(
        response,
        error instanceof DomainError && error.code !== 'VALIDATION_FAILED' ? 409 : 400,
        locale,
        actor,
        id,
        {
          problem,
        },
      );
    }
  }

  private problemOf(error: unknown, locale: Locale): FormProblem | null {
    if (error instanceof FormRefusal) return { message: errorText('VALIDATION_FAILED', locale), fields: error.fields };
    if (!(error instanceof DomainError) || !FORM_CODES.has(error.code)) return null;
    return {
      message: errorText(codeOf(error), locale),
      fields: (error.details?.fields ?? []).map((f) => f.field),
    };
  }

  private async schoolChoices(actor: Actor): Promise<SchoolChoice[]> {
    const page = await this.schools.list(actor, { limit: 1000, offset: 0 });
    return page.items.map((s) => ({ schoolCode: s.schoolCode, name: s.name }));
  }

  private async sendList(
    response: Response,
    status: number,
    locale: Locale,
    actor: Actor,
    offset: string | undefined,
    state: Parameters<typeof renderUsers>[2] = {},
  ): Promise<void> {
    const users = await this.users.listUserRecords(pageFromQuery(offset));
    const ctx = pageContext(locale, actor, '/users');
    const data = { users, schools: await this.schoolChoices(actor), matchClaim: this.matchClaim() };
    response
      .status(status)
      .type('html')
      .send(renderUsers(ctx, data, state));
  }

  private async sendUser(
    response: Response,
    status: number,
    locale: Locale,
    actor: Actor,
    id: string,
    state: Parameters<typeof renderUser>[2],
  ): Promise<void> {
    const user = await this.users.findUser(id);
    const tokens = await this.users.listTokens(id, { limit: 1000, offset: 0 });
    const schoolName = user.schoolCode
      ? ((await this.schoolChoices(actor)).find((s) => s.schoolCode === user.schoolCode)?.name ?? null)
      : null;
    const data = {
      user,
      tokens: tokens.items,
      sessions: await this.authRepository.countSessions(id),
      matchClaim: this.matchClaim(),
      schoolName,
    };
    response
      .status(status)
      .type('html')
      .send(renderUser(pageContext(locale, actor, `/users/${id}`), data, state));
  }

  private matchClaim(): string {
    return this.config.signIn.oidc?.matchClaim ?? 'email';
  }
}

/** A form field refused here, before any service saw it. */
class FormRefusal extends Error {
  constructor(
    readonly code: 'VALIDATION_FAILED',
    readonly fields: string[],
  ) {
    super(`invalid form: ${fields.join(', ')}`);
  }
}
