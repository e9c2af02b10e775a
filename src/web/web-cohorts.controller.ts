import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators.js';
import { CohortChoicesService } from '../cohorts/cohort-choices.js';
import { sendResult } from '../cohorts/cohort-output.js';
import type { CohortResult } from '../cohorts/cohort-result.js';
import { CohortsService } from '../cohorts/cohorts.service.js';
import { COHORT_NAME_PATTERN } from '../cohorts/dto/cohort.dto.js';
import { ClientSignal } from '../common/client-signal.js';
import { notFound } from '../common/common.errors.js';
import { DomainError } from '../common/domain-error.js';
import { statusOf } from '../common/error.filter.js';
import { codeOf } from '../common/error-codes.js';
import type { Actor } from '../common/request-context.js';
import type { Locale, ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { cohortCharts } from './cohort-charts.js';
import { defaultCohortForm, definitionOfForm, formOfDefinition, formQuery, readCohortForm } from './cohort-form.js';
import { cohortMessagesFor } from './cohort-messages.js';
import { renderCohortPage, type CohortPageView } from './cohort.page.js';
import { errorText } from './error-messages.js';
import { localPath, pageContext } from './layout.js';
import { pickLocale } from './messages.js';
import { pageFromQuery } from './pager.js';
import type { FormBody } from './response-forms.js';
import { WebErrorFilter } from './web-error.filter.js';
import { WebSessions } from './web-session.js';

/** Who may use the page: those the cohort API lets run queries. */
const ROLES = ['analyst', 'board_admin'] as const;
/** Refusals shown beside the form (anything else is an error page). */
const FORM_CODES = new Set(['COHORT_DEFINITION_INVALID', 'COHORT_ANALYSIS_NOT_POSSIBLE', 'QUERY_LIMIT']);
const VERSION = /^[1-9][0-9]{0,8}$/;

type Query = Record<string, unknown>;
const textOf = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * The analyst's cohort page: build a definition with a form or open a saved one, run it through the cohort
 * service (the API's own path: the same check, disclosure control and audit), see its tables and charts,
 * download a table as CSV or Arrow, save a new version. Forms only: nobody types JSON.
 */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller('cohorts')
export class WebCohortsController {
  constructor(
    private readonly sessions: WebSessions,
    private readonly cohorts: CohortsService,
    private readonly choices: CohortChoicesService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response, @ClientSignal() signal: AbortSignal): Promise<void> {
    const query = request.query as Query;
    const locale = pickLocale(query.lang, this.config.locale);
    const actor = await this.sessions.require(request, ROLES);
    const choices = await this.choices.choices();
    if (query.run !== '1') {
      const view = { form: defaultCohortForm(choices.years), choices, saved: await this.savedList(query) };
      return this.send(response, 200, locale, actor, view);
    }
    const form = readCohortForm(query);
    const view: CohortPageView = { form, choices, saved: await this.savedList(query) };
    await this.runInto(response, locale, actor, view, {
      run: () => this.cohorts.query(definitionOfForm(form), signal),
      download: (table, format) => this.adHocDownload(locale, form, table, format),
    });
  }

  /** One table of a form's result as CSV or Arrow: the API's own output for the same definition. */
  @Get('download')
  async download(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @ClientSignal() signal: AbortSignal,
  ) {
    const query = request.query as Query;
    await this.sessions.require(request, ROLES);
    const result = await this.cohorts.query(definitionOfForm(readCohortForm(query)), signal);
    return sendResult(result, downloadQuery(query), undefined, response);
  }

  @Get('saved/:name')
  async saved(
    @Req() request: Request,
    @Res() response: Response,
    @Param('name') name: string,
    @ClientSignal() signal: AbortSignal,
  ): Promise<void> {
    const query = request.query as Query;
    const locale = pickLocale(query.lang, this.config.locale);
    const actor = await this.sessions.require(request, ROLES);
    const saved = await this.cohorts.version(checkName(name), versionOf(query) ?? (await this.latestVersion(name)));
    const { form, hidden } = formOfDefinition(saved.definition);
    const choices = await this.choices.choices();
    const view: CohortPageView = {
      form,
      choices,
      saved: await this.savedList(query),
      openedFrom: saved,
      hidden,
      done: query.done === 'saved' ? { name: saved.name, version: saved.version } : undefined,
    };
    await this.runInto(response, locale, actor, view, {
      run: () => this.cohorts.runSaved(saved.name, saved.version, signal),
      download: (table, format) =>
        localPath(`/cohorts/saved/${encodeURIComponent(saved.name)}/download`, locale, {
          version: String(saved.version),
          table,
          format,
        }),
    });
  }

  @Get('saved/:name/download')
  async savedDownload(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Param('name') name: string,
    @ClientSignal() signal: AbortSignal,
  ) {
    const query = request.query as Query;
    await this.sessions.require(request, ROLES);
    const result = await this.cohorts.runSaved(checkName(name), versionOf(query), signal);
    return sendResult(result, downloadQuery(query), undefined, response);
  }

  /** Saves the form's definition as the next version of its name, then opens that version. */
  @Post('definitions')
  async save(
    @Req() request: Request,
    @Res() response: Response,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, ROLES);
    const form = readCohortForm(body);
    const name = textOf(body?.name).trim();
    const description = textOf(body?.description).trim().slice(0, 2000);
    const view: CohortPageView = {
      form,
      choices: await this.choices.choices(),
      saved: await this.savedList({}),
      saveDraft: { name, description },
    };
    if (!COHORT_NAME_PATTERN.test(name)) {
      view.problem = { fields: [], text: cohortMessagesFor(locale).saveNameInvalid, save: true };
      return this.send(response, 400, locale, actor, view);
    }
    try {
      const saved = await this.cohorts.save(actor, name, description || null, definitionOfForm(form));
      response.redirect(
        303,
        localPath(`/cohorts/saved/${encodeURIComponent(saved.name)}`, locale, {
          version: String(saved.version),
          done: 'saved',
        }),
      );
    } catch (error) {
      this.refuse(response, locale, actor, view, error, true);
    }
  }

  private savedList(query: Query) {
    return this.cohorts.list(pageFromQuery(query.offset));
  }

  private async latestVersion(name: string): Promise<number> {
    const versions = await this.cohorts.versions(checkName(name), { limit: 1, offset: 0 });
    return versions.total;
  }

  /** Runs a definition and shows its result on the page, or the refusal beside the form. */
  private async runInto(
    response: Response,
    locale: Locale,
    actor: Actor,
    view: CohortPageView,
    how: { run: () => Promise<CohortResult>; download: (table: string, format: 'csv' | 'arrow') => string },
  ): Promise<void> {
    let result: CohortResult;
    try {
      result = await how.run();
    } catch (error) {
      return this.refuse(response, locale, actor, view, error);
    }
    view.result = {
      result,
      charts: await cohortCharts(result, locale),
      download: how.download,
      schoolNames: new Map(view.choices.schools.map((s) => [s.code, s.name])),
      programmeNames: new Map(view.choices.programmes.map((p) => [p.id, p.name])),
    };
    this.send(response, 200, locale, actor, view);
  }

  private adHocDownload(locale: Locale, form: CohortPageView['form'], table: string, format: string): string {
    const params = new URLSearchParams([['lang', locale], ...formQuery(form), ['table', table], ['format', format]]);
    return `/cohorts/download?${params.toString()}`;
  }

  /** A refusal the person can act on goes beside the form (with its status); anything else is an error page. */
  private refuse(
    response: Response,
    locale: Locale,
    actor: Actor,
    view: CohortPageView,
    error: unknown,
    save = false,
  ): void {
    if (!(error instanceof DomainError)) throw error;
    const code = codeOf(error);
    if (!FORM_CODES.has(code) && !(save && code === 'COHORT_VERSION_CONFLICT')) throw error;
    view.problem = { fields: (error.details?.fields ?? []).map((f) => f.field), text: errorText(code, locale), save };
    this.send(response, statusOf(code), locale, actor, view);
  }

  private send(response: Response, status: number, locale: Locale, actor: Actor, view: CohortPageView): void {
    response
      .status(status)
      .type('html')
      .send(renderCohortPage(pageContext(locale, actor, '/cohorts'), view));
  }
}

/** A saved definition's name as the API accepts it; anything else names nothing. */
function checkName(name: string): string {
  if (!COHORT_NAME_PATTERN.test(name)) throw notFound('cohort definition', name);
  return name;
}

function versionOf(query: Query): number | undefined {
  const text = textOf(query.version);
  return VERSION.test(text) ? Number(text) : undefined;
}

function downloadQuery(query: Query): { table?: string; format: 'csv' | 'arrow' } {
  const table = textOf(query.table);
  return {
    table: /^[a-z_]{1,40}$/.test(table) ? table : undefined,
    format: query.format === 'arrow' ? 'arrow' : 'csv',
  };
}
