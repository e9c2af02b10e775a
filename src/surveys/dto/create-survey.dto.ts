import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { QUESTION_TYPES, RULE_CHECKS, SCHOOL_TYPES, type QuestionType } from '../survey.types.js';

export class LocalizedDto {
  @ApiProperty({ example: '長期欠席の状況' }) @IsString() @IsNotEmpty() @MaxLength(500) ja: string;
  @ApiProperty({ example: 'Long-term absence' }) @IsString() @IsNotEmpty() @MaxLength(500) en: string;
}

export class OptionalLocalizedDto {
  @ApiProperty() @IsString() @MaxLength(5000) ja: string;
  @ApiProperty() @IsString() @MaxLength(5000) en: string;
}

export class TargetsDto {
  @ApiProperty({ enum: ['all', 'school_type', 'list'] }) @IsIn(['all', 'school_type', 'list']) kind:
    'all' | 'school_type' | 'list';

  @ApiPropertyOptional({ enum: SCHOOL_TYPES, isArray: true })
  @ValidateIf((t: TargetsDto) => t.kind === 'school_type')
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(SCHOOL_TYPES, { each: true })
  schoolTypes?: string[];

  @ApiPropertyOptional({ type: [String], example: ['B108291000011'] })
  @ValidateIf((t: TargetsDto) => t.kind === 'list')
  @IsArray()
  @ArrayMinSize(1)
  @Matches(/^[A-Z][0-9]{12}$|^ORG-[0-9a-f]{12}$/, {
    each: true,
    message: 'each school code must be a 13-character school code',
  })
  schoolCodes?: string[];
}

export class BindingDto {
  @ApiProperty({ example: 'attendance.long_term_absence' }) @IsString() @IsNotEmpty() metric: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { reason: 'non_attendance' },
    description: 'Dimension → value or list of values the answer counts',
  })
  @IsOptional()
  @IsObject()
  filter?: Record<string, string | string[]>;
}

export class RuleDto {
  @ApiProperty({ enum: ['error', 'query'] }) @IsIn(['error', 'query']) severity: 'error' | 'query';
  @ApiProperty({ enum: RULE_CHECKS }) @IsIn(RULE_CHECKS) check: (typeof RULE_CHECKS)[number];
  @ApiPropertyOptional() @IsOptional() @IsNumber() min?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() max?: number;
  @ApiPropertyOptional({ description: 'not_more_than: the code of the other question' })
  @ValidateIf((r: RuleDto) => r.check === 'not_more_than')
  @IsString()
  question?: string;
  @ApiPropertyOptional({
    description: 'change_from_*: relative change that raises the query (0.2 = 20%)',
    example: 0.2,
  })
  @ValidateIf((r: RuleDto) => r.check === 'change_from_prefill' || r.check === 'change_from_last_year')
  @IsNumber()
  @Min(0)
  threshold?: number;
}

export class QuestionDto {
  @ApiProperty({ example: 'q1', description: 'A short code, unique in the survey' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'code must be a short lowercase code such as q1' })
  code: string;
  @ApiProperty({ type: LocalizedDto }) @IsDefined() @ValidateNested() @Type(() => LocalizedDto) text: LocalizedDto;
  @ApiProperty({ enum: QUESTION_TYPES }) @IsIn(QUESTION_TYPES) type: QuestionType;

  @ApiPropertyOptional({ type: [String] })
  @ValidateIf((q: QuestionDto) => q.type === 'choice')
  @IsArray()
  @ArrayMinSize(2)
  @IsString({ each: true })
  choices?: string[];

  @ApiPropertyOptional({ type: [String], example: ['grade', 'sex'], description: 'grid: the dimensions of its cells' })
  @ValidateIf((q: QuestionDto) => q.type === 'grid')
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  gridDims?: string[];

  @ApiPropertyOptional({ type: BindingDto, description: 'Answered from data: pre-filled per school' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BindingDto)
  binding?: BindingDto;

  @ApiPropertyOptional({ type: [RuleDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RuleDto)
  rules?: RuleDto[];

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() required?: boolean;
}

export class CreateSurveyDto {
  @ApiProperty({ type: LocalizedDto }) @IsDefined() @ValidateNested() @Type(() => LocalizedDto) title: LocalizedDto;
  @ApiProperty({ type: OptionalLocalizedDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => OptionalLocalizedDto)
  description: OptionalLocalizedDto;
  @ApiProperty({ example: 2025 }) @IsInt() @Min(2000) @Max(2100) academicYear: number;
  @ApiProperty({ example: '2026-05-01', description: 'The date the figures describe (基準日)' })
  @IsDateString({ strict: true })
  asOfDate: string;
  @ApiProperty({ example: '2026-05-31' }) @IsDateString({ strict: true }) deadline: string;
  @ApiProperty({ type: TargetsDto }) @IsDefined() @ValidateNested() @Type(() => TargetsDto) targets: TargetsDto;

  @ApiProperty({ type: [QuestionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions: QuestionDto[];
}
