import { mkdirSync } from 'node:fs';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { controlPlaneMigrations } from '../../migrations/index.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { ApiToken } from '../auth/entities/api-token.entity.js';
import { User } from '../auth/entities/user.entity.js';
import { WebSession } from '../auth/entities/web-session.entity.js';
import type { ShirubeConfig } from '../config/config.js';
import { SavedCohort } from '../cohorts/entities/saved-cohort.entity.js';
import { ReportRun } from '../reports/entities/report-run.entity.js';
import { IngestBatch, IngestFile } from '../ingest/entities/ingest-batch.entity.js';
import { Survey, SurveyAnswer, SurveyQuestion, SurveyResponse } from '../surveys/entities/survey.entity.js';

export const controlPlaneEntities = [
  User,
  ApiToken,
  WebSession,
  AuditEvent,
  IngestBatch,
  IngestFile,
  Survey,
  SurveyQuestion,
  SurveyResponse,
  SurveyAnswer,
  SavedCohort,
  ReportRun,
];

/** TypeORM options for the control plane: a real PostgreSQL when DATABASE_URL is set, else embedded PGlite. Never synchronize. */
export function dataSourceOptions(config: Pick<ShirubeConfig, 'databaseUrl' | 'pgliteDir'>): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: controlPlaneEntities,
    migrations: controlPlaneMigrations,
    migrationsTableName: 'control_plane_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    // No query logging: a failed query's parameters could carry what logs must never hold; errors are thrown instead.
    logging: false,
  };
  if (config.databaseUrl) return { ...common, url: config.databaseUrl };
  if (!config.pgliteDir.startsWith('memory://')) mkdirSync(config.pgliteDir, { recursive: true });
  return { ...common, driver: new PGliteDriver({ dataDir: config.pgliteDir }).driver };
}

export function createDataSource(config: Pick<ShirubeConfig, 'databaseUrl' | 'pgliteDir'>): DataSource {
  return new DataSource(dataSourceOptions(config));
}

export function describeControlPlane(config: Pick<ShirubeConfig, 'databaseUrl' | 'pgliteDir'>): string {
  if (!config.databaseUrl) return `PGlite (${config.pgliteDir})`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
