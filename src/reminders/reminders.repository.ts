import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { User } from '../auth/entities/user.entity.js';
import { Survey } from '../surveys/entities/survey.entity.js';
import { SurveyReminder, type ReminderKind } from './survey-reminder.entity.js';

/** Control-plane access for reminders: the reminders sent, issued surveys, and the schools' contact addresses. */
@Injectable()
export class RemindersRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  issuedSurveys(): Promise<Survey[]> {
    return this.dataSource.getRepository(Survey).find({ where: { status: 'issued' }, order: { deadline: 'ASC' } });
  }

  /**
   * Each school's contact addresses: the e-mail addresses of its enabled school users, set by the board on
   * the users page (lower case, each once).
   */
  async contactsOf(schoolCodes: string[]): Promise<Map<string, string[]>> {
    const contacts = new Map<string, string[]>();
    if (schoolCodes.length === 0) return contacts;
    const users = await this.dataSource.getRepository(User).find({
      where: { role: 'school', schoolCode: In(schoolCodes), disabledAt: IsNull(), email: Not(IsNull()) },
      order: { name: 'ASC' },
    });
    for (const user of users) {
      const list = contacts.get(user.schoolCode!) ?? [];
      const address = user.email!.toLowerCase();
      if (!list.includes(address)) list.push(address);
      contacts.set(user.schoolCode!, list);
    }
    return contacts;
  }

  /** Schools already reminded of this survey with this (automatic) kind. */
  async remindedSchools(surveyId: string, kind: ReminderKind): Promise<Set<string>> {
    const rows = await this.dataSource.getRepository(SurveyReminder).find({ where: { surveyId, kind } });
    return new Set(rows.map((row) => row.schoolCode));
  }

  /**
   * Records a reminder before it is mailed; false when an automatic one of this kind is recorded already
   * (the partial unique index), so a school never gets the same automatic reminder twice.
   */
  async claim(reminder: SurveyReminder): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO survey_reminders (id, survey_id, response_id, school_code, kind, recipients, sent_at, sent_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
      [
        reminder.id,
        reminder.surveyId,
        reminder.responseId,
        reminder.schoolCode,
        reminder.kind,
        reminder.recipients,
        reminder.sentAt,
        reminder.sentBy,
      ],
    );
    return rows.length > 0;
  }

  /** Forgets a claimed reminder whose mail the SMTP server refused: the next run tries again. */
  async release(id: string): Promise<void> {
    await this.dataSource.getRepository(SurveyReminder).delete({ id });
  }

  history(surveyId: string): Promise<SurveyReminder[]> {
    return this.dataSource
      .getRepository(SurveyReminder)
      .find({ where: { surveyId }, order: { sentAt: 'DESC', schoolCode: 'ASC' } });
  }
}
