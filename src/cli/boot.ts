import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { loadConfig, type ShirubeConfig } from '../config/config.js';
import { CohortsModule } from '../cohorts/cohorts.module.js';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { SurveysModule } from '../surveys/surveys.module.js';
import { WarehouseModule } from '../warehouse/warehouse.module.js';

/** A module of just the given domain modules on top of the configuration. */
function cliModule(config: ShirubeConfig, imports: DynamicModule['imports']): DynamicModule {
  @Module({})
  class CliModule {}
  return { module: CliModule, imports: [ConfigModule.forRoot(config), ...(imports ?? [])] };
}

async function withContext<T>(
  module: DynamicModule,
  work: (context: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const context = await NestFactory.createApplicationContext(module, { logger: ['error', 'warn'] });
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}

/** Boots both stores and the ingest: what `shirube ingest` needs (no HTTP). */
export function withIngest<T>(
  work: (context: INestApplicationContext) => Promise<T>,
  config: ShirubeConfig = loadConfig(),
): Promise<T> {
  // Surveys come along: a loaded batch refreshes the open responses' pre-filled answers.
  return withContext(
    cliModule(config, [DatabaseModule, WarehouseModule, AuditModule, IngestModule, SurveysModule]),
    work,
  );
}

/** Boots the warehouse and the metric catalogue: what `shirube metrics values` needs. */
export function withMetrics<T>(
  work: (context: INestApplicationContext) => Promise<T>,
  config: ShirubeConfig = loadConfig(),
): Promise<T> {
  return withContext(cliModule(config, [WarehouseModule, MetricsModule]), work);
}

/** Boots both stores, the metric catalogue and surveys: what `shirube survey` needs. */
export function withSurveys<T>(
  work: (context: INestApplicationContext) => Promise<T>,
  config: ShirubeConfig = loadConfig(),
): Promise<T> {
  return withContext(
    cliModule(config, [DatabaseModule, WarehouseModule, AuditModule, IngestModule, SurveysModule]),
    work,
  );
}

/** Boots only the control plane (config, PostgreSQL, audit, users): what `shirube user` needs. */
export function withControlPlane<T>(
  work: (context: INestApplicationContext) => Promise<T>,
  config: ShirubeConfig = loadConfig(),
): Promise<T> {
  return withContext(cliModule(config, [DatabaseModule, AuditModule, AuthModule]), work);
}

/** Boots both stores, the metric catalogue and cohorts: what `shirube cohort` needs. */
export function withCohorts<T>(
  work: (context: INestApplicationContext) => Promise<T>,
  config: ShirubeConfig = loadConfig(),
): Promise<T> {
  return withContext(
    cliModule(config, [DatabaseModule, WarehouseModule, AuditModule, MetricsModule, CohortsModule]),
    work,
  );
}

/** Boots everything a report reads: what `shirube report` needs. */
export function withReports<T>(
  work: (context: INestApplicationContext) => Promise<T>,
  config: ShirubeConfig = loadConfig(),
): Promise<T> {
  return withContext(
    cliModule(config, [
      DatabaseModule,
      WarehouseModule,
      AuditModule,
      IngestModule,
      MetricsModule,
      SurveysModule,
      CohortsModule,
      ReportsModule,
    ]),
    work,
  );
}
