/** What the report endpoints answer with, for OpenAPI; each class implements the service's type. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LocalizedView } from '../../common/localized.view.js';
import type { ReportRunView as ReportRun } from '../report-runs.service.js';
import type { ReportTemplateView as ReportTemplate } from '../reports.service.js';

class ReportParameterView {
  @ApiProperty({ example: 'academicYear' }) name: string;
  @ApiProperty({ example: 'year', description: 'year, years, school, programme, survey, …' }) type: string;
  @ApiProperty() required: boolean;
  @ApiProperty({ type: LocalizedView }) label: LocalizedView;
  @ApiPropertyOptional({ type: [String] }) choices?: string[];
  @ApiPropertyOptional({ description: 'The value taken when none is given' }) default?: unknown;
}

export class ReportTemplateView implements ReportTemplate {
  @ApiProperty({ example: 'school-profile' }) id: string;
  @ApiProperty({ type: LocalizedView }) title: LocalizedView;
  @ApiProperty({ type: LocalizedView }) description: LocalizedView;
  @ApiProperty({ enum: ['school', 'published', 'analytical'] }) audience: string;
  @ApiProperty({ description: 'Rendered for every school in one run (POST …/batch)' }) eachSchool: boolean;
  @ApiProperty({ type: [ReportParameterView] }) parameters: ReportParameterView[];
}

class RunFailureView {
  @ApiProperty() school: string;
  @ApiProperty() message: string;
}

export class ReportRunView implements ReportRun {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() templateId: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) params: Record<string, unknown>;
  @ApiProperty({ enum: ['running', 'done', 'failed', 'expired'] }) status: ReportRun['status'];
  @ApiProperty({ description: 'Schools to render' }) total: number;
  @ApiProperty({ description: 'Schools rendered so far' }) rendered: number;
  @ApiProperty({ type: [RunFailureView] }) failures: RunFailureView[];
  @ApiProperty() createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Where the zip is, once done' }) zip: string | null;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until when the zip is kept (SHIRUBE_REPORTS_RETENTION_DAYS), once done',
  })
  zipKeptUntil: string | null;
}
