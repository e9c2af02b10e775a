import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CohortsModule } from '../cohorts/cohorts.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { SurveysModule } from '../surveys/surveys.module.js';
import { ReportDataService } from './report-data.js';
import { ReportRetention } from './report-retention.js';
import { ReportRunsService } from './report-runs.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';

@Module({
  imports: [AuditModule, MetricsModule, CohortsModule, SurveysModule],
  controllers: [ReportsController],
  providers: [ReportDataService, ReportsService, ReportRunsService, ReportRetention],
  exports: [ReportsService, ReportRunsService, ReportDataService],
})
export class ReportsModule {}
