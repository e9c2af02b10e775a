import type { Locale } from '../config/config.js';
import { academicYearLabel, dateLabel, label } from '../labels/labels.js';
import type { ReminderKind } from './survey-reminder.entity.js';

export interface ReminderMailInput {
  kind: ReminderKind;
  surveyTitle: string;
  academicYear: number;
  deadline: string;
  schoolName: string;
  /** The school's state for this survey (not_opened, in_progress, returned, overdue). */
  status: string;
  /** The school's own response page. */
  link: string;
}

/**
 * A reminder to a school in Japanese (the language of the schools it goes to; English on request): what is
 * asked, by when, where the school is with it, and the link to its own response page.
 */
export function reminderMail(input: ReminderMailInput, locale: Locale = 'ja'): { subject: string; text: string } {
  const deadline = dateLabel(input.deadline, locale);
  const status = label('responseStatus', input.status, locale);
  if (locale === 'en') {
    const subject =
      input.kind === 'overdue'
        ? `[Shirube] The deadline of "${input.surveyTitle}" has passed`
        : `[Shirube] Please submit "${input.surveyTitle}" (due ${deadline})`;
    return {
      subject,
      text: [
        `To the person in charge at ${input.schoolName},`,
        '',
        input.kind === 'overdue'
          ? `The deadline (${deadline}) of the board's survey "${input.surveyTitle}" (${academicYearLabel(input.academicYear, 'en')}) has passed and your school's response has not been submitted yet.`
          : `The board asks your school to submit its response to the survey "${input.surveyTitle}" (${academicYearLabel(input.academicYear, 'en')}) by ${deadline}.`,
        `Your school's response: ${status}`,
        '',
        `Response page: ${input.link}`,
        '',
        'Most answers are already filled in from the data: check them, correct what needs it, and submit.',
        'This mail was sent by Shirube; replies do not reach the board.',
      ].join('\n'),
    };
  }
  const subject =
    input.kind === 'overdue'
      ? `【しるべ】調査「${input.surveyTitle}」の提出期限を過ぎています`
      : `【しるべ】調査「${input.surveyTitle}」の提出のお願い(期限 ${deadline})`;
  return {
    subject,
    text: [
      `${input.schoolName} ご担当者様`,
      '',
      input.kind === 'overdue'
        ? `教育委員会の調査「${input.surveyTitle}」(${academicYearLabel(input.academicYear, 'ja')})は提出期限(${deadline})を過ぎましたが、貴校の回答はまだ提出されていません。至急ご提出ください。`
        : `教育委員会の調査「${input.surveyTitle}」(${academicYearLabel(input.academicYear, 'ja')})への回答を、${deadline}までにご提出ください。`,
      `貴校の回答の状況: ${status}`,
      '',
      `回答ページ: ${input.link}`,
      '',
      '回答の多くはデータから入力済みです。内容を確認し、必要な箇所を修正して提出してください。',
      'このメールは しるべ から自動で送信しています。返信しても教育委員会には届きません。',
    ].join('\n'),
  };
}
