import { Module } from '@nestjs/common';
import { Mailer } from './mailer.js';

/** Outgoing mail through the board's SMTP server: survey reminders and support-case reviews. */
@Module({ providers: [Mailer], exports: [Mailer] })
export class MailModule {}
