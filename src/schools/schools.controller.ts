import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { type Page, pageRequest } from '../common/page.js';
import { PageView } from '../common/page.dto.js';
import type { Actor } from '../common/request-context.js';
import { SchoolCodeParamPipe } from './school-code.pipe.js';
import { SchoolListQuery } from './dto/school-list.query.js';
import { SchoolDetailView, SchoolView } from './school.view.js';
import { SchoolsService } from './schools.service.js';

@ApiTags('schools')
@ApiBearerAuth()
@Controller('api/schools')
export class SchoolsController {
  constructor(private readonly schools: SchoolsService) {}

  @Get()
  @ApiOperation({ summary: 'Schools in the warehouse (a school user: its own only)' })
  @ApiResponse({ status: 200, type: PageView(SchoolView) })
  list(@CurrentActor() actor: Actor, @Query() query: SchoolListQuery): Promise<Page<SchoolView>> {
    return this.schools.list(actor, pageRequest(query), query.school);
  }

  @Get(':schoolCode')
  @Roles('board_admin', 'school')
  @ApiOperation({ summary: 'One school with its exact enrolment by year and grade (board, or the school itself)' })
  @ApiResponse({ status: 200, type: SchoolDetailView })
  get(
    @CurrentActor() actor: Actor,
    @Param('schoolCode', SchoolCodeParamPipe) schoolCode: string,
  ): Promise<SchoolDetailView> {
    return this.schools.get(actor, schoolCode);
  }
}
