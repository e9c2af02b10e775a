import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { UuidParam } from '../common/path-params.js';
import { pageRequest } from '../common/page.js';
import { PageQuery } from '../common/page.dto.js';
import { ApiErrors } from '../common/api-errors.js';
import { PageView } from '../common/page.dto.js';
import type { Actor } from '../common/request-context.js';
import { ChangeAnswerDto, ExplainDto, ReturnDto, VersionDto } from './dto/answer.dto.js';
import { EvidenceView, ResponseView } from './dto/response.view.js';
import { ResponseSummaryView } from './dto/survey.view.js';
import { EvidenceService } from './evidence.service.js';
import { ResponsesService } from './responses.service.js';

@ApiTags('responses')
@ApiBearerAuth()
@Controller('api/responses')
export class ResponsesController {
  constructor(
    private readonly responses: ResponsesService,
    private readonly evidenceService: EvidenceService,
  ) {}

  @Get()
  @Roles('school')
  @ApiOperation({ summary: 'The survey responses of the caller’s school, the latest deadline first, a page at a time' })
  @ApiResponse({ status: 200, type: PageView(ResponseSummaryView) })
  mine(@CurrentActor() actor: Actor, @Query() page: PageQuery) {
    return this.responses.mine(actor, pageRequest(page));
  }

  @Get(':id')
  @Roles('board_admin', 'school')
  @ApiOperation({
    summary: 'A response: pre-filled answers with provenance, errors and queries (opening it marks it in progress)',
  })
  @ApiResponse({ status: 200, type: ResponseView })
  @ApiErrors('FORBIDDEN_SCHOOL')
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.responses.view(actor, id);
  }

  @Get(':id/answers/:questionId/evidence')
  @Roles('board_admin', 'school')
  @ApiOperation({
    summary:
      'The evidence behind a pre-filled figure: by grade and homeroom, with the pseudonymous rows, for that school only',
  })
  @ApiResponse({ status: 200, type: EvidenceView })
  @ApiErrors('FORBIDDEN_SCHOOL')
  evidence(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @UuidParam('questionId') questionId: string) {
    return this.evidenceService.evidence(actor, id, questionId);
  }

  @Post(':id/answers/:questionId/confirm')
  @Roles('school')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a pre-filled answer' })
  @ApiResponse({ status: 200, type: ResponseView })
  @ApiErrors('FORBIDDEN_SCHOOL', 'SURVEY_RESPONSE_STALE', 'SURVEY_RESPONSE_SUBMITTED')
  confirm(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @UuidParam('questionId') questionId: string,
    @Body() body: VersionDto,
  ) {
    return this.responses.confirm(actor, id, questionId, body.version);
  }

  @Post(':id/confirm-all')
  @Roles('school')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Confirm every pre-filled answer still as computed from data (changed, typed and confirmed answers stay); a stale response version gets 409',
  })
  @ApiResponse({ status: 200, type: ResponseView })
  @ApiErrors('FORBIDDEN_SCHOOL', 'SURVEY_RESPONSE_STALE', 'SURVEY_RESPONSE_SUBMITTED')
  confirmAll(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() body: VersionDto) {
    return this.responses.confirmAll(actor, id, body.version);
  }

  @Put(':id/answers/:questionId')
  @Roles('school')
  @ApiOperation({
    summary: 'Answer, or change a pre-filled answer (a reason is required then); a stale version gets 409',
  })
  @ApiResponse({ status: 200, type: ResponseView })
  @ApiErrors('FORBIDDEN_SCHOOL', 'SURVEY_RESPONSE_STALE', 'SURVEY_RESPONSE_SUBMITTED')
  change(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @UuidParam('questionId') questionId: string,
    @Body() body: ChangeAnswerDto,
  ) {
    return this.responses.change(actor, id, questionId, body);
  }

  @Post(':id/answers/:questionId/explanations')
  @Roles('school')
  @HttpCode(200)
  @ApiOperation({ summary: 'Explain a query (an unusual figure)' })
  @ApiResponse({ status: 200, type: ResponseView })
  @ApiErrors('FORBIDDEN_SCHOOL', 'SURVEY_RESPONSE_STALE', 'SURVEY_RESPONSE_SUBMITTED')
  explain(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @UuidParam('questionId') questionId: string,
    @Body() body: ExplainDto,
  ) {
    return this.responses.explain(actor, id, questionId, body);
  }

  @Post(':id/submit')
  @Roles('school')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit: refused while an error stands or a query is unexplained' })
  @ApiResponse({ status: 200, type: ResponseView })
  @ApiErrors('FORBIDDEN_SCHOOL', 'SURVEY_RESPONSE_STALE', 'SURVEY_RESPONSE_SUBMITTED', 'SURVEY_SUBMISSION_BLOCKED')
  submit(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() body: VersionDto) {
    return this.responses.submit(actor, id, body.version);
  }

  @Post(':id/return')
  @Roles('board_admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Return a submitted response to the school for correction' })
  @ApiResponse({ status: 200, type: ResponseView })
  @ApiErrors('SURVEY_RESPONSE_NOT_SUBMITTED')
  returnForCorrection(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() body: ReturnDto) {
    return this.responses.returnForCorrection(actor, id, body.reason);
  }
}
