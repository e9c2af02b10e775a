import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { UuidParam } from '../common/path-params.js';
import { pageRequest } from '../common/page.js';
import { PageQuery } from '../common/page.dto.js';
import { ApiErrors } from '../common/api-errors.js';
import { textContent } from '../common/api-schema.js';
import { PageView } from '../common/page.dto.js';
import type { Actor } from '../common/request-context.js';
import { SchoolCodeParamPipe } from '../schools/school-code.pipe.js';
import { ExportQuery } from './dto/answer.dto.js';
import { CreateSurveyDto } from './dto/create-survey.dto.js';
import { ResponseView } from './dto/response.view.js';
import {
  BurdenView,
  CreatedSurveyView,
  IssuedSurveyView,
  SurveyDetailView,
  SurveyResultsView,
  SurveyStatusView,
  SurveyView,
} from './dto/survey.view.js';
import { ResponsesService } from './responses.service.js';
import { SurveyReportsService } from './survey-reports.service.js';
import { SurveysService } from './surveys.service.js';

@ApiTags('surveys')
@ApiBearerAuth()
@Roles('board_admin')
@ApiExtraModels(SurveyResultsView)
@Controller('api/surveys')
export class SurveysController {
  constructor(
    private readonly surveys: SurveysService,
    private readonly reports: SurveyReportsService,
    private readonly responses: ResponsesService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a survey (draft); warns about duplicate requests and questions the catalogue could answer',
  })
  @ApiResponse({ status: 201, type: CreatedSurveyView, description: 'The survey, its questions and warnings' })
  @ApiErrors('SURVEY_DEFINITION_INVALID')
  create(@CurrentActor() actor: Actor, @Body() body: CreateSurveyDto) {
    return this.surveys.create(body, actor);
  }

  @Get()
  @ApiOperation({ summary: 'Surveys, newest first, a page at a time' })
  @ApiResponse({ status: 200, type: PageView(SurveyView) })
  list(@Query() page: PageQuery) {
    return this.surveys.list(pageRequest(page));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A survey with its questions' })
  @ApiResponse({ status: 200, type: SurveyDetailView })
  get(@UuidParam('id') id: string) {
    return this.surveys.get(id);
  }

  @Post(':id/issue')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Issue: one response per target school, every question bound to a metric pre-filled from data',
  })
  @ApiResponse({ status: 200, type: IssuedSurveyView })
  @ApiErrors('SURVEY_NOT_DRAFT', 'SURVEY_CHANGED_WHILE_ISSUING', 'SURVEY_NO_TARGET_SCHOOL', 'SURVEY_DEFINITION_INVALID')
  issue(@UuidParam('id') id: string) {
    return this.surveys.issue(id);
  }

  @Get(':id/status')
  @ApiOperation({
    summary: 'Status per school (not opened, in progress, submitted, returned, overdue) and the overdue list',
  })
  @ApiResponse({ status: 200, type: SurveyStatusView })
  status(@UuidParam('id') id: string) {
    return this.reports.status(id);
  }

  @Get(':id/results')
  @ApiOperation({
    summary:
      'Results across schools: JSON, or CSV (UTF-8 with BOM, for Excel) in words with ?format=csv, with codes with ?format=csv-codes',
  })
  @ApiResponse({
    status: 200,
    description: 'JSON, or CSV with ?format=csv or ?format=csv-codes',
    content: { 'application/json': { schema: { $ref: getSchemaPath(SurveyResultsView) } }, ...textContent('text/csv') },
  })
  async results(
    @UuidParam('id') id: string,
    @Query() query: ExportQuery,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (query.format !== 'csv' && query.format !== 'csv-codes') return this.reports.results(id);
    const codes = query.format === 'csv-codes';
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="survey-${id}${codes ? '-codes' : ''}.csv"`);
    return this.reports.resultsCsv(id, { codes });
  }

  @Get(':id/burden')
  @ApiOperation({
    summary: 'The burden figure: answers accepted as pre-filled, changed, and typed by hand, per school and in total',
  })
  @ApiResponse({ status: 200, type: BurdenView })
  burden(@UuidParam('id') id: string) {
    return this.reports.burden(id);
  }

  @Get(':id/responses/:schoolCode')
  @Roles('board_admin', 'school')
  @ApiOperation({ summary: 'One school’s response (the board, or the school itself)' })
  @ApiResponse({ status: 200, type: ResponseView })
  response(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Param('schoolCode', SchoolCodeParamPipe) schoolCode: string,
  ) {
    return this.responses.findFor(actor, id, schoolCode);
  }
}
