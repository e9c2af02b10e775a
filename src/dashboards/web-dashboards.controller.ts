import { Controller, Get, Inject, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators.js';
import { invalidField } from '../common/common.errors.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { isValidSchoolCode } from '../schools/school-code.js';
import { localPath, pageContext } from '../web/layout.js';
import { pickLocale } from '../web/messages.js';
import { WebErrorFilter } from '../web/web-error.filter.js';
import { WebSessions } from '../web/web-session.js';
import { renderDashboardPage } from './dashboards.pages.js';
import { DashboardsService, type DashboardQuery } from './dashboards.service.js';

function schoolParam(code: string): string {
  if (!isValidSchoolCode(code)) throw invalidField('schoolCode', `${code} is not a valid MEXT school code`);
  return code;
}

type PageQuery = Record<string, unknown>;
/** A query value given once and not empty; anything else counts as not given. */
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The dashboards' pages: a school's (管理職) and its classes' (担任). Server-rendered, no script. */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller('dashboard')
export class WebDashboardsController {
  constructor(
    private readonly sessions: WebSessions,
    private readonly dashboards: DashboardsService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  /** A school user to its school's page, a teacher to its classes'. */
  @Get()
  async home(@Req() request: Request, @Res() response: Response, @Query('lang') lang?: string): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, ['school', 'teacher']);
    const path = `/dashboard/schools/${actor.schoolCode}${actor.role === 'teacher' ? '/classes' : ''}`;
    response.redirect(303, localPath(path, locale));
  }

  /** The school's page (管理職). */
  @Get('schools/:schoolCode')
  async school(
    @Req() request: Request,
    @Res() response: Response,
    @Param('schoolCode') code: string,
    @Query() query: PageQuery,
  ): Promise<void> {
    await this.render(request, response, code, query, 'school');
  }

  /** The class page (担任: the homerooms bound to the teacher; a school user: a homeroom of its school). */
  @Get('schools/:schoolCode/classes')
  async classes(
    @Req() request: Request,
    @Res() response: Response,
    @Param('schoolCode') code: string,
    @Query() query: PageQuery,
  ): Promise<void> {
    await this.render(request, response, code, query, 'class');
  }

  private async render(
    request: Request,
    response: Response,
    code: string,
    query: PageQuery,
    scope: 'school' | 'class',
  ): Promise<void> {
    const locale = pickLocale(text(query.lang), this.config.locale);
    const actor = await this.sessions.require(request, scope === 'school' ? ['school'] : ['teacher', 'school']);
    const schoolCode = schoolParam(code);
    const asked: DashboardQuery = {
      asOf: text(query.asOf),
      minDays: text(query.minDays),
      homeroom: scope === 'class' ? text(query.homeroom) : undefined,
    };
    const view =
      scope === 'school'
        ? await this.dashboards.schoolView(actor, schoolCode, asked, locale)
        : await this.dashboards.classView(actor, schoolCode, asked, locale);
    const path = `/dashboard/schools/${schoolCode}${scope === 'class' ? '/classes' : ''}`;
    response.type('html').send(renderDashboardPage(pageContext(locale, actor, path), view));
  }
}
