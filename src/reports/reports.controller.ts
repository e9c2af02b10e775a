import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { UuidParam } from '../common/path-params.js';
import { ApiErrors } from '../common/api-errors.js';
import { binaryContent } from '../common/api-schema.js';
import type { Actor } from '../common/request-context.js';
import { RenderReportDto } from './dto/report.dto.js';
import { ReportRunView, ReportTemplateView } from './dto/report.view.js';
import { ReportRunsService } from './report-runs.service.js';
import { ReportsService } from './reports.service.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly runs: ReportRunsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Report templates this user may render, with their parameters' })
  @ApiResponse({ status: 200, type: [ReportTemplateView] })
  list(@CurrentActor() actor: Actor) {
    return this.reports.list(actor);
  }

  @Post(':id/render')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render one report to PDF (a school: its own profile only)' })
  @ApiResponse({ status: 200, description: 'The report', content: binaryContent('application/pdf') })
  @ApiErrors(
    'REPORT_TEMPLATE_FORBIDDEN',
    'FORBIDDEN_SCHOOL',
    'COHORT_ANALYSIS_NOT_POSSIBLE',
    'QUERY_LIMIT',
    'REPORT_PRINTER_UNAVAILABLE',
    'REPORT_TEMPLATE_INVALID',
  )
  async render(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() dto: RenderReportDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const report = await this.reports.render(actor, id, dto.params, dto.locale);
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `attachment; filename="${report.filename}"`);
    return new StreamableFile(report.pdf);
  }

  @Post(':id/batch')
  @HttpCode(202)
  @Roles('board_admin')
  @ApiResponse({
    status: 202,
    type: ReportRunView,
    description: 'The run: poll GET /api/reports/runs/:runId, then fetch its zip',
  })
  @ApiErrors('REPORT_TEMPLATE_FORBIDDEN')
  @ApiOperation({ summary: 'Render a per-school template for every school in the background' })
  batch(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: RenderReportDto) {
    return this.runs.start(actor, id, dto.params, dto.locale);
  }

  @Get('runs/:runId')
  @Roles('board_admin')
  @ApiOperation({ summary: 'Status of an every-school run: rendered, failures, and the zip when done' })
  @ApiResponse({ status: 200, type: ReportRunView })
  run(@UuidParam('runId') runId: string) {
    return this.runs.get(runId);
  }

  @Get('runs/:runId/zip')
  @Roles('board_admin')
  @ApiOperation({ summary: 'The PDFs of a finished run, zipped (kept SHIRUBE_REPORTS_RETENTION_DAYS, then 410)' })
  @ApiResponse({ status: 200, description: 'One PDF per school', content: binaryContent('application/zip') })
  @ApiErrors('REPORT_RUN_NOT_DONE', 'REPORT_RUN_EXPIRED')
  async zip(@UuidParam('runId') runId: string, @Res({ passthrough: true }) response: Response) {
    const { bytes, fileName } = await this.runs.zip(runId);
    response.setHeader('Content-Type', 'application/zip');
    response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    return new StreamableFile(bytes);
  }
}
