import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Localized, QuestionType, SurveyTargets } from '../survey.types.js';

@Entity({ name: 'surveys' })
export class Survey {
  @PrimaryColumn('uuid') id: string;
  @Column('jsonb') title: Localized;
  @Column('jsonb') description: Localized;
  @Column({ name: 'academic_year', type: 'integer' }) academicYear: number;
  @Column({ name: 'as_of_date', type: 'date' }) asOfDate: string;
  @Column({ type: 'date' }) deadline: string;
  @Column('jsonb') targets: SurveyTargets;
  @Column('text') status: 'draft' | 'issued' | 'closed';
  @Column('jsonb') warnings: object[];
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'issued_at', type: 'timestamptz', nullable: true }) issuedAt: Date | null;
}

@Entity({ name: 'survey_questions' })
export class SurveyQuestion {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'survey_id', type: 'uuid' }) surveyId: string;
  @Column('integer') position: number;
  @Column('text') code: string;
  @Column('jsonb') text: Localized;
  @Column('text') type: QuestionType;
  @Column({ type: 'jsonb', nullable: true }) choices: string[] | null;
  @Column({ name: 'grid_dims', type: 'jsonb', nullable: true }) gridDims: string[] | null;
  @Column({ type: 'jsonb', nullable: true }) binding: import('../survey.types.js').Binding | null;
  @Column('jsonb') rules: import('../survey.types.js').QuestionRule[];
  @Column('boolean') required: boolean;
}

@Entity({ name: 'survey_responses' })
export class SurveyResponse {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'survey_id', type: 'uuid' }) surveyId: string;
  @Column({ name: 'school_code', type: 'text' }) schoolCode: string;
  @Column({ name: 'school_name', type: 'text' }) schoolName: string;
  @Column('text') status: 'not_opened' | 'in_progress' | 'submitted' | 'returned';
  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true }) openedAt: Date | null;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt: Date | null;
  @Column({ name: 'submitted_by', type: 'text', nullable: true }) submittedBy: string | null;
  @Column({ name: 'return_reason', type: 'text', nullable: true }) returnReason: string | null;
  @Column('integer') version: number;
}

@Entity({ name: 'survey_answers' })
export class SurveyAnswer {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'response_id', type: 'uuid' }) responseId: string;
  @Column({ name: 'question_id', type: 'uuid' }) questionId: string;
  @Column({ type: 'jsonb', nullable: true }) value: import('../survey.types.js').AnswerValue | null;
  @Column('text') source: 'prefilled' | 'changed' | 'manual';
  @Column({ name: 'prefilled_value', type: 'jsonb', nullable: true }) prefilledValue:
    import('../survey.types.js').AnswerValue | null;
  @Column({ name: 'last_year_value', type: 'jsonb', nullable: true }) lastYearValue:
    import('../survey.types.js').AnswerValue | null;
  @Column({ type: 'jsonb', nullable: true }) provenance: import('../batch-sets.js').StoredProvenance | null;
  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true }) confirmedAt: Date | null;
  @Column({ name: 'confirmed_prefill', type: 'jsonb', nullable: true }) confirmedPrefill:
    import('../survey.types.js').AnswerValue | null;
  @Column({ name: 'change_reason', type: 'text', nullable: true }) changeReason: string | null;
  @Column('jsonb') explanations: Record<string, string>;
  @Column({ name: 'updated_by', type: 'text', nullable: true }) updatedBy: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column('integer') version: number;
}
