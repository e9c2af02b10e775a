import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { CasesRepository } from '../watch/cases.repository.js';
import { CohortChoicesService } from './cohort-choices.js';
import { CohortWarehouse } from './cohort-warehouse.js';
import { CohortsController } from './cohorts.controller.js';
import { CohortsRepository } from './cohorts.repository.js';
import { CohortsService } from './cohorts.service.js';

@Module({
  imports: [AuditModule, MetricsModule],
  controllers: [CohortsController],
  // The cases' repository (it needs only the data source) without the watch module's mail, timers and pages.
  providers: [CohortWarehouse, CohortsRepository, CohortsService, CohortChoicesService, CasesRepository],
  exports: [CohortsService, CohortChoicesService],
})
export class CohortsModule {}
