import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { CLI_ACTOR, requestContext } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { label } from '../labels/labels.js';
import { CasesRepository } from './cases.repository.js';
import { Mailer } from '../mail/mailer.js';

/**
 * Reminders of support cases' review dates: once a case's next review date has come, one mail to the
 * school's address (SHIRUBE_WATCH_MAIL_TO, `{school}` standing for its code) says a case is due for review,
 * with a link — never the student, a note or a name. Swept at start and hourly, and on demand (`sweep`).
 */
@Injectable()
export class CaseReminders implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CaseReminders');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cases: CasesRepository,
    private readonly audit: AuditService,
    private readonly mailer: Mailer,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.mailer.configured || !this.config.watchMail.to) return;
    this.timer = setInterval(
      () => void this.sweep().catch((error: Error) => this.logger.error(error.message)),
      3_600_000,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Sends the reminders due by `today`; returns how many went out. */
  async sweep(today = new Date().toISOString().slice(0, 10)): Promise<number> {
    const { to } = this.config.watchMail;
    if (!this.mailer.configured || !to) return 0;
    let sent = 0;
    for (const due of await this.cases.dueReminders(today)) {
      const address = to.replace('{school}', due.school_code.toLowerCase());
      const link = `${this.config.publicOrigin ?? `http://${this.config.host}:${this.config.port}`}/watch/cases/${due.id}`;
      await this.mailer.send({
        to: [address],
        subject: `【見守りケース】見直し日になりました(${due.next_review_on})`,
        text: [
          `${due.school_code} の見守りケースの見直し日(${due.next_review_on})になりました。`,
          `状況: ${label('caseStatus', due.status, 'ja')}`,
          `担当: ${due.responsible ? label('caseResponsible', due.responsible, 'ja') : '未設定'}`,
          '',
          `ケースを開く: ${link}`,
          '',
          'このメールはShirubeが自動で送っています。児童生徒の情報は含みません。',
        ].join('\n'),
      });
      await this.cases.markReminded(due.id, due.next_review_on!);
      await requestContext.run(CLI_ACTOR, () =>
        this.audit.record({
          action: 'case.reminder.sent',
          targetType: 'support_case',
          targetId: due.id,
          after: { reviewOn: due.next_review_on },
        }),
      );
      sent++;
    }
    return sent;
  }
}
