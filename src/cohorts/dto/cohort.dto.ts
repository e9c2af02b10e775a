import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

export const COHORT_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,79}$/;

export class SaveCohortDto {
  @ApiProperty({ example: 'support-room-attendance', description: 'lower-case letters, digits, dot, dash, underscore' })
  @IsString()
  @Matches(COHORT_NAME_PATTERN, { message: 'name must be lower-case letters, digits, ".", "-" or "_" (at most 80)' })
  name: string;

  @ApiPropertyOptional({ example: '校内教育支援センター設置事業の出席率への効果' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiProperty({
    description: 'A cohort definition (schema: CohortDefinition)',
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  definition: object;
}

export class CohortRunQuery {
  @ApiPropertyOptional({
    description: 'Which table CSV or Arrow output carries (default: the method’s main table)',
    example: 'descriptive',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]{1,40}$/)
  table?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'arrow'], description: 'Overrides the Accept header' })
  @IsOptional()
  @IsIn(['json', 'csv', 'arrow'])
  format?: 'json' | 'csv' | 'arrow';
}

export class SavedRunQuery extends CohortRunQuery {
  @ApiPropertyOptional({ description: 'Version to run (default: the latest)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}
