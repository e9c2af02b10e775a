import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
}

/** Mail through the board's SMTP server (SHIRUBE_SMTP_URL, SHIRUBE_MAIL_FROM), with nodemailer. */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly transport: Transporter | null;

  constructor(@Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig) {
    this.transport = config.mail.smtpUrl ? nodemailer.createTransport(config.mail.smtpUrl) : null;
  }

  get configured(): boolean {
    return this.transport !== null;
  }

  /** Sends one mail (UTF-8, so Japanese subject and body as they are); throws when the server refuses it. */
  async send(mail: OutgoingMail): Promise<void> {
    if (!this.transport) throw new Error('no SMTP server is configured (SHIRUBE_SMTP_URL)');
    await this.transport.sendMail({
      from: this.config.mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
    });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
