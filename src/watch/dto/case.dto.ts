import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type as TransformTo } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageQuery } from '../../common/page.dto.js';
import { CASE_AGENCIES, CASE_RESPONSIBLE, CASE_STATUSES } from '../cases.repository.js';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export class OpenCaseDto {
  @ApiProperty({ example: 'B113210000014' })
  @Matches(/^[A-H][0-9]{12}$/, { message: 'schoolCode must be a 13-character MEXT school code' })
  schoolCode: string;

  @ApiProperty({ description: 'The student’s pseudonym, as the watch list gives it' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'student must be a pseudonym (64 hex digits)' })
  student: string;

  @ApiProperty({ example: 2025 })
  @TransformTo(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  academicYear: number;

  @ApiPropertyOptional({ type: [String], description: 'The indicators that fired, from the watch list' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  openedFrom?: string[];

  @ApiPropertyOptional({ enum: CASE_RESPONSIBLE })
  @IsOptional()
  @IsIn(CASE_RESPONSIBLE)
  responsible?: string;

  @ApiPropertyOptional({ example: '2025-11-14' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'nextReviewOn must be a date YYYY-MM-DD' })
  nextReviewOn?: string;
}

export class UpdateCaseDto {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: (typeof CASE_STATUSES)[number];

  @ApiPropertyOptional({ enum: CASE_RESPONSIBLE, nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIn(CASE_RESPONSIBLE)
  responsible?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2025-11-14' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(DATE_PATTERN, { message: 'nextReviewOn must be a date YYYY-MM-DD' })
  nextReviewOn?: string | null;
}

export class ReferCaseDto {
  @ApiProperty({ enum: CASE_AGENCIES })
  @IsIn(CASE_AGENCIES)
  agency: string;

  @ApiProperty({ example: '2025-11-05' })
  @Matches(DATE_PATTERN, { message: 'referredOn must be a date YYYY-MM-DD' })
  referredOn: string;
}

export class CaseNoteDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @MaxLength(2000)
  body: string;
}

export class CaseListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 2025, description: 'For a teacher: the school year of its homerooms' })
  @IsOptional()
  @TransformTo(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  academicYear?: number;
}

export class CaseView {
  @ApiProperty() id: string;
  @ApiProperty() schoolCode: string;
  @ApiProperty({ description: 'The student’s pseudonym' }) student: string;
  @ApiProperty() academicYear: number;
  @ApiProperty({ enum: CASE_STATUSES }) status: string;
  @ApiProperty({ enum: CASE_RESPONSIBLE, nullable: true }) responsible: string | null;
  @ApiProperty({ type: [String] }) openedFrom: string[];
  @ApiProperty({ type: String, nullable: true }) nextReviewOn: string | null;
  @ApiProperty() openedAt: string;
  @ApiProperty({ type: String, nullable: true }) closedAt: string | null;
  @ApiProperty() version: number;
}

export class CaseReferralView {
  @ApiProperty({ enum: CASE_AGENCIES }) agency: string;
  @ApiProperty() referredOn: string;
}

export class CaseNoteView {
  @ApiProperty() id: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: String, nullable: true }) author: string | null;
  @ApiProperty() createdAt: string;
}

export class CaseDetailView extends CaseView {
  @ApiProperty({ type: [CaseReferralView] }) referrals: CaseReferralView[];
  @ApiProperty({ type: [CaseNoteView] }) notes: CaseNoteView[];
}

export class SchoolCaseCountsView {
  @ApiProperty() schoolCode: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) byStatus: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) byReferral: Record<string, number>;
}

export class CaseCountsView {
  @ApiProperty({ type: [SchoolCaseCountsView] }) schools: SchoolCaseCountsView[];
}
