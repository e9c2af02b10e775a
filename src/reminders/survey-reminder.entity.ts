import { Column, Entity, PrimaryColumn } from 'typeorm';

export const REMINDER_KINDS = ['manual', 'before_deadline', 'overdue'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** One reminder mailed to one school for one survey: when, why, to how many of its addresses. */
@Entity({ name: 'survey_reminders' })
export class SurveyReminder {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'survey_id', type: 'uuid' }) surveyId: string;
  @Column({ name: 'response_id', type: 'uuid' }) responseId: string;
  @Column({ name: 'school_code', type: 'text' }) schoolCode: string;
  @Column('text') kind: ReminderKind;
  @Column('integer') recipients: number;
  @Column({ name: 'sent_at', type: 'timestamptz' }) sentAt: Date;
  /** The board user who asked (a manual reminder); null for the automatic ones. */
  @Column({ name: 'sent_by', type: 'text', nullable: true }) sentBy: string | null;
}
