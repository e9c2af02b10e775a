import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFiles,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators.js';
import type { Role } from '../auth/roles.js';
import { invalidField } from '../common/common.errors.js';
import type { Actor } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { localPath, pageContext } from '../web/layout.js';
import { pickLocale } from '../web/messages.js';
import { WebErrorFilter } from '../web/web-error.filter.js';
import { WebSessions } from '../web/web-session.js';
import { isValidSchoolCode } from '../schools/school-code.js';
import { CasesRepository } from './cases.repository.js';
import { CasesService, type CaseChange } from './cases.service.js';
import { renderBoardPage, renderCasePage, renderWatchListPage } from './watch.pages.js';
import { ROSTER_UPLOAD, rosterFiles } from './watch.controller.js';
import { IndicatorSettings } from './indicator-settings.service.js';
import { WatchService } from './watch.service.js';

type Form = Record<string, unknown>;
const text = (body: Form | undefined, name: string) => (typeof body?.[name] === 'string' ? body[name].trim() : '');
const LIST_ROLES: Role[] = ['board_admin', 'school', 'teacher'];
const CASE_ROLES: Role[] = ['school', 'teacher'];

function schoolParam(code: string): string {
  if (!isValidSchoolCode(code)) throw invalidField('schoolCode', `${code} is not a valid MEXT school code`);
  return code;
}

/** The watch pages: a school's list (school, teacher, the board by pseudonym), a case, the board's counts. */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller('watch')
export class WebWatchController {
  constructor(
    private readonly sessions: WebSessions,
    private readonly watch: WatchService,
    private readonly settings: IndicatorSettings,
    private readonly cases: CasesService,
    private readonly caseRows: CasesRepository,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  @Get()
  async home(@Req() request: Request, @Res() response: Response, @Query('lang') lang?: string): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, LIST_ROLES);
    if (actor.role !== 'board_admin')
      return response.redirect(303, localPath(`/watch/schools/${actor.schoolCode}`, locale));
    const summary = await this.watch.summary(actor);
    const counts = await this.cases.counts(actor);
    response.type('html').send(renderBoardPage(pageContext(locale, actor, '/watch'), summary, counts.schools));
  }

  private async openCases(schoolCode: string, students: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const student of students) {
      const open = await this.caseRows.openFor(schoolCode, student);
      if (open) found.set(student, open.id);
    }
    return found;
  }

  @Get('schools/:schoolCode')
  async list(
    @Req() request: Request,
    @Res() response: Response,
    @Param('schoolCode') code: string,
    @Query('lang') lang?: string,
    @Query('asOf') asOf?: string,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, LIST_ROLES);
    const schoolCode = schoolParam(code);
    const page = await this.watch.list(actor, schoolCode, { asOf: asOf || undefined, limit: 10_000, offset: 0 });
    const mayOpen = actor.role === 'school' || actor.role === 'teacher';
    const cases = mayOpen
      ? await this.openCases(
          schoolCode,
          page.items.map((s) => s.student),
        )
      : new Map<string, string>();
    response.type('html').send(
      renderWatchListPage(pageContext(locale, actor, `/watch/schools/${schoolCode}`), {
        schoolCode,
        asOf: page.asOf,
        refreshedAt: page.refreshedAt,
        students: page.items.map((s) => ({ ...s, caseId: cases.get(s.student) ?? null })),
        identified: false,
        mayOpen,
        mayIdentify: mayOpen,
      }),
    );
  }

  @Post('schools/:schoolCode/identify')
  @UseInterceptors(FilesInterceptor('files', 3, ROSTER_UPLOAD))
  async identify(
    @Req() request: Request,
    @Res() response: Response,
    @Param('schoolCode') code: string,
    @UploadedFiles() files: Express.Multer.File[] | undefined,
    @Body() body: Form,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, CASE_ROLES);
    const schoolCode = schoolParam(code);
    const result = await this.watch.identify(
      actor,
      schoolCode,
      rosterFiles(files ?? []),
      text(body, 'asOf') || undefined,
    );
    const cases = await this.openCases(
      schoolCode,
      result.students.map((s) => s.student),
    );
    response.type('html').send(
      renderWatchListPage(pageContext(locale, actor, `/watch/schools/${schoolCode}`), {
        schoolCode,
        asOf: result.asOf,
        refreshedAt: null,
        students: result.students.map((s) => ({ ...s, caseId: cases.get(s.student) ?? null })),
        identified: true,
        unmatched: result.unmatched,
        mayOpen: true,
        mayIdentify: true,
      }),
    );
  }

  @Post('cases')
  async open(
    @Req() request: Request,
    @Res() response: Response,
    @Body() body: Form,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, CASE_ROLES);
    const opened = await this.cases.open(actor, {
      schoolCode: schoolParam(text(body, 'schoolCode')),
      student: this.student(text(body, 'student')),
      academicYear: Number(text(body, 'academicYear')),
      openedFrom: text(body, 'openedFrom').split(',').filter(Boolean),
    });
    response.redirect(303, localPath(`/watch/cases/${opened.id}`, locale));
  }

  private student(value: string): string {
    if (!/^[0-9a-f]{64}$/.test(value)) throw invalidField('student', 'a pseudonym of 64 hex digits');
    return value;
  }

  private caseId(value: string): string {
    if (!/^[0-9a-f-]{36}$/.test(value)) throw invalidField('id', 'must be a UUID');
    return value;
  }

  @Get('cases/:id')
  async show(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, CASE_ROLES);
    const kase = await this.cases.get(actor, this.caseId(id));
    const titles = new Map(this.settings.catalogue().map((i) => [i.id, i.title]));
    response.type('html').send(renderCasePage(pageContext(locale, actor, `/watch/cases/${kase.id}`), kase, titles));
  }

  @Post('cases/:id')
  async update(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: Form,
    @Query('lang') lang?: string,
  ) {
    const locale = pickLocale(lang, this.config.locale);
    const actor: Actor = await this.sessions.require(request, CASE_ROLES);
    const change: CaseChange = {
      status: (text(body, 'status') || undefined) as CaseChange['status'],
      responsible: text(body, 'responsible') || null,
      nextReviewOn: text(body, 'nextReviewOn') || null,
    };
    await this.cases.update(actor, this.caseId(id), change);
    response.redirect(303, localPath(`/watch/cases/${id}`, locale));
  }

  @Post('cases/:id/referrals')
  async refer(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: Form,
    @Query('lang') lang?: string,
  ) {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, CASE_ROLES);
    await this.cases.refer(actor, this.caseId(id), text(body, 'agency'), text(body, 'referredOn'));
    response.redirect(303, localPath(`/watch/cases/${id}`, locale));
  }

  @Post('cases/:id/notes')
  async note(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: Form,
    @Query('lang') lang?: string,
  ) {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, CASE_ROLES);
    await this.cases.note(actor, this.caseId(id), text(body, 'body'));
    response.redirect(303, localPath(`/watch/cases/${id}`, locale));
  }
}
