import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { IngestEvents } from './ingest-events.js';
import { IngestUploads } from './ingest-uploads.js';
import { IngestController } from './ingest.controller.js';
import { IngestRepository } from './ingest.repository.js';
import { IngestService } from './ingest.service.js';

@Module({
  imports: [AuditModule],
  controllers: [IngestController],
  providers: [IngestService, IngestRepository, IngestUploads, IngestEvents],
  exports: [IngestService, IngestEvents, IngestUploads],
})
export class IngestModule {}
