import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { WebErrorFilter } from '../web/web-error.filter.js';
import { WebSessions } from '../web/web-session.js';
import { WatchModule } from '../watch/watch.module.js';
import { DashboardAttendance } from './dashboard-attendance.js';
import { DashboardsRepository } from './dashboards.repository.js';
import { DashboardsService } from './dashboards.service.js';
import { WebDashboardsController } from './web-dashboards.controller.js';

@Module({
  imports: [AuditModule, AuthModule, MetricsModule, WatchModule],
  controllers: [WebDashboardsController],
  providers: [DashboardAttendance, DashboardsRepository, DashboardsService, WebSessions, WebErrorFilter],
  exports: [DashboardsService],
})
export class DashboardsModule {}
