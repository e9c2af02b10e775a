import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { notFound } from '../common/common.errors.js';
import type { Actor } from '../common/request-context.js';
import type { Locale, ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { ResponsesService } from '../surveys/responses.service.js';
import { SurveyReportsService } from '../surveys/survey-reports.service.js';
import { SurveysService } from '../surveys/surveys.service.js';
import { RemindersService } from '../reminders/reminders.service.js';
import { localPath, pageContext } from './layout.js';
import { messagesFor, pickLocale } from './messages.js';
import { field, type FormBody } from './response-forms.js';
import { renderSurveyResults } from './survey-results.page.js';
import { renderSurveyStatus, type SurveyStatusState } from './survey-status.page.js';
import { checkId, doneOf } from './route-params.js';
import { WebErrorFilter } from './web-error.filter.js';
import { WebSessions } from './web-session.js';

/** The board's survey pages: each survey's status, its results as CSV, and returning a response for correction. */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller('surveys')
export class WebSurveysController {
  constructor(
    private readonly sessions: WebSessions,
    private readonly surveys: SurveysService,
    private readonly reports: SurveyReportsService,
    private readonly responses: ResponsesService,
    private readonly reminders: RemindersService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  private locale(lang: unknown): Locale {
    return pickLocale(lang, this.config.locale);
  }

  @Get(':id')
  async status(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('lang') lang?: string,
    @Query('done') done?: string,
    @Query('reminded') reminded?: string,
  ): Promise<void> {
    const locale = this.locale(lang);
    const actor = await this.sessions.require(request, ['board_admin']);
    const counts =
      typeof reminded === 'string' && /^\d{1,6}-\d{1,6}-\d{1,6}$/.test(reminded)
        ? reminded.split('-').map(Number)
        : null;
    await this.sendStatus(response, 200, locale, actor, checkId(id), {
      done: doneOf(done),
      reminded: counts ? { sent: counts[0], withoutAddress: counts[1], failed: counts[2] } : undefined,
    });
  }

  /** Every question's results across schools: a chart and a table each, and the downloads. */
  @Get(':id/results')
  async results(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = this.locale(lang);
    const actor = await this.sessions.require(request, ['board_admin']);
    const data = await this.reports.results(checkId(id));
    response.type('html').send(renderSurveyResults(pageContext(locale, actor, `/surveys/${id}/results`), data));
  }

  /** The results CSV for a signed-in board session (the API's CSV wants a bearer token). */
  @Get(':id/results.csv')
  async resultsCsv(@Req() request: Request, @Res() response: Response, @Param('id') id: string): Promise<void> {
    await this.sessions.require(request, ['board_admin']);
    // ?codes=1: the machine-readable file (codes in headers and values) beside the one for people.
    const codes = request.query.codes === '1';
    const csv = await this.reports.resultsCsv(checkId(id), {
      codes,
      locale: pickLocale(request.query.lang, this.config.locale),
    });
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="survey-${id}${codes ? '-codes' : ''}.csv"`);
    response.send(csv);
  }

  /** The board's "remind" button: a mail to each school that has not submitted, then the status page says how many. */
  @Post(':id/remind')
  async remind(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = this.locale(lang);
    const actor = await this.sessions.require(request, ['board_admin']);
    const { survey } = await this.surveys.get(checkId(id));
    if (survey.status !== 'issued' || !this.reminders.mailConfigured)
      return this.sendStatus(response, 409, locale, actor, id, {});
    const origin = this.config.publicOrigin ?? `${request.protocol}://${request.host}`;
    const round = await this.reminders.remindNow(survey, actor.userId, origin);
    // Post, then redirect: reloading the page that says how many were reminded does not remind them again.
    const reminded = [round.sent, round.withoutAddress, round.failed].map((list) => list.length).join('-');
    response.redirect(303, localPath(`/surveys/${id}`, locale, { reminded }, 'reminders-h'));
  }

  @Post(':id/responses/:responseId/return')
  async returnForCorrection(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('responseId') responseId: string,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = this.locale(lang);
    const actor = await this.sessions.require(request, ['board_admin']);
    checkId(id);
    checkId(responseId);
    const reason = field(body, 'reason').trim();
    if (!reason)
      return this.sendStatus(response, 400, locale, actor, id, {
        problem: { responseId, message: messagesFor(locale).invalid.returnReason },
      });
    try {
      const current = await this.responses.view(actor, responseId);
      if (current.survey.id !== id) throw notFound('survey response', responseId);
      const view = await this.responses.returnForCorrection(actor, responseId, reason);
      response.redirect(303, localPath(`/surveys/${id}`, locale, { done: 'return' }, `school-${view.schoolCode}`));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'SURVEY_RESPONSE_NOT_SUBMITTED') throw error;
      await this.sendStatus(response, 409, locale, actor, id, { notSubmitted: true });
    }
  }

  private async sendStatus(
    response: Response,
    httpStatus: number,
    locale: Locale,
    actor: Actor,
    id: string,
    state: SurveyStatusState,
  ): Promise<void> {
    const { survey } = await this.surveys.get(id);
    const [status, burden] = [await this.reports.status(id), await this.reports.burden(id)];
    const reminders = {
      history: await this.reminders.history(id),
      mailConfigured: this.reminders.mailConfigured,
      daysBefore: this.config.mail.remindDaysBefore,
    };
    response
      .status(httpStatus)
      .type('html')
      .send(
        renderSurveyStatus(
          pageContext(locale, actor, `/surveys/${id}`),
          { survey, ...status, burden, reminders },
          state,
        ),
      );
  }
}
