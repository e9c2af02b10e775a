import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { notFound } from '../common/common.errors.js';
import type { Actor } from '../common/request-context.js';
import type { Locale, ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { EvidenceService } from '../surveys/evidence.service.js';
import type { AnswerView, ResponseView } from '../surveys/response-view.js';
import { ResponsesService } from '../surveys/responses.service.js';
import { SurveyReportsService } from '../surveys/survey-reports.service.js';
import { SurveysService } from '../surveys/surveys.service.js';
import { localPath, pageContext } from './layout.js';
import { messagesFor, pickLocale, type Messages } from './messages.js';
import { field, formVersion, parseAnswerForm, type FormBody, type Problem } from './response-forms.js';
import { renderEvidencePage } from './evidence.page.js';
import { renderResponsePage, type DoneKey, type FormProblem, type ResponsePageState } from './response.page.js';
import { checkId, doneOf } from './route-params.js';
import { pageFromQuery } from './pager.js';
import { renderMyResponses } from './survey-lists.page.js';
import { WebErrorFilter } from './web-error.filter.js';
import { WebSessions } from './web-session.js';

/** A form the page itself refuses (before any service): the problem names the message. */
class FormRefusal extends Error {
  constructor(readonly problem: Problem) {
    super(problem);
  }
}

/** How a refused write reads next to its form: the page's own words where it knows the field, else the service's message. */
function problemMessage(m: Messages, error: DomainError | FormRefusal): string {
  if (error instanceof FormRefusal) return m.invalid[error.problem];
  if ((error.details?.fields ?? []).some((f) => f.field === 'reason')) return m.invalid.reason;
  return error.message;
}

/** How the page shows a refused write, decided by the error's code; undefined: the error page's business. */
function refusalOf(error: unknown): 'problem' | 'stale' | 'submitted' | 'blocked' | undefined {
  if (error instanceof FormRefusal) return 'problem';
  if (!(error instanceof DomainError)) return undefined;
  switch (error.code) {
    case 'VALIDATION_FAILED':
      return 'problem';
    case 'SURVEY_RESPONSE_STALE':
      return 'stale';
    case 'SURVEY_RESPONSE_SUBMITTED':
      return 'submitted';
    case 'SURVEY_SUBMISSION_BLOCKED':
      return 'blocked';
    default:
      return undefined;
  }
}

/**
 * What a stale write shows: for one question's form, a message beside it naming the figure now, with
 * what was typed kept (the form carries the new version, so saving again goes through); for データのとおり確認,
 * the questions that moved; otherwise a plain "reload".
 */
function staleState(
  view: ResponseView,
  error: unknown,
  problemAt: Omit<FormProblem, 'message'> | undefined,
): ResponsePageState {
  const changed = ((error as DomainError).details?.fields ?? [])
    .map((f) => /^answers\.(.+)$/.exec(f.field)?.[1])
    .filter((code): code is string => code !== undefined);
  if (!problemAt || problemAt.form === 'confirm') return { conflict: true, changed };
  return { conflict: true, problem: { ...problemAt, message: '', stale: true } };
}

/**
 * The school's side of a survey as pages: its list, the response page, and the plain HTML forms that
 * confirm, change (with a reason), answer, explain and submit. Every form carries the version it read;
 * success redirects back to the page (POST → 303 → GET); a refusal re-renders the page with the
 * message beside the form (400), or asks to reload after a stale write (409).
 */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller('responses')
export class WebResponsesController {
  constructor(
    private readonly sessions: WebSessions,
    private readonly responses: ResponsesService,
    private readonly surveys: SurveysService,
    private readonly reports: SurveyReportsService,
    private readonly metrics: MetricsService,
    private readonly evidenceService: EvidenceService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  private locale(lang: unknown): Locale {
    return pickLocale(lang, this.config.locale);
  }

  @Get()
  async list(
    @Req() request: Request,
    @Res() response: Response,
    @Query('lang') lang?: string,
    @Query('offset') offset?: string,
  ): Promise<void> {
    const locale = this.locale(lang);
    const actor = await this.sessions.require(request, ['school', 'board_admin']);
    if (actor.role === 'board_admin') return response.redirect(303, localPath('/surveys', locale));
    const mine = await this.responses.mine(actor, pageFromQuery(offset));
    const surveys = new Map((await this.surveys.byIds(mine.items.map((r) => r.surveyId))).map((s) => [s.id, s]));
    const rows = [];
    for (const r of mine.items) {
      const survey = surveys.get(r.surveyId);
      if (!survey) continue;
      // The status service owns the overdue rule (deadlines are dates in Japan).
      const status =
        (await this.reports.status(survey.id)).schools.find((s) => s.responseId === r.id)?.status ?? r.status;
      rows.push({ responseId: r.id, survey, status });
    }
    response.type('html').send(renderMyResponses(pageContext(locale, actor, '/responses'), { ...mine, items: rows }));
  }

  @Get(':id')
  async show(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('lang') lang?: string,
    @Query('done') done?: string,
  ): Promise<void> {
    const locale = this.locale(lang);
    const actor = await this.sessions.require(request, ['school', 'board_admin']);
    const view = await this.responses.view(actor, checkId(id));
    this.send(response, 200, locale, actor, view, { done: doneOf(done) });
  }

  /** データのとおり確認: every figure still as computed, in one post; the form carries each answer's version, to say what moved if stale. */
  @Post(':id/confirm-all')
  async confirmAll(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const versions = Object.fromEntries(
      Object.keys(body ?? {})
        .filter((key) => /^v\.[0-9a-f-]{36}$/i.test(key))
        .map((key) => [key.slice(2), formVersion({ version: body[key] })]),
    );
    await this.write(request, response, id, lang, 'confirmAll', undefined, (actor) =>
      this.responses.confirmAll(actor, id, formVersion(body), versions),
    );
  }

  @Get(':id/answers/:questionId/evidence')
  async evidence(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('questionId') questionId: string,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = this.locale(lang);
    const actor = await this.sessions.require(request, ['school', 'board_admin']);
    const view = await this.responses.view(actor, checkId(id));
    const answer = view.answers.find((a) => a.questionId === checkId(questionId));
    if (!answer) throw notFound('question', questionId);
    const evidence = await this.evidenceService.evidence(actor, id, questionId);
    response
      .type('html')
      .send(
        renderEvidencePage(
          pageContext(locale, actor, `/responses/${id}/answers/${questionId}/evidence`),
          view,
          answer,
          evidence,
          (metricId) => this.metricTitle(metricId, locale),
        ),
      );
  }

  @Post(':id/answers/:questionId/confirm')
  async confirm(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('questionId') questionId: string,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    await this.write(request, response, id, lang, 'confirm', { questionId, form: 'confirm' }, (actor) =>
      this.responses.confirm(actor, id, checkId(questionId), formVersion(body)),
    );
  }

  /** Answer a manual question, or change a pre-filled one (the reason is required then). */
  @Post(':id/answers/:questionId')
  async change(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('questionId') questionId: string,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    await this.write(
      request,
      response,
      id,
      lang,
      'change',
      { questionId, form: 'value', draft: body },
      async (actor) => {
        const value = parseAnswerForm(await this.answerOf(actor, id, checkId(questionId)), body);
        if (!value.ok) throw new FormRefusal(value.problem);
        return this.responses.change(actor, id, questionId, {
          value: value.value,
          reason: field(body, 'reason'),
          version: formVersion(body),
        });
      },
    );
  }

  @Post(':id/answers/:questionId/explanations')
  async explain(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('questionId') questionId: string,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const rule = field(body, 'rule');
    await this.write(
      request,
      response,
      id,
      lang,
      'explain',
      { questionId, form: 'explain', rule, draft: body },
      (actor) => {
        const text = field(body, 'text').trim();
        if (!text) throw new FormRefusal('explanation');
        return this.responses.explain(actor, id, checkId(questionId), { rule, text, version: formVersion(body) });
      },
    );
  }

  @Post(':id/submit')
  async submit(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    await this.write(request, response, id, lang, 'submit', undefined, (actor) =>
      this.responses.submit(actor, id, formVersion(body)),
    );
  }

  private async answerOf(actor: Actor, responseId: string, questionId: string): Promise<AnswerView> {
    const answer = (await this.responses.view(actor, responseId)).answers.find((a) => a.questionId === questionId);
    if (!answer) throw notFound('question', questionId);
    return answer;
  }

  /**
   * One school write: run it as the signed-in school user; on success 303 back to the page (at the
   * question); on a stale version 409 with the page asking to reload; on a response submitted meanwhile
   * 409 saying so; on a blocked submission 422 with the blockers; on a refused value 400 with the
   * message beside the form and what was typed still there.
   */
  private async write(
    request: Request,
    response: Response,
    id: string,
    lang: string | undefined,
    done: DoneKey,
    problemAt: Omit<FormProblem, 'message'> | undefined,
    work: (actor: Actor) => Promise<ResponseView>,
  ): Promise<void> {
    const locale = this.locale(lang);
    const actor = await this.sessions.require(request, ['school']);
    checkId(id);
    try {
      const view = await work(actor);
      const code = view.answers.find((a) => a.questionId === problemAt?.questionId)?.code;
      const at = code ? `q-${code}` : done === 'confirmAll' ? 'round' : undefined;
      response.redirect(303, localPath(`/responses/${id}`, locale, { done }, at));
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      const view = await this.responses.view(actor, id);
      if (refusal === 'stale') return this.send(response, 409, locale, actor, view, staleState(view, error, problemAt));
      if (refusal === 'submitted') return this.send(response, 409, locale, actor, view, { submitted: true });
      if (refusal === 'blocked') return this.send(response, 422, locale, actor, view, { cannotSubmit: true });
      if (!problemAt) return this.send(response, 400, locale, actor, view, { cannotSubmit: true });
      this.send(response, 400, locale, actor, view, {
        problem: { ...problemAt, message: problemMessage(messagesFor(locale), error as DomainError | FormRefusal) },
      });
    }
  }

  private send(
    response: Response,
    status: number,
    locale: Locale,
    actor: Actor,
    view: ResponseView,
    state: ResponsePageState,
  ): void {
    response
      .status(status)
      .type('html')
      .send(
        renderResponsePage(
          pageContext(locale, actor, `/responses/${view.id}`),
          view,
          (metricId) => this.metricTitle(metricId, locale),
          state,
        ),
      );
  }

  private metricTitle(metricId: string, locale: Locale): string | undefined {
    try {
      return this.metrics.get(metricId).title[locale];
    } catch {
      return undefined; // a metric since removed from the catalogue: the id still says where the figure came from
    }
  }
}
