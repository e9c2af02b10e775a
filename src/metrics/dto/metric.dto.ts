import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { MetricDefinition } from '../metric-catalogue.js';

export class MetricValuesQuery {
  @ApiProperty({ example: 2025, description: '年度: the school year (2025 = April 2025 – March 2026)' })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  academicYear: number;

  @ApiPropertyOptional({ example: 'B108291000011', description: 'One school (a school user: its own only)' })
  @IsOptional()
  @Matches(/^[A-Z][0-9]{12}$|^ORG-[0-9a-f]{12}$/, { message: 'school must be a 13-character school code' })
  school?: string;
}

class LocalizedText {
  @ApiProperty() ja: string;
  @ApiProperty() en: string;
}

export class MetricView {
  @ApiProperty({ example: 'attendance.long_term_absence' }) id: string;
  @ApiProperty({ type: LocalizedText }) title: LocalizedText;
  @ApiProperty({ type: LocalizedText }) description: LocalizedText;
  @ApiProperty({ example: 'students' }) unit: string;
  @ApiProperty({ type: [String], example: ['grade', 'sex', 'reason'] }) dimensions: string[];
  @ApiProperty({ type: [String], example: ['academic_year'] }) parameters: string[];
  @ApiProperty({ description: 'The survey item the metric answers' }) answers: string;
  @ApiProperty({ type: [String], description: 'Warehouse tables the figures come from' }) sources: string[];

  static of(metric: MetricDefinition): MetricView {
    const { id, title, description, unit, dimensions, parameters, answers, sources } = metric;
    return { id, title, description, unit, dimensions, parameters, answers, sources };
  }
}

export class MetricValueView {
  @ApiProperty() schoolCode: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { grade: 'J1', sex: 'female', reason: 'non_attendance' },
  })
  dims: Record<string, string>;
  @ApiProperty() value: number;
}
