import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { pageRequest } from '../common/page.js';
import { PageView } from '../common/page.dto.js';
import { UuidParam } from '../common/path-params.js';
import type { Actor } from '../common/request-context.js';
import { SchoolCodeParamPipe } from '../schools/school-code.pipe.js';
import { CasesService } from './cases.service.js';
import {
  CaseCountsView,
  CaseDetailView,
  CaseListQuery,
  CaseNoteDto,
  CaseView,
  OpenCaseDto,
  ReferCaseDto,
  UpdateCaseDto,
} from './dto/case.dto.js';

@ApiTags('watch')
@ApiBearerAuth()
@Controller('api/watch/cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @Roles('school', 'teacher')
  @ApiOperation({
    summary: 'Open a support case (見守りケース) from a flag (a case already open for the student is returned)',
  })
  @ApiResponse({ status: 201, type: CaseView })
  @ApiErrors('FORBIDDEN_SCHOOL')
  open(@CurrentActor() actor: Actor, @Body() body: OpenCaseDto) {
    return this.cases.open(actor, body);
  }

  @Get('counts')
  @Roles('board_admin')
  @ApiOperation({ summary: 'Cases per school by status, referrals per school by agency (the board; audited)' })
  @ApiResponse({ status: 200, type: CaseCountsView })
  @ApiErrors()
  counts(@CurrentActor() actor: Actor) {
    return this.cases.counts(actor);
  }

  @Get('schools/:schoolCode')
  @Roles('school', 'teacher')
  @ApiOperation({ summary: 'A school’s cases, open first (a teacher: its homerooms’ students), a page at a time' })
  @ApiResponse({ status: 200, type: PageView(CaseView) })
  @ApiErrors('FORBIDDEN_SCHOOL')
  list(
    @CurrentActor() actor: Actor,
    @Param('schoolCode', SchoolCodeParamPipe) schoolCode: string,
    @Query() query: CaseListQuery,
  ) {
    return this.cases.list(actor, schoolCode, pageRequest(query), query.academicYear);
  }

  @Get(':id')
  @Roles('school', 'teacher')
  @ApiOperation({ summary: 'A case with its referrals and notes (audited)' })
  @ApiResponse({ status: 200, type: CaseDetailView })
  @ApiErrors('NOT_FOUND', 'FORBIDDEN_SCHOOL')
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.cases.get(actor, id);
  }

  @Patch(':id')
  @Roles('school', 'teacher')
  @ApiOperation({ summary: 'Change a case’s status, who is responsible, the next review date (audited)' })
  @ApiResponse({ status: 200, type: CaseDetailView })
  @ApiErrors('NOT_FOUND', 'FORBIDDEN_SCHOOL')
  update(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() body: UpdateCaseDto) {
    return this.cases.update(actor, id, body);
  }

  @Post(':id/referrals')
  @Roles('school', 'teacher')
  @ApiOperation({ summary: 'Refer the case to an agency (audited)' })
  @ApiResponse({ status: 201, type: CaseDetailView })
  @ApiErrors('NOT_FOUND', 'FORBIDDEN_SCHOOL')
  refer(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() body: ReferCaseDto) {
    return this.cases.refer(actor, id, body.agency, body.referredOn);
  }

  @Post(':id/notes')
  @Roles('school', 'teacher')
  @ApiOperation({ summary: 'Add a note (the school’s only; audited without its text)' })
  @ApiResponse({ status: 201, type: CaseDetailView })
  @ApiErrors('NOT_FOUND', 'FORBIDDEN_SCHOOL')
  note(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() body: CaseNoteDto) {
    return this.cases.note(actor, id, body.body);
  }
}
