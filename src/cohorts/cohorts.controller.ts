import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { binaryContent, textContent } from '../common/api-schema.js';
import { ClientSignal } from '../common/client-signal.js';
import { PositiveIntParam } from '../common/path-params.js';
import { pageRequest } from '../common/page.js';
import { PageQuery } from '../common/page.dto.js';
import type { Actor } from '../common/request-context.js';
import { sendResult } from './cohort-output.js';
import { CohortsService } from './cohorts.service.js';
import { CohortRunQuery, SaveCohortDto, SavedRunQuery } from './dto/cohort.dto.js';
import { COHORT_EXTRA_MODELS, CohortResultView, SavedCohortView } from './dto/cohort.view.js';
import { PageView } from '../common/page.dto.js';

/** A run's result: the whole of it as JSON, or one table as CSV or Arrow IPC (Accept or ?format=). */
const RESULT = {
  status: 200,
  description: 'JSON: the result; CSV (UTF-8 with BOM) or Arrow IPC: one table (?table=), redacted cells empty',
  content: {
    'application/json': { schema: { $ref: getSchemaPath(CohortResultView) } },
    ...textContent('text/csv'),
    ...binaryContent('application/vnd.apache.arrow.stream'),
  },
};

/** Cohort queries: analysts and the board get aggregates that passed disclosure control, never student rows. */
@ApiTags('cohorts')
@ApiBearerAuth()
@Roles('analyst', 'board_admin')
@ApiExtraModels(CohortResultView, ...COHORT_EXTRA_MODELS)
@Controller('api/cohorts')
export class CohortsController {
  constructor(private readonly cohorts: CohortsService) {}

  @Post('query')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Run a cohort definition: attrition, the method’s tables (disclosure-controlled) as JSON, CSV or Arrow IPC (Accept header)',
  })
  @ApiBody({
    schema: { $ref: '#/components/schemas/CohortDefinition' },
    description: 'A cohort definition (schema CohortDefinition)',
  })
  @ApiResponse(RESULT)
  @ApiErrors('COHORT_DEFINITION_INVALID', 'COHORT_ANALYSIS_NOT_POSSIBLE', 'QUERY_LIMIT')
  async query(
    @Body() body: unknown,
    @Query() query: CohortRunQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @ClientSignal() signal: AbortSignal,
  ) {
    return sendResult(await this.cohorts.query(body, signal), query, accept, response);
  }

  @Get('definitions')
  @ApiOperation({ summary: 'Saved cohort definitions (latest version of each), a page at a time' })
  @ApiResponse({ status: 200, type: PageView(SavedCohortView) })
  list(@Query() page: PageQuery) {
    return this.cohorts.list(pageRequest(page));
  }

  @Post('definitions')
  @ApiOperation({
    summary: 'Save a definition as the next version of its name (an unchanged definition is not saved again)',
  })
  @ApiResponse({ status: 201, type: SavedCohortView, description: 'The saved version' })
  @ApiErrors('COHORT_DEFINITION_INVALID', 'COHORT_VERSION_CONFLICT')
  save(@CurrentActor() actor: Actor, @Body() dto: SaveCohortDto) {
    return this.cohorts.save(actor, dto.name, dto.description ?? null, dto.definition);
  }

  @Get('definitions/:name')
  @ApiOperation({ summary: 'Every version of a saved definition, a page at a time' })
  @ApiResponse({ status: 200, type: PageView(SavedCohortView) })
  versions(@Param('name') name: string, @Query() page: PageQuery) {
    return this.cohorts.versions(name, pageRequest(page));
  }

  @Get('definitions/:name/versions/:version')
  @ApiOperation({ summary: 'One version of a saved definition' })
  @ApiResponse({ status: 200, type: SavedCohortView })
  version(@Param('name') name: string, @PositiveIntParam('version') version: number) {
    return this.cohorts.version(name, version);
  }

  @Post('definitions/:name/run')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a saved definition (?version=, default the latest); the result cites its name and version',
  })
  @ApiResponse(RESULT)
  @ApiErrors('COHORT_DEFINITION_INVALID', 'COHORT_ANALYSIS_NOT_POSSIBLE', 'QUERY_LIMIT')
  async runSaved(
    @Param('name') name: string,
    @Query() query: SavedRunQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @ClientSignal() signal: AbortSignal,
  ) {
    return sendResult(await this.cohorts.runSaved(name, query.version, signal), query, accept, response);
  }
}
