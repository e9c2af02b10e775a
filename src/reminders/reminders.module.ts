import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { SurveysModule } from '../surveys/surveys.module.js';
import { MailModule } from '../mail/mail.module.js';
import { ReminderScheduler } from './reminder-scheduler.js';
import { RemindersRepository } from './reminders.repository.js';
import { RemindersService } from './reminders.service.js';

/** Reminders by mail to schools that have not submitted a survey. */
@Module({
  imports: [AuditModule, MailModule, SurveysModule],
  providers: [RemindersRepository, RemindersService, ReminderScheduler],
  exports: [RemindersService, ReminderScheduler],
})
export class RemindersModule {}
