import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { LoggerModule, type Params } from 'nestjs-pino';
import { AuditInterceptor } from './audit/audit.interceptor.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { SameOriginGuard } from './auth/same-origin.guard.js';
import { BackupModule } from './backup/backup.module.js';
import { CohortsModule } from './cohorts/cohorts.module.js';
import { ErrorFilter } from './common/error.filter.js';
import { RateLimitGuard } from './common/rate-limit.js';
import { createValidationPipe } from './common/validation.js';
import type { ShirubeConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { DashboardsModule } from './dashboards/dashboards.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { SurveysModule } from './surveys/surveys.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SchoolsModule } from './schools/schools.module.js';
import { WarehouseModule } from './warehouse/warehouse.module.js';
import { WatchModule } from './watch/watch.module.js';
import { WebModule } from './web/web.module.js';

/** The whole HTTP service. CLI commands boot smaller modules (see cli/). */
@Module({})
export class AppModule {
  /** `logger`: nestjs-pino's parameters (observability/logging.ts). */
  static forRoot(config: ShirubeConfig, logger: Params): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(logger),
        ObservabilityModule.forRoot(true),
        DatabaseModule,
        WarehouseModule,
        AuditModule,
        AuthModule,
        HealthModule,
        SchoolsModule,
        IngestModule,
        MetricsModule,
        SurveysModule,
        CohortsModule,
        ReportsModule,
        WebModule,
        BackupModule,
        WatchModule,
        DashboardsModule,
      ],
      providers: [
        // Counted before anything is looked up: a flood is refused before it costs a query.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: SameOriginGuard },
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_INTERCEPTOR, useExisting: AuditInterceptor },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
