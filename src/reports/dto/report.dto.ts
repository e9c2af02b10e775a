import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional } from 'class-validator';

export class RenderReportDto {
  @ApiProperty({
    description: 'Parameter values by name (see GET /api/reports)',
    example: { academicYear: 2025, school: 'B108291000011' },
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  params: Record<string, unknown>;

  @ApiPropertyOptional({ enum: ['ja', 'en'], default: 'ja' }) @IsOptional() @IsIn(['ja', 'en']) locale?: 'ja' | 'en';
}
