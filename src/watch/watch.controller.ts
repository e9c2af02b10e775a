import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import multer from 'multer';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { invalidField } from '../common/common.errors.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { pageRequest } from '../common/page.js';
import { PageView } from '../common/page.dto.js';
import { UuidParam } from '../common/path-params.js';
import type { Actor } from '../common/request-context.js';
import { SchoolCodeParamPipe } from '../schools/school-code.pipe.js';
import {
  AsOfQuery,
  IdentifiedWatchListView,
  IdentifyUploadDto,
  HomeroomsView,
  IndicatorView,
  RefreshedView,
  RequiredAsOfQuery,
  SetHomeroomsDto,
  SetThresholdsDto,
  WatchListQuery,
  WatchStudentView,
  WatchSummaryView,
} from './dto/watch.dto.js';
import { rosterFileKind } from './roster-identities.js';
import { IndicatorSettings } from './indicator-settings.service.js';
import { TeacherHomerooms } from './teacher-homerooms.service.js';
import { WatchRefresher } from './watch-refresh.service.js';
import { WatchService } from './watch.service.js';

/** Roster files are read in memory (never written to disk): a school's users.csv is a few MB at most. */
export const ROSTER_UPLOAD = { storage: multer.memoryStorage(), limits: { files: 3, fileSize: 32 * 1024 * 1024 } };

export function rosterFiles(files: Express.Multer.File[]): { users: string; enrollments?: string; classes?: string } {
  const read: Record<string, string> = {};
  for (const file of files) {
    const kind = rosterFileKind(Buffer.from(file.originalname, 'latin1').toString('utf8'));
    if (kind) read[kind] = file.buffer.toString('utf8');
  }
  if (read.users === undefined)
    throw invalidField('files', 'give the roster’s users.csv (and enrollments.csv, classes.csv)');
  return read as { users: string; enrollments?: string; classes?: string };
}

@ApiTags('watch')
@ApiBearerAuth()
@Controller('api/watch')
export class WatchController {
  constructor(
    private readonly watch: WatchService,
    private readonly settings: IndicatorSettings,
    private readonly refresher: WatchRefresher,
    private readonly homerooms: TeacherHomerooms,
  ) {}

  @Get('indicators')
  @ApiOperation({ summary: 'The indicator catalogue (queries/indicators) with the thresholds in force' })
  @ApiResponse({ status: 200, type: [IndicatorView] })
  @ApiErrors()
  indicators(): Promise<IndicatorView[]> {
    return this.settings.views();
  }

  @Put('indicators/:id/thresholds')
  @Roles('board_admin')
  @ApiOperation({ summary: 'Change thresholds of an indicator (audited); they apply from the next computation' })
  @ApiResponse({ status: 200, type: IndicatorView })
  @ApiErrors('NOT_FOUND')
  setThresholds(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: SetThresholdsDto) {
    return this.settings.setThresholdsView(actor, id, body.parameters);
  }

  @Get('summary')
  @Roles('board_admin', 'analyst')
  @ApiOperation({
    summary:
      'Students on the watch lists per school: exact for the board (audited), through disclosure control for analysts',
  })
  @ApiResponse({ status: 200, type: WatchSummaryView })
  @ApiErrors()
  summary(@CurrentActor() actor: Actor, @Query() query: AsOfQuery) {
    return this.watch.summary(actor, query.asOf);
  }

  @Get('schools/:schoolCode')
  @Roles('board_admin', 'school', 'teacher')
  @ApiOperation({
    summary:
      'A school’s watch list by pseudonym, most urgent first (a teacher: its homerooms only); every view is audited',
  })
  @ApiResponse({ status: 200, type: PageView(WatchStudentView) })
  @ApiErrors('FORBIDDEN_SCHOOL')
  list(
    @CurrentActor() actor: Actor,
    @Param('schoolCode', SchoolCodeParamPipe) schoolCode: string,
    @Query() query: WatchListQuery,
  ) {
    return this.watch.listPage(actor, schoolCode, { asOf: query.asOf, ...pageRequest(query) });
  }

  @Post('schools/:schoolCode/identify')
  @HttpCode(200)
  @Roles('school', 'teacher')
  @Header('Cache-Control', 'no-store')
  @UseInterceptors(FilesInterceptor('files', 3, ROSTER_UPLOAD))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: IdentifyUploadDto })
  @ApiOperation({
    summary:
      'The school’s list with its own student IDs, homerooms and 出席番号, matched from the roster files sent (never stored; audited)',
  })
  @ApiResponse({ status: 200, type: IdentifiedWatchListView })
  @ApiErrors('FORBIDDEN_SCHOOL', 'PSEUDONYM_KEY_UNAVAILABLE', 'PAYLOAD_TOO_LARGE')
  identify(
    @CurrentActor() actor: Actor,
    @Param('schoolCode', SchoolCodeParamPipe) schoolCode: string,
    @UploadedFiles() files: Express.Multer.File[] | undefined,
    @Body() body: IdentifyUploadDto,
  ) {
    return this.watch.identify(actor, schoolCode, rosterFiles(files ?? []), body.asOf);
  }

  @Post('schools/:schoolCode/refresh')
  @HttpCode(200)
  @Roles('board_admin')
  @ApiOperation({ summary: 'Recompute and store a school’s watch list as of a date' })
  @ApiResponse({ status: 200, type: RefreshedView })
  @ApiErrors()
  async refresh(@Param('schoolCode', SchoolCodeParamPipe) schoolCode: string, @Query() query: RequiredAsOfQuery) {
    const flags = await this.refresher.refresh([schoolCode], query.asOf);
    return { schoolCode, asOf: query.asOf, flags };
  }

  @Put('teachers/:userId/homerooms')
  @Roles('board_admin')
  @ApiOperation({
    summary:
      'Bind a teacher to homerooms of a school year: listed, or from its OneRoster teacher enrollments (audited)',
  })
  @ApiResponse({ status: 200, type: HomeroomsView })
  @ApiErrors('NOT_FOUND')
  setHomerooms(@UuidParam('userId') userId: string, @Body() body: SetHomeroomsDto) {
    return this.homerooms.set(userId, body);
  }
}
