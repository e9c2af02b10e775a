import { Module, OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { IngestEvents } from '../ingest/ingest-events.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { WatchRepository } from './watch.repository.js';
import { WatchService } from './watch.service.js';

@Module({
  imports: [AuditModule, IngestModule],
  controllers: [],
  providers: [WatchRepository, WatchService],
  exports: [WatchService],
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
