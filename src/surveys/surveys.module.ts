import { Module, OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { IngestEvents } from '../ingest/ingest-events.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { EvidenceService } from './evidence.service.js';
import { ResponsesController } from './responses.controller.js';
import { ResponsesService } from './responses.service.js';
import { SurveyDraftsService } from './survey-drafts.service.js';
import { SurveyReportsService } from './survey-reports.service.js';
import { SurveysController } from './surveys.controller.js';
import { SurveyTemplatesController } from './survey-templates.controller.js';
import { SurveysRepository } from './surveys.repository.js';
import { SurveysService } from './surveys.service.js';

@Module({
  imports: [AuditModule, MetricsModule, IngestModule],
  controllers: [SurveysController, SurveyTemplatesController, ResponsesController],
  providers: [
    SurveysRepository,
    SurveysService,
    SurveyDraftsService,
    ResponsesService,
    SurveyReportsService,
    EvidenceService,
  ],
  exports: [SurveysService, SurveyDraftsService, ResponsesService, SurveyReportsService, EvidenceService],
})
export class SurveysModule implements OnModuleInit {
  constructor(
    private readonly events: IngestEvents,
    private readonly surveys: SurveysService,
  ) {}

  /** New data refreshes open responses' pre-filled answers. */
  onModuleInit(): void {
    this.events.onBatchLoaded(() => this.surveys.refreshOpenResponses());
  }
}
