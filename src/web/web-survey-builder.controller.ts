import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators.js';
import { notFound } from '../common/common.errors.js';
import { DomainError } from '../common/domain-error.js';
import type { Actor } from '../common/request-context.js';
import type { Locale, ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { schoolYearOf, SurveyDraftsService } from '../surveys/survey-drafts.service.js';
import { SurveyReportsService } from '../surveys/survey-reports.service.js';
import { SurveysService } from '../surveys/surveys.service.js';
import { localPath, pageContext } from './layout.js';
import { pickLocale } from './messages.js';
import { pageFromQuery } from './pager.js';
import { field, type FormBody } from './response-forms.js';
import { checkId } from './route-params.js';
import { renderCreateForms, renderDraft, type BuilderState } from './survey-builder.page.js';
import { surveyBuilderMessages, type BuilderDone } from './survey-builder-messages.js';
import { pageProblems } from './survey-definition-problems.js';
import { renderSurveyList } from './survey-lists.page.js';
import { questionOf, ruleOf, settingsOf, targetsOf } from './survey-question-form.js';
import { renderQuestion } from './survey-question.page.js';
import { WebErrorFilter } from './web-error.filter.js';
import { WebSessions } from './web-session.js';

const DONE: BuilderDone[] = ['created', 'settings', 'question', 'removed', 'rule'];
/** The refusals a builder form shows beside its fields (anything else is an error page). */
const FORM_CODES = new Set(['VALIDATION_FAILED', 'SURVEY_DEFINITION_INVALID', 'SURVEY_NO_TARGET_SCHOOL']);

type Refused = Required<Pick<BuilderState, 'problems'>> & { status: number };

/**
 * The board's survey builder as pages: the list of surveys with the forms that make a draft (from a
 * template, or a copy), a draft's settings and questions, each question's binding and checks, and issuing.
 * Plain forms, post then redirect; every change goes to the survey drafts service, whose refusals (the
 * API's rules) come back beside the fields in the page's language.
 */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller('surveys')
export class WebSurveyBuilderController {
  constructor(
    private readonly sessions: WebSessions,
    private readonly surveys: SurveysService,
    private readonly drafts: SurveyDraftsService,
    private readonly reports: SurveyReportsService,
    private readonly metrics: MetricsService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @Query('offset') offset?: string): Promise<void> {
    const { locale, actor } = await this.board(request);
    const page = await this.surveys.list(pageFromQuery(offset));
    const rows = [];
    for (const survey of page.items)
      rows.push({ survey, counts: survey.status === 'draft' ? null : (await this.reports.status(survey.id)).counts });
    const create = renderCreateForms(pageContext(locale, actor, '/surveys'), {
      templates: this.drafts.templates(),
      copySources: (await this.surveys.list({ limit: 100, offset: 0 })).items,
      defaultYear: schoolYearOf(new Date()),
    });
    response
      .type('html')
      .send(renderSurveyList(pageContext(locale, actor, '/surveys'), { ...page, items: rows }, create));
  }

  @Post('from-template')
  async fromTemplate(@Req() request: Request, @Res() response: Response, @Body() body: FormBody): Promise<void> {
    const { locale, actor } = await this.board(request);
    const year = Number(field(body, 'academicYear').normalize('NFKC').trim());
    const survey = await this.drafts.fromTemplate(field(body, 'template'), year, actor);
    response.redirect(303, localPath(`/surveys/${survey.id}/edit`, locale, { done: 'created' }));
  }

  @Post('copy')
  async copy(@Req() request: Request, @Res() response: Response, @Body() body: FormBody): Promise<void> {
    const { locale, actor } = await this.board(request);
    const [ja, en] = [surveyBuilderMessages('ja'), surveyBuilderMessages('en')];
    const survey = await this.drafts.copy(
      checkId(field(body, 'source')),
      (title) => ({ ja: ja.copyTitleOf(title.ja), en: en.copyTitleOf(title.en) }),
      actor,
    );
    response.redirect(303, localPath(`/surveys/${survey.id}/edit`, locale, { done: 'created' }));
  }

  @Get(':id/edit')
  async edit(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('done') done?: string,
  ): Promise<void> {
    const { locale, actor } = await this.board(request);
    const { survey } = await this.surveys.get(checkId(id));
    if (survey.status !== 'draft') return response.redirect(303, localPath(`/surveys/${id}`, locale));
    await this.sendDraft(response, 200, locale, actor, id, { done: DONE.find((d) => d === done) });
  }

  @Post(':id/settings')
  async saveSettings(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const { locale, actor } = await this.board(request);
    const { survey } = await this.drafts.draft(checkId(id));
    const all = (await this.drafts.schools()).map((s) => s.schoolCode);
    const current = await this.targetCodes(survey.targets);
    const settings = settingsOf(body, (ticked) => targetsOf(ticked, all, survey.targets, current));
    const refused = await this.attempt(locale, () => this.drafts.updateSettings(id, settings));
    if (!refused) return response.redirect(303, localPath(`/surveys/${id}/edit`, locale, { done: 'settings' }));
    await this.sendDraft(response, refused.status, locale, actor, id, { ...refused, form: 'settings', draft: body });
  }

  @Post(':id/questions')
  async addQuestion(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const { locale, actor } = await this.board(request);
    checkId(id);
    let added = '';
    const refused = await this.attempt(locale, async () => {
      const { code, text, type } = questionOf(body, () => []);
      added = await this.drafts.addQuestion(id, { code, text, type, rules: [], required: true });
    });
    if (!refused) return response.redirect(303, this.questionPath(locale, id, added, 'question'));
    await this.sendDraft(response, refused.status, locale, actor, id, { ...refused, form: 'add', draft: body });
  }

  @Get(':id/questions/:questionId')
  async question(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('questionId') questionId: string,
    @Query('done') done?: string,
    @Query('school') school?: string,
  ): Promise<void> {
    const { locale, actor } = await this.board(request);
    const state = { done: DONE.find((d) => d === done) };
    await this.sendQuestion(response, 200, locale, actor, checkId(id), checkId(questionId), state, school);
  }

  @Post(':id/questions/:questionId')
  async saveQuestion(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('questionId') questionId: string,
    @Body() body: FormBody,
  ): Promise<void> {
    await this.questionChange(request, response, id, questionId, body, 'question', 'question', () =>
      this.drafts.updateQuestion(
        id,
        questionId,
        questionOf(body, (metric) => this.dimensionsOf(metric)),
      ),
    );
  }

  @Post(':id/questions/:questionId/delete')
  async removeQuestion(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('questionId') questionId: string,
  ): Promise<void> {
    const { locale, actor } = await this.board(request);
    checkId(id);
    checkId(questionId);
    const refused = await this.attempt(locale, () => this.drafts.removeQuestion(id, questionId));
    if (!refused) return response.redirect(303, localPath(`/surveys/${id}/edit`, locale, { done: 'removed' }));
    await this.sendDraft(response, refused.status, locale, actor, id, refused);
  }

  @Post(':id/questions/:questionId/rules')
  async addRule(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('questionId') questionId: string,
    @Body() body: FormBody,
  ): Promise<void> {
    await this.questionChange(request, response, id, questionId, body, 'rn', 'rule', () =>
      this.drafts.setRule(id, questionId, 'new', ruleOf(body)),
    );
  }

  @Post(':id/questions/:questionId/rules/:rule')
  async saveRule(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('questionId') questionId: string,
    @Param('rule') rule: string,
    @Body() body: FormBody,
  ): Promise<void> {
    await this.questionChange(request, response, id, questionId, body, `r${rule}`, 'rule', () =>
      this.drafts.setRule(id, questionId, ruleIndex(rule), ruleOf(body)),
    );
  }

  @Post(':id/questions/:questionId/rules/:rule/delete')
  async removeRule(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('questionId') questionId: string,
    @Param('rule') rule: string,
  ): Promise<void> {
    await this.questionChange(request, response, id, questionId, {}, `r${rule}`, 'rule', () =>
      this.drafts.setRule(id, questionId, ruleIndex(rule), null),
    );
  }

  /** Issues the draft, then shows its status page (every target school listed). */
  @Post(':id/issue')
  async issue(@Req() request: Request, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const { locale, actor } = await this.board(request);
    const refused = await this.attempt(locale, () => this.drafts.issue(checkId(id)));
    if (!refused) return response.redirect(303, localPath(`/surveys/${id}`, locale));
    await this.sendDraft(response, refused.status, locale, actor, id, refused);
  }

  private async board(request: Request): Promise<{ locale: Locale; actor: Actor }> {
    const actor = await this.sessions.require(request, ['board_admin']);
    return { locale: pickLocale(request.query.lang, this.config.locale), actor };
  }

  /** A change of one question (or one of its rules): done → its page again; refused → its page with the problems. */
  private async questionChange(
    request: Request,
    response: Response,
    id: string,
    questionId: string,
    body: FormBody,
    form: string,
    done: BuilderDone,
    change: () => Promise<unknown>,
  ): Promise<void> {
    const { locale, actor } = await this.board(request);
    checkId(id);
    checkId(questionId);
    const refused = await this.attempt(locale, change);
    if (!refused) return response.redirect(303, this.questionPath(locale, id, questionId, done));
    const state = { ...refused, form, draft: body };
    await this.sendQuestion(response, refused.status, locale, actor, id, questionId, state);
  }

  /** Runs a change; a refusal the forms show comes back as problems in the page's language, anything else is thrown. */
  private async attempt(locale: Locale, change: () => Promise<unknown>): Promise<Refused | null> {
    try {
      await change();
      return null;
    } catch (error) {
      if (!(error instanceof DomainError) || !FORM_CODES.has(error.code)) throw error;
      const fields = error.details?.fields ?? [{ field: 'survey', messages: [error.message] }];
      return { status: error.code === 'SURVEY_NO_TARGET_SCHOOL' ? 422 : 400, problems: pageProblems(fields, locale) };
    }
  }

  private questionPath(locale: Locale, id: string, questionId: string, done: BuilderDone): string {
    return localPath(`/surveys/${id}/questions/${questionId}`, locale, { done });
  }

  private dimensionsOf(metric: string): string[] {
    return this.metrics.list().find((m) => m.id === metric)?.dimensions ?? [];
  }

  private async targetCodes(targets: Parameters<SurveysService['targetSchools']>[0]): Promise<string[]> {
    const schools = await this.surveys.targetSchools(targets).catch(() => []);
    return schools.map((s) => s.schoolCode);
  }

  private metricTitle(locale: Locale) {
    return (metric: string) => this.metrics.list().find((m) => m.id === metric)?.title[locale] ?? metric;
  }

  private async sendDraft(
    response: Response,
    status: number,
    locale: Locale,
    actor: Actor,
    id: string,
    state: BuilderState,
  ): Promise<void> {
    const { survey, questions } = await this.drafts.draft(id);
    const data = {
      survey,
      questions,
      schools: await this.drafts.schools(),
      targetCodes: await this.targetCodes(survey.targets),
      metricTitle: this.metricTitle(locale),
    };
    response
      .status(status)
      .type('html')
      .send(renderDraft(pageContext(locale, actor, `/surveys/${id}/edit`), data, state));
  }

  private async sendQuestion(
    response: Response,
    status: number,
    locale: Locale,
    actor: Actor,
    id: string,
    questionId: string,
    state: BuilderState,
    school?: string,
  ): Promise<void> {
    const { survey, questions } = await this.drafts.draft(id);
    const question = questions.find((q) => q.id === questionId);
    if (!question) throw notFound('survey question', questionId);
    const metrics = this.metrics.list();
    const dimensions = [...new Set([...metrics.flatMap((m) => m.dimensions), ...(question.gridDims ?? [])])];
    const data = {
      survey,
      question,
      questions,
      metrics,
      dimensions,
      preview: await this.drafts.preview(survey, question, school),
      previewSchools: await this.surveys.targetSchools(survey.targets).catch(() => []),
    };
    response
      .status(status)
      .type('html')
      .send(renderQuestion(pageContext(locale, actor, `/surveys/${id}/questions/${questionId}`), data, state));
  }
}

/** A rule's place in its question's list, from the path ('x' is no place: a 404). */
function ruleIndex(text: string): number {
  if (!/^\d{1,3}$/.test(text)) throw notFound('rule', text);
  return Number(text);
}
