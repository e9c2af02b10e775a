/**
 * The shapes the survey endpoints answer with, for OpenAPI. Each class implements the type the service
 * returns, so the build fails when the two part.
 */
import { ApiProperty, ApiPropertyOptional, type SchemaObject } from '@nestjs/swagger';
import { schemaProperty } from '../../common/api-schema.js';
import { LocalizedView } from '../../common/localized.view.js';
import type { Survey, SurveyQuestion, SurveyResponse } from '../entities/survey.entity.js';
import type { SchoolStatus } from '../survey-reports.service.js';
import { QUESTION_TYPES, SCHOOL_TYPES } from '../survey.types.js';
import type { SurveyWarning } from '../survey-definition-check.js';

/** A grid answer's cells, a number or a text: what an answer's value can be. */
export const ANSWER_VALUE_SCHEMA: SchemaObject = {
  nullable: true,
  oneOf: [
    { type: 'number' },
    { type: 'string' },
    {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          dims: { type: 'object', additionalProperties: { type: 'string' } },
          value: { type: 'number' },
        },
      },
    },
  ],
};

export const TARGETS_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Which schools: all, by school type, or a list of school codes',
  properties: {
    kind: { type: 'string', enum: ['all', 'school_type', 'list'] },
    schoolTypes: { type: 'array', items: { type: 'string', enum: [...SCHOOL_TYPES] } },
    schoolCodes: { type: 'array', items: { type: 'string' } },
  },
  required: ['kind'],
};

export class SurveyView implements Survey {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: LocalizedView }) title: LocalizedView;
  @ApiProperty({ type: LocalizedView }) description: LocalizedView;
  @ApiProperty({ example: 2025 }) academicYear: number;
  @ApiProperty({ format: 'date' }) asOfDate: string;
  @ApiProperty({ format: 'date' }) deadline: string;
  @ApiProperty(schemaProperty(TARGETS_SCHEMA)) targets: Survey['targets'];
  @ApiProperty({ enum: ['draft', 'issued', 'closed'] }) status: Survey['status'];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Warnings given when it was created' })
  warnings: object[];
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) issuedAt: Date | null;
}

export class QuestionView implements SurveyQuestion {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) surveyId: string;
  @ApiProperty() position: number;
  @ApiProperty({ example: 'lta_total' }) code: string;
  @ApiProperty({ type: LocalizedView }) text: LocalizedView;
  @ApiProperty({ enum: QUESTION_TYPES }) type: SurveyQuestion['type'];
  @ApiPropertyOptional({ type: [String], nullable: true }) choices: string[] | null;
  @ApiPropertyOptional({ type: [String], nullable: true }) gridDims: string[] | null;
  @ApiPropertyOptional({
    type: 'object',
    nullable: true,
    description: 'The metric that answers it, and which of its rows count',
    properties: { metric: { type: 'string' }, filter: { type: 'object', additionalProperties: true } },
  })
  binding: SurveyQuestion['binding'];
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Errors and queries',
  })
  rules: SurveyQuestion['rules'];
  @ApiProperty() required: boolean;
}

export class SurveyWarningView implements SurveyWarning {
  @ApiProperty({ enum: ['duplicate_request', 'bind_suggestion'] }) kind: SurveyWarning['kind'];
  @ApiProperty() question: string;
  @ApiProperty({ type: LocalizedView }) message: LocalizedView;
  @ApiPropertyOptional({ format: 'uuid' }) otherSurveyId?: string;
  @ApiPropertyOptional() metric?: string;
}

export class SurveyDetailView {
  @ApiProperty({ type: SurveyView }) survey: SurveyView;
  @ApiProperty({ type: [QuestionView] }) questions: QuestionView[];
}

export class CreatedSurveyView extends SurveyDetailView {
  @ApiProperty({ type: [SurveyWarningView] }) warnings: SurveyWarningView[];
}

export class IssuedSurveyView {
  @ApiProperty({ type: SurveyView }) survey: SurveyView;
  @ApiProperty({ description: 'Responses made, one per target school' }) responses: number;
  @ApiProperty({ description: 'Answers pre-filled from data' }) prefilled: number;
}

const RETURN_STATUSES = ['not_opened', 'in_progress', 'submitted', 'returned', 'overdue'];

export class SchoolStatusView implements SchoolStatus {
  @ApiProperty({ format: 'uuid' }) responseId: string;
  @ApiProperty() schoolCode: string;
  @ApiProperty() schoolName: string;
  @ApiProperty({ enum: RETURN_STATUSES }) status: SchoolStatus['status'];
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
}

export class SurveyStatusView {
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(RETURN_STATUSES.map((s) => [s, { type: 'integer' }])),
    description: 'Schools at each status',
  })
  counts: Record<SchoolStatus['status'], number>;
  @ApiProperty({ type: [SchoolStatusView] }) schools: SchoolStatusView[];
  @ApiProperty({ type: [SchoolStatusView] }) overdue: SchoolStatusView[];
}

class ResultQuestionView {
  @ApiProperty() code: string;
  @ApiProperty({ type: LocalizedView }) text: LocalizedView;
  @ApiProperty({ enum: QUESTION_TYPES }) type: string;
  @ApiPropertyOptional({ type: [String], nullable: true }) gridDims: string[] | null;
}

class ResultSchoolView {
  @ApiProperty() schoolCode: string;
  @ApiProperty() schoolName: string;
  @ApiProperty({ enum: ['not_opened', 'in_progress', 'submitted', 'returned'] }) status: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty(
    schemaProperty({
      type: 'object',
      description: 'Answers by question code',
      additionalProperties: {
        type: 'object',
        properties: {
          value: ANSWER_VALUE_SCHEMA,
          source: { type: 'string', enum: ['prefilled', 'changed', 'manual'] },
        },
      },
    }),
  )
  answers: Record<string, unknown>;
}

class ResultSurveyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: LocalizedView }) title: LocalizedView;
  @ApiProperty() academicYear: number;
}

export class SurveyResultsView {
  @ApiProperty({ type: ResultSurveyView }) survey: ResultSurveyView;
  @ApiProperty({ type: [ResultQuestionView] }) questions: ResultQuestionView[];
  @ApiProperty({ type: [ResultSchoolView] }) schools: ResultSchoolView[];
}

class BurdenFigures {
  @ApiProperty({ description: 'Answers accepted as pre-filled from data' }) prefilled: number;
  @ApiProperty({ description: 'Answers changed from the pre-filled figure' }) changed: number;
  @ApiProperty({ description: 'Answers typed by hand' }) manual: number;
}

class SchoolBurdenView extends BurdenFigures {
  @ApiProperty() schoolCode: string;
  @ApiProperty() schoolName: string;
}

export class BurdenView {
  @ApiProperty({ type: BurdenFigures }) total: BurdenFigures;
  @ApiProperty({ type: [SchoolBurdenView] }) schools: SchoolBurdenView[];
}

/** A school's response as listed (GET /api/responses): open it for its answers. */
export class ResponseSummaryView implements Omit<SurveyResponse, 'openedAt' | 'submittedAt'> {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) surveyId: string;
  @ApiProperty() schoolCode: string;
  @ApiProperty() schoolName: string;
  @ApiProperty({ enum: ['not_opened', 'in_progress', 'submitted', 'returned'] }) status: SurveyResponse['status'];
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) openedAt: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) submittedBy: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) returnReason: string | null;
  @ApiProperty() version: number;
}
