import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import type { Survey } from '../surveys/entities/survey.entity.js';
import { SurveyReportsService, type SchoolStatus } from '../surveys/survey-reports.service.js';
import { Mailer } from '../mail/mailer.js';
import { reminderMail } from './reminder-mail.js';
import { RemindersRepository } from './reminders.repository.js';
import type { ReminderKind, SurveyReminder } from './survey-reminder.entity.js';

const DAY_MS = 86_400_000;
const NOT_SUBMITTED = new Set(['not_opened', 'in_progress', 'returned', 'overdue']);

/** Tokyo's calendar date (deadlines are dates in Japan). */
const dateInJapan = (at: Date) => new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
const addDays = (isoDate: string, days: number) =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** What one round of reminders did for one survey. */
export interface ReminderRound {
  surveyId: string;
  kind: ReminderKind;
  /** Schools mailed now. */
  sent: string[];
  /** Schools that have not submitted but have no contact address (the users page sets them). */
  withoutAddress: string[];
  /** Schools whose mail the SMTP server refused. */
  failed: string[];
}

/** Which automatic reminder, if any, a survey is due at `now`: before its deadline, or past it. */
export function automaticKindAt(deadline: string, now: Date, daysBefore: number): ReminderKind | null {
  const today = dateInJapan(now);
  if (today > deadline) return 'overdue';
  if (daysBefore > 0 && today >= addDays(deadline, -daysBefore)) return 'before_deadline';
  return null;
}

/**
 * Reminders by mail to the schools that have not submitted a survey: when the board asks, some days
 * before the deadline (SHIRUBE_REMINDER_DAYS_BEFORE) and once it has passed. Each goes to the school's
 * contact addresses with the link to its own response page, and is recorded (survey_reminders) and audited
 * by counts, never by address.
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger('Reminders');

  constructor(
    private readonly repository: RemindersRepository,
    private readonly reports: SurveyReportsService,
    private readonly mailer: Mailer,
    private readonly audit: AuditService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  get mailConfigured(): boolean {
    return this.mailer.configured;
  }

  /** The board's "remind" button: one mail to each school that has not submitted. */
  async remindNow(survey: Survey, sentBy: string | null, origin: string, now = new Date()): Promise<ReminderRound> {
    return this.round(survey, 'manual', sentBy, origin, now);
  }

  /** The automatic round over every issued survey (the scheduler calls it; tests give the time). */
  async remindAutomatically(now = new Date()): Promise<ReminderRound[]> {
    if (!this.mailer.configured) return [];
    const rounds: ReminderRound[] = [];
    for (const survey of await this.repository.issuedSurveys()) {
      const kind = automaticKindAt(survey.deadline, now, this.config.mail.remindDaysBefore);
      if (kind) rounds.push(await this.round(survey, kind, null, this.linkOrigin(), now));
    }
    return rounds.filter((round) => round.sent.length + round.failed.length > 0);
  }

  history(surveyId: string): Promise<SurveyReminder[]> {
    return this.repository.history(surveyId);
  }

  /** Where links in automatic mails point: SHIRUBE_PUBLIC_ORIGIN, else the address the server listens at. */
  linkOrigin(): string {
    if (this.config.publicOrigin) return this.config.publicOrigin;
    const host = this.config.host === '0.0.0.0' ? 'localhost' : this.config.host;
    return `http://${host}:${this.config.port}`;
  }

  private async round(
    survey: Survey,
    kind: ReminderKind,
    sentBy: string | null,
    origin: string,
    now: Date,
  ): Promise<ReminderRound> {
    const { schools } = await this.reports.status(survey.id, now);
    const open = schools.filter((school) => NOT_SUBMITTED.has(school.status));
    const already = kind === 'manual' ? new Set<string>() : await this.repository.remindedSchools(survey.id, kind);
    const due = open.filter((school) => !already.has(school.schoolCode));
    const contacts = await this.repository.contactsOf(due.map((school) => school.schoolCode));
    const result: ReminderRound = { surveyId: survey.id, kind, sent: [], withoutAddress: [], failed: [] };
    for (const school of due) {
      const to = contacts.get(school.schoolCode) ?? [];
      if (to.length === 0) {
        result.withoutAddress.push(school.schoolCode);
        continue;
      }
      const outcome = await this.sendOne(survey, school, kind, to, sentBy, origin, now);
      (outcome ? result.sent : result.failed).push(school.schoolCode);
    }
    if (result.sent.length + result.failed.length + (kind === 'manual' ? result.withoutAddress.length : 0) > 0)
      await this.audit.record({
        action: 'survey.remind',
        targetType: 'survey',
        targetId: survey.id,
        after: {
          kind,
          schoolsSent: result.sent.length,
          schoolsFailed: result.failed.length,
          schoolsWithoutAddress: result.withoutAddress.length,
        },
      });
    return result;
  }

  private async sendOne(
    survey: Survey,
    school: SchoolStatus,
    kind: ReminderKind,
    to: string[],
    sentBy: string | null,
    origin: string,
    now: Date,
  ): Promise<boolean> {
    const reminder: SurveyReminder = {
      id: randomUUID(),
      surveyId: survey.id,
      responseId: school.responseId,
      schoolCode: school.schoolCode,
      kind,
      recipients: to.length,
      sentAt: now,
      sentBy,
    };
    if (!(await this.repository.claim(reminder))) return false;
    const mail = reminderMail({
      kind,
      surveyTitle: survey.title.ja,
      academicYear: survey.academicYear,
      deadline: survey.deadline,
      schoolName: school.schoolName,
      status: school.status,
      link: `${origin}/responses/${school.responseId}`,
    });
    try {
      await this.mailer.send({ to, ...mail });
      return true;
    } catch (error) {
      await this.repository.release(reminder.id);
      // The server's words may name the recipient: only its codes reach the log (no address in logs).
      const { code, responseCode } = error as { code?: string; responseCode?: number };
      this.logger.warn(
        `a reminder of survey ${survey.id} was not sent: SMTP ${responseCode ?? ''} ${code ?? 'error'}`.trim(),
      );
      return false;
    }
  }
}
