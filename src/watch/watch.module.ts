import { Module, OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { IngestEvents } from '../ingest/ingest-events.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { CasesController } from './cases.controller.js';
import { CasesRepository } from './cases.repository.js';
import { CasesService } from './cases.service.js';
import { WatchController } from './watch.controller.js';
import { WatchRepository } from './watch.repository.js';
import { WatchService } from './watch.service.js';

@Module({
  imports: [AuditModule, IngestModule],
  controllers: [WatchController, CasesController],
  providers: [WatchRepository, WatchService, CasesRepository, CasesService],
  exports: [WatchService, CasesService],
})
export class WatchModule implements OnModuleInit {
  constructor(
    private readonly events: IngestEvents,
    private readonly watch: WatchService,
  ) {}

  /** Every committed batch refreshes the watch lists of the schools it touched. */
  onModuleInit(): void {
    this.events.onBatchLoaded((batchId) => this.watch.refreshAfterBatch(batchId));
  }
}
