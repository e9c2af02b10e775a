import { VARCHAR } from '@duckdb/node-api';
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { PAGE_LIMIT_MAX } from '../common/page.js';
import type { Actor } from '../common/request-context.js';
import type { Locale, ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { ReportDataService } from '../reports/report-data.js';
import { ReportsService } from '../reports/reports.service.js';
import { SurveysService } from '../surveys/surveys.service.js';
import { sqlFile } from '../warehouse/sql-files.js';
import { Warehouse } from '../warehouse/warehouse.js';
import { pageContext } from './layout.js';
import { messagesFor, pickLocale } from './messages.js';
import { renderReportRunPage, renderReportsPage, type ReportChoices } from './reports.page.js';
import { ReportRunsService } from '../reports/report-runs.service.js';
import { localPath } from './layout.js';
import { checkId } from './route-params.js';
import type { FormBody } from './response-forms.js';
import { WebErrorFilter } from './web-error.filter.js';
import { WebSessions } from './web-session.js';

const SQL = { programmes: sqlFile('reports/programmes'), years: sqlFile('reports/years') };
/** A school sees only the templates it may render (its own profile), for its own school. */
const ROLES = ['board_admin', 'analyst', 'school'] as const;

/** The board's (and analysts') report page: the templates, a form each, the PDF back. */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller('reports')
export class WebReportsController {
  constructor(
    private readonly sessions: WebSessions,
    private readonly reports: ReportsService,
    private readonly data: ReportDataService,
    private readonly surveys: SurveysService,
    private readonly runs: ReportRunsService,
    @Inject(Warehouse) private readonly warehouse: Warehouse,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  private async choices(actor: Actor, locale: Locale): Promise<ReportChoices> {
    const school = actor.role === 'school';
    return {
      schools: (await this.data.schools(school ? (actor.schoolCode ?? '') : null)).map((s) => ({
        code: s.school_code,
        name: s.name,
      })),
      programmes: school
        ? []
        : (
            await this.warehouse.all<{ programme_id: string; name: string }>(
              SQL.programmes,
              { programme: null },
              { programme: VARCHAR },
            )
          ).map((p) => ({ id: p.programme_id, name: p.name })),
      surveys:
        actor.role === 'board_admin'
          ? // The newest 1,000 surveys: a choice further back is made through the API.
            (await this.surveys.list({ limit: PAGE_LIMIT_MAX, offset: 0 })).items
              .filter((s) => s.status !== 'draft')
              .map((s) => ({ id: s.id, title: s.title[locale] }))
          : [],
      years: (await this.warehouse.all<{ academic_year: number }>(SQL.years)).map((r) => r.academic_year),
    };
  }

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @Query('lang') lang?: string): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, ROLES);
    response
      .type('html')
      .send(
        renderReportsPage(
          pageContext(locale, actor, '/reports'),
          this.reports.list(actor),
          await this.choices(actor, locale),
        ),
      );
  }

  /** Starts an every-school run (the board's) and goes to its page, which follows it. */
  @Post(':id/runs')
  async startRun(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, ['board_admin']);
    const params = Object.fromEntries(
      Object.entries(body ?? {}).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
    ) as Record<string, string>;
    const run = await this.runs.start(actor, id, params, locale);
    response.redirect(303, localPath(`/reports/runs/${run.id}`, locale));
  }

  @Get('runs/:runId')
  async run(
    @Req() request: Request,
    @Res() response: Response,
    @Param('runId') runId: string,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, ['board_admin']);
    const run = await this.runs.get(checkId(runId));
    const template = this.reports.list(actor).find((t) => t.id === run.templateId);
    response
      .type('html')
      .send(
        renderReportRunPage(
          pageContext(locale, actor, `/reports/runs/${runId}`),
          run,
          template?.title[locale] ?? run.templateId,
        ),
      );
  }

  @Get('runs/:runId/zip')
  async runZip(@Req() request: Request, @Res() response: Response, @Param('runId') runId: string): Promise<void> {
    await this.sessions.require(request, ['board_admin']);
    const { bytes, fileName } = await this.runs.zip(checkId(runId));
    response.setHeader('Content-Type', 'application/zip');
    response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    response.send(bytes);
  }

  @Post(':id')
  async render(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, ROLES);
    const params = Object.fromEntries(
      Object.entries(body ?? {}).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
    ) as Record<string, string>;
    try {
      const report = await this.reports.render(actor, id, params, locale);
      response.status(200).setHeader('Content-Type', 'application/pdf');
      response.setHeader('Content-Disposition', `attachment; filename="${report.filename}"`);
      response.send(report.pdf);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED') throw error;
      // Name the parameter by its label on the form.
      const template = this.reports.list(actor).find((t) => t.id === id);
      const m = messagesFor(locale);
      const message = (error.details?.fields ?? [])
        .map(
          (f) =>
            `${template?.parameters.find((p) => `params.${p.name}` === f.field)?.label[locale] ?? f.field}${m.badParam}(${f.messages.join('; ')})`,
        )
        .join(' / ');
      response
        .status(400)
        .type('html')
        .send(
          renderReportsPage(
            pageContext(locale, actor, '/reports'),
            this.reports.list(actor),
            await this.choices(actor, locale),
            { id, message: message || error.message },
          ),
        );
    }
  }
}
