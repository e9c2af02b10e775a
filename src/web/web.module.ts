import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CohortsModule } from '../cohorts/cohorts.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { RemindersModule } from '../reminders/reminders.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { SchoolsModule } from '../schools/schools.module.js';
import { SurveysModule } from '../surveys/surveys.module.js';
import { WebErrorFilter } from './web-error.filter.js';
import { WebResponsesController } from './web-responses.controller.js';
import { WebSessions } from './web-session.js';
import { WebReportsController } from './web-reports.controller.js';
import { WebSurveysController } from './web-surveys.controller.js';
import { WebSurveyBuilderController } from './web-survey-builder.controller.js';
import { WebUsersController } from './web-users.controller.js';
import { WebDataController } from './web-data.controller.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { WebController } from './web.controller.js';
import { WebCohortsController } from './web-cohorts.controller.js';

/** The server-rendered pages: sign-in, home, surveys for schools and the board, reports, and the analyst's cohorts. */
@Module({
  imports: [
    AuthModule,
    AuditModule,
    MetricsModule,
    SurveysModule,
    ReportsModule,
    RemindersModule,
    SchoolsModule,
    IngestModule,
    CohortsModule,
  ],
  controllers: [
    WebController,
    WebResponsesController,
    WebSurveysController,
    WebSurveyBuilderController,
    WebReportsController,
    WebUsersController,
    WebDataController,
    WebCohortsController,
  ],
  providers: [WebSessions, WebErrorFilter],
})
export class WebModule {}
