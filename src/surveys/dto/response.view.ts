/** The shapes of a school's response as the API gives it, for OpenAPI; each implements the service's type. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { schemaProperty } from '../../common/api-schema.js';
import { LocalizedView } from '../../common/localized.view.js';
import type { RuleFinding } from '../answer-rules.js';
import type { EvidenceView as Evidence } from '../evidence.service.js';
import type { AnswerView as Answer, ResponseView as Response } from '../response-view.js';
import type { Provenance } from '../survey.types.js';
import { QUESTION_TYPES } from '../survey.types.js';
import { ANSWER_VALUE_SCHEMA } from './survey.view.js';

export class FindingView implements RuleFinding {
  @ApiProperty({ description: 'The rule within its question (to attach an explanation)', example: '0:range' })
  rule: string;
  @ApiProperty({ enum: ['error', 'query'], description: 'An error blocks submission; a query needs an explanation' })
  severity: RuleFinding['severity'];
  @ApiProperty({ type: LocalizedView }) message: LocalizedView;
  @ApiPropertyOptional() explanation?: string;
}

export class ProvenanceView implements Provenance {
  @ApiProperty() metric: string;
  @ApiProperty(schemaProperty({ type: 'object', additionalProperties: true })) filter: Provenance['filter'];
  @ApiProperty() academicYear: number;
  @ApiProperty({ type: [String], description: 'Ingest batches the figure was computed from' }) batches: string[];
  @ApiProperty({ format: 'date-time' }) computedAt: string;
}

export class AnswerView implements Answer {
  @ApiProperty({ format: 'uuid' }) questionId: string;
  @ApiProperty() code: string;
  @ApiProperty({ type: LocalizedView }) text: LocalizedView;
  @ApiProperty({ enum: QUESTION_TYPES }) type: Answer['type'];
  @ApiPropertyOptional({ type: [String], nullable: true }) choices: string[] | null;
  @ApiPropertyOptional({ type: [String], nullable: true }) gridDims: string[] | null;
  @ApiProperty({ description: 'Bound to a metric: pre-filled from data' }) bound: boolean;
  @ApiProperty(schemaProperty(ANSWER_VALUE_SCHEMA)) value: Answer['value'];
  @ApiProperty({ enum: ['prefilled', 'changed', 'manual'] }) source: Answer['source'];
  @ApiProperty(schemaProperty(ANSWER_VALUE_SCHEMA)) prefilledValue: Answer['prefilledValue'];
  @ApiProperty(schemaProperty(ANSWER_VALUE_SCHEMA)) lastYearValue: Answer['lastYearValue'];
  @ApiPropertyOptional({ type: ProvenanceView, nullable: true }) provenance: ProvenanceView | null;
  @ApiProperty() confirmed: boolean;
  @ApiProperty({ description: 'Confirmed or changed, and the data has moved since' })
  dataChangedSinceConfirmed: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) changeReason: string | null;
  @ApiProperty({ type: [FindingView] }) findings: FindingView[];
  @ApiProperty({ description: 'Send it back with a change: a stale one is SURVEY_RESPONSE_STALE' }) version: number;
}

class ResponseSurveyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: LocalizedView }) title: LocalizedView;
  @ApiProperty() academicYear: number;
  @ApiProperty({ format: 'date' }) asOfDate: string;
  @ApiProperty({ format: 'date' }) deadline: string;
}

export class ResponseView implements Response {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: ResponseSurveyView }) survey: ResponseSurveyView;
  @ApiProperty() schoolCode: string;
  @ApiProperty() schoolName: string;
  @ApiProperty({ enum: ['not_opened', 'in_progress', 'submitted', 'returned'] }) status: Response['status'];
  @ApiPropertyOptional({ type: String, nullable: true }) returnReason: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty({ description: 'Send it back with a submission: a stale one is SURVEY_RESPONSE_STALE' })
  version: number;
  @ApiProperty({ type: [AnswerView] }) answers: AnswerView[];
  @ApiProperty({ description: 'No error stands and every query is explained' }) canSubmit: boolean;
}

class EvidenceBreakdownView {
  @ApiProperty() grade: string;
  @ApiProperty() homeroom: string;
  @ApiProperty() rows: number;
}

export class EvidenceView implements Evidence {
  @ApiProperty() available: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) metric: string | null;
  @ApiProperty({ type: [EvidenceBreakdownView], description: 'The figure by grade and homeroom' })
  breakdown: EvidenceBreakdownView[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'The pseudonymous rows behind the figure (student = the first characters of the pseudonym)',
  })
  rows: Record<string, unknown>[];
  @ApiPropertyOptional() note?: string;
}
