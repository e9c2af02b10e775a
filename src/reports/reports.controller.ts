import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { UuidParam } from '../common/path-params.js';
import type { Actor } from '../common/request-context.js';
import { RenderReportDto } from './dto/report.dto.js';
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
  list(@CurrentActor() actor: Actor) {
    return this.reports.list(actor);
  }

  @Post(':id/render')
  @HttpCode(200)
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'Render one report to PDF (a school: its own profile only)' })
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
  @ApiResponse({ status: 202, description: 'The run: poll GET /api/reports/runs/:runId, then fetch its zip' })
  @ApiOperation({ summary: 'Render a per-school template for every school in the background' })
  batch(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: RenderReportDto) {
    return this.runs.start(actor, id, dto.params, dto.locale);
  }

  @Get('runs/:runId')
  @Roles('board_admin')
  @ApiOperation({ summary: 'Status of an every-school run: rendered, failures, and the zip when done' })
  run(@UuidParam('runId') runId: string) {
    return this.runs.get(runId);
  }

  @Get('runs/:runId/zip')
  @Roles('board_admin')
  @ApiProduces('application/zip')
  @ApiOperation({ summary: 'The PDFs of a finished run, zipped' })
  async zip(@UuidParam('runId') runId: string, @Res({ passthrough: true }) response: Response) {
    const { bytes, fileName } = await this.runs.zip(runId);
    response.setHeader('Content-Type', 'application/zip');
    response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    return new StreamableFile(bytes);
  }
}
