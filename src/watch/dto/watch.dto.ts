import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type as TransformTo } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQuery } from '../../common/page.dto.js';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export class WatchListQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Compute the list now, as of this date (YYYY-MM-DD); without it, the stored list of the last refresh',
    example: '2025-10-31',
  })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;
}

export class AsOfQuery {
  @ApiPropertyOptional({
    description: 'As of this date (YYYY-MM-DD), computed now; without it, the stored lists',
    example: '2025-10-31',
  })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;
}

export class RequiredAsOfQuery {
  @ApiProperty({ description: 'As of this date (YYYY-MM-DD)', example: '2025-10-31' })
  @Matches(DATE_PATTERN, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf: string;
}

export class LocalizedTextView {
  @ApiProperty() ja: string;
  @ApiProperty() en: string;
}

export class FiredIndicatorView {
  @ApiProperty({ example: 'attendance.projected_long_term' }) id: string;
  @ApiProperty({ type: LocalizedTextView }) title: LocalizedTextView;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'What the indicator measured (its unit is in the catalogue)',
  })
  value: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Since when it holds, by the data (YYYY-MM-DD)' })
  since: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The first refresh, in an unbroken line of refreshes, that found it (stored lists only)',
  })
  firstFlaggedOn: string | null;
}

export class WeeklyAbsencesView {
  @ApiProperty({ description: 'Monday of the week' }) week: string;
  @ApiProperty() absences: number;
}

export class AbsenceReasonView {
  @ApiProperty({ description: 'illness | economic | non_attendance | covid_avoidance | other | none (not given)' })
  reason: string;
  @ApiProperty() days: number;
}

/** A flagged student, by pseudonym: the warehouse and the API know no other name (see docs/watch-lists.md). */
export class WatchStudentView {
  @ApiProperty({ description: 'The student’s pseudonym' }) student: string;
  @ApiProperty() schoolCode: string;
  @ApiProperty({ type: String, nullable: true, description: 'The date the list is computed as of' }) asOf:
    string | null;
  @ApiProperty({ type: String, nullable: true }) grade: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The homeroom (a class sourcedId)' }) homeroomId:
    string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The homeroom’s title' }) homeroom: string | null;
  @ApiProperty({ description: 'Sum of the urgency weights of the indicators that fired: the list’s order' })
  urgency: number;
  @ApiProperty({ description: 'Absence days in the school year up to the as-of date' }) absentDays: number;
  @ApiProperty({ description: 'Late arrivals and early leaves in the school year up to the as-of date' })
  lateOrEarly: number;
  @ApiProperty({ type: [FiredIndicatorView] }) indicators: FiredIndicatorView[];
  @ApiProperty({ type: [WeeklyAbsencesView] }) weeklyAbsences: WeeklyAbsencesView[];
  @ApiProperty({ type: [AbsenceReasonView] }) reasons: AbsenceReasonView[];
}

export class WatchSchoolCountsView {
  @ApiProperty() schoolCode: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Enrolled students (null: redacted)' }) students:
    number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Students on the watch list (null: redacted)' }) flagged:
    number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number', nullable: true },
    description: 'Students per indicator',
  })
  byIndicator: Record<string, number | null>;
}

export class WatchSummaryView {
  @ApiProperty({ type: String, nullable: true }) asOf: string | null;
  @ApiProperty({ description: 'false: the counts passed disclosure control (an analyst)' }) exact: boolean;
  @ApiProperty({ type: [WatchSchoolCountsView] }) schools: WatchSchoolCountsView[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'What disclosure control applied',
  })
  disclosure: Record<string, unknown> | null;
}

export class IndicatorParameterView {
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['integer', 'text'] }) type: string;
  @ApiPropertyOptional() min?: number;
  @ApiPropertyOptional() max?: number;
  @ApiPropertyOptional({ type: [String] }) choices?: string[];
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }], description: 'The default, from the file' })
  default: number | string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }], description: 'The value in force' })
  value: number | string;
}

export class IndicatorView {
  @ApiProperty() id: string;
  @ApiProperty({ type: LocalizedTextView }) title: LocalizedTextView;
  @ApiProperty({ type: LocalizedTextView, description: 'With the thresholds in force written in' })
  description: LocalizedTextView;
  @ApiProperty() unit: string;
  @ApiProperty({ type: [String] }) sources: string[];
  @ApiProperty({ type: [IndicatorParameterView] }) parameters: IndicatorParameterView[];
  @ApiProperty() urgency: number;
  @ApiProperty({ enum: ['alone', 'with_another'] }) flags: string;
}

export class SetThresholdsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
    example: { min_absences: 6 },
    description: 'New values of some of the indicator’s parameters; they apply from the next computation',
  })
  @IsObject()
  parameters: Record<string, number | string>;
}

export class RefreshedView {
  @ApiProperty() schoolCode: string;
  @ApiProperty() asOf: string;
  @ApiProperty({ description: 'Indicator rows stored' }) flags: number;
}

export class SetHomeroomsDto {
  @ApiProperty({ example: 2025 })
  @TransformTo(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  academicYear: number;

  @ApiPropertyOptional({ type: [String], description: 'Homeroom class sourcedIds (of the teacher’s school)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  homeroomIds?: string[];

  @ApiPropertyOptional({
    description:
      'Instead of homeroomIds: the teacher’s sourcedId in the roster; the homerooms are those of its OneRoster teacher enrollments. Used for the lookup only, never stored.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  rosterTeacherId?: string;
}

export class HomeroomsView {
  @ApiProperty() userId: string;
  @ApiProperty() academicYear: number;
  @ApiProperty({ type: [String] }) homeroomIds: string[];
  @ApiProperty({ enum: ['board', 'oneroster'] }) source: string;
}

export class StudentIdentityView {
  @ApiProperty({ description: 'The school’s own ID of the student (users.csv identifier, else its sourcedId)' })
  localId: string;
  @ApiProperty({ type: String, nullable: true, description: '出席番号' }) shussekiNo: string | null;
  @ApiProperty({ type: String, nullable: true }) homeroomId: string | null;
  @ApiProperty({ type: String, nullable: true }) homeroomTitle: string | null;
}

export class IdentifiedStudentView extends WatchStudentView {
  @ApiProperty({ type: StudentIdentityView, nullable: true, description: 'null: not in the roster files given' })
  identity: StudentIdentityView | null;
}

export class IdentifiedWatchListView {
  @ApiProperty() schoolCode: string;
  @ApiProperty({ type: String, nullable: true }) asOf: string | null;
  @ApiProperty() matched: number;
  @ApiProperty() unmatched: number;
  @ApiProperty({ type: [IdentifiedStudentView] }) students: IdentifiedStudentView[];
}

export class IdentifyUploadDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'binary' },
    description:
      'The school’s OneRoster users.csv and enrollments.csv (classes.csv for homeroom titles); read in memory, never stored',
  })
  files?: unknown;

  @ApiPropertyOptional({ example: '2025-10-31' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;
}
