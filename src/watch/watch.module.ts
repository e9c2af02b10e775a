import { Module, OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { MailModule } from '../mail/mail.module.js';
import { WebErrorFilter } from '../web/web-error.filter.js';
import { WebSessions } from '../web/web-session.js';
import { WebWatchController } from './web-watch.controller.js';
import { IngestEvents } from '../ingest/ingest-events.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { CaseReminders } from './case-reminders.js';
import { CasesController } from './cases.controller.js';
import { CasesRepository } from './cases.repository.js';
import { CasesService } from './cases.service.js';
import { WatchController } from './watch.controller.js';
import { WatchRepository } from './watch.repository.js';
import { IndicatorSettings } from './indicator-settings.service.js';
import { TeacherHomerooms } from './teacher-homerooms.service.js';
import { WatchRefresher } from './watch-refresh.service.js';
import { WatchService } from './watch.service.js';

@Module({
  imports: [AuditModule, AuthModule, IngestModule, MailModule],
  controllers: [WatchController, CasesController, WebWatchController],
  providers: [
    WatchRepository,
    IndicatorSettings,
    WatchRefresher,
    TeacherHomerooms,
    WatchService,
    CasesRepository,
    CasesService,
    CaseReminders,
    WebSessions,
    WebErrorFilter,
  ],
  exports: [IndicatorSettings, WatchRefresher, WatchService, WatchRepository, CasesService, CaseReminders],
})
export class WatchModule implements OnModuleInit {
  constructor(
    private readonly events: IngestEvents,
    private readonly refresher: WatchRefresher,
  ) {}

  /** Every committed batch refreshes the watch lists of the schools it touched. */
  onModuleInit(): void {
    this.events.onBatchLoaded((batchId) => this.refresher.refreshAfterBatch(batchId));
  }
}
