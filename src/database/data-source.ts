import { mkdirSync } from 'node:fs';
import { acquireStoreLock, releaseStoreLock } from '../common/store-lock.js';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { controlPlaneMigrations } from '../../migrations/index.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { ApiToken } from '../auth/entities/api-token.entity.js';
import { User } from '../auth/entities/user.entity.js';
import { WebSession } from '../auth/entities/web-session.entity.js';
import type { ShirubeConfig } from '../config/config.js';
import { SavedCohort } from '../cohorts/entities/saved-cohort.entity.js';
import { serialPGliteDriver } from './pglite-serial-pool.js';
import { ReportRun } from '../reports/entities/report-run.entity.js';
import { SurveyReminder } from '../reminders/survey-reminder.entity.js';
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
  SurveyReminder,
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
  return { ...common, driver: serialPGliteDriver(config.pgliteDir) };
}

export function createDataSource(config: Pick<ShirubeConfig, 'databaseUrl' | 'pgliteDir'>): DataSource {
  return new DataSource(dataSourceOptions(config));
}

/** The PGlite folder this configuration opens, or null for a real PostgreSQL or an in-memory PGlite. */
export function embeddedControlPlaneDir(config: Pick<ShirubeConfig, 'databaseUrl' | 'pgliteDir'>): string | null {
  return config.databaseUrl || config.pgliteDir.startsWith('memory://') ? null : config.pgliteDir;
}

/**
 * Opens the control plane (no migrations). An embedded PGlite folder is locked for this process first
 * (store-lock.ts): a second process would neither see this one's writes nor keep its own.
 */
export async function openControlPlaneSource(
  config: Pick<ShirubeConfig, 'databaseUrl' | 'pgliteDir'>,
): Promise<DataSource> {
  const embedded = embeddedControlPlaneDir(config);
  if (embedded) acquireStoreLock(embedded);
  try {
    const dataSource = createDataSource(config);
    await dataSource.initialize();
    return dataSource;
  } catch (error) {
    if (embedded) releaseStoreLock(embedded);
    throw error;
  }
}

export async function closeControlPlane(
  dataSource: DataSource,
  config: Pick<ShirubeConfig, 'databaseUrl' | 'pgliteDir'>,
): Promise<void> {
  if (dataSource.isInitialized) await dataSource.destroy();
  const embedded = embeddedControlPlaneDir(config);
  if (embedded) releaseStoreLock(embedded);
}

export function describeControlPlane(config: Pick<ShirubeConfig, 'databaseUrl' | 'pgliteDir'>): string {
  if (!config.databaseUrl) return `PGlite (${config.pgliteDir})`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
