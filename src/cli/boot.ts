import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { StoreInUseError, storeHolder, type StoreHolder } from '../common/store-lock.js';
import { loadConfig, type ShirubeConfig } from '../config/config.js';
import { CohortsModule } from '../cohorts/cohorts.module.js';
import { ConfigModule } from '../config/config.module.js';
import { embeddedControlPlaneDir } from '../database/data-source.js';
import { DatabaseModule } from '../database/database.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { logging } from '../observability/logging.js';
import { ObservabilityModule } from '../observability/observability.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { SurveysModule } from '../surveys/surveys.module.js';
import { WatchModule } from '../watch/watch.module.js';
import { WarehouseModule } from '../warehouse/warehouse.module.js';
import { ServerClient } from './server-client.js';

/** A module of just the given domain modules on top of the configuration. */
function cliModule(config: ShirubeConfig, imports: DynamicModule['imports']): DynamicModule {
  @Module({})
  class CliModule {}
  return {
    module: CliModule,
    imports: [ConfigModule.forRoot(config), ObservabilityModule.forRoot(false), ...(imports ?? [])],
  };
}

/**
 * A Nest context of the given domain modules on the configuration, with the metrics they report to, and
 * logs (warnings and errors) through pino on standard error: standard output is the command's answer.
 * For the commands here and the benchmarks.
 */
export function openCommandContext(
  config: ShirubeConfig,
  imports: DynamicModule['imports'],
): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(cliModule(config, imports), {
    logger: logging(config, 'warn').nestLogger,
    abortOnError: false,
  });
}

/** What a command does when a running server holds the embedded stores it needs: the same, through the API. */
export type ThroughServer<T> = (client: ServerClient) => Promise<T>;

interface Stores {
  controlPlane: boolean;
  warehouse: boolean;
}

/**
 * The running server that holds an embedded store this command needs (store-lock.ts), if any. A store
 * held by another command, or by a server that does not listen yet, stops the command with a sentence.
 */
function serverHolding(config: ShirubeConfig, stores: Stores): StoreHolder | null {
  const paths = [
    stores.controlPlane ? embeddedControlPlaneDir(config) : null,
    stores.warehouse && config.duckdbPath !== ':memory:' ? config.duckdbPath : null,
  ].filter((p): p is string => p !== null);
  for (const path of paths) {
    const holder = storeHolder(path);
    if (!holder) continue;
    if (holder.kind === 'server' && holder.url && holder.cliToken) return holder;
    throw new StoreInUseError(path, holder);
  }
  return null;
}

async function withContext<T>(
  config: ShirubeConfig,
  stores: Stores,
  imports: DynamicModule['imports'],
  work: (context: INestApplicationContext) => Promise<T>,
  throughServer?: ThroughServer<T>,
): Promise<T> {
  const server = serverHolding(config, stores);
  if (server) {
    if (!throughServer) throw new StoreInUseError(config.duckdbPath, server);
    process.stderr.write(`shirube: the server at ${server.url} holds the stores; going through it\n`);
    return throughServer(ServerClient.of(server));
  }
  const context = await openCommandContext(config, imports);
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}

type Work<T> = (context: INestApplicationContext) => Promise<T>;

/** Boots both stores and the ingest: what `shirube ingest` needs (no HTTP). */
export function withIngest<T>(work: Work<T>, throughServer?: ThroughServer<T>, config = loadConfig()): Promise<T> {
  // Surveys come along: a loaded batch refreshes the open responses' pre-filled answers.
  return withContext(
    config,
    { controlPlane: true, warehouse: true },
    [DatabaseModule, WarehouseModule, AuditModule, IngestModule, SurveysModule, WatchModule],
    work,
    throughServer,
  );
}

/** Boots both stores and the watch lists: what `shirube watch` needs. */
export function withWatch<T>(work: Work<T>, throughServer?: ThroughServer<T>, config = loadConfig()): Promise<T> {
  return withContext(
    config,
    { controlPlane: true, warehouse: true },
    [DatabaseModule, WarehouseModule, AuditModule, IngestModule, WatchModule],
    work,
    throughServer,
  );
}

/** Boots the warehouse and the metric catalogue: what `shirube metrics values` needs. */
export function withMetrics<T>(work: Work<T>, throughServer?: ThroughServer<T>, config = loadConfig()): Promise<T> {
  return withContext(
    config,
    { controlPlane: false, warehouse: true },
    [WarehouseModule, MetricsModule],
    work,
    throughServer,
  );
}

/** Boots both stores, the metric catalogue and surveys: what `shirube survey` needs. */
export function withSurveys<T>(work: Work<T>, throughServer?: ThroughServer<T>, config = loadConfig()): Promise<T> {
  return withContext(
    config,
    { controlPlane: true, warehouse: true },
    [DatabaseModule, WarehouseModule, AuditModule, IngestModule, SurveysModule],
    work,
    throughServer,
  );
}

/** Boots only the control plane (config, PostgreSQL, audit, users): what `shirube user` needs. */
export function withControlPlane<T>(
  work: Work<T>,
  throughServer?: ThroughServer<T>,
  config = loadConfig(),
): Promise<T> {
  return withContext(
    config,
    { controlPlane: true, warehouse: false },
    [DatabaseModule, AuditModule, AuthModule],
    work,
    throughServer,
  );
}

/** Boots both stores, the metric catalogue and cohorts: what `shirube cohort` needs. */
export function withCohorts<T>(work: Work<T>, throughServer?: ThroughServer<T>, config = loadConfig()): Promise<T> {
  return withContext(
    config,
    { controlPlane: true, warehouse: true },
    [DatabaseModule, WarehouseModule, AuditModule, MetricsModule, CohortsModule],
    work,
    throughServer,
  );
}

/** Boots everything a report reads: what `shirube report` needs. */
export function withReports<T>(work: Work<T>, throughServer?: ThroughServer<T>, config = loadConfig()): Promise<T> {
  return withContext(
    config,
    { controlPlane: true, warehouse: true },
    [
      DatabaseModule,
      WarehouseModule,
      AuditModule,
      IngestModule,
      MetricsModule,
      SurveysModule,
      CohortsModule,
      ReportsModule,
    ],
    work,
    throughServer,
  );
}

/**
 * For commands that open the stores themselves (migrate, warehouse export, backup): refuses, with a
 * sentence, when another process holds an embedded store they need.
 */
export function assertStoresFree(config: ShirubeConfig, stores: Stores): void {
  const server = serverHolding(config, stores);
  if (server) throw new StoreInUseError(stores.warehouse ? config.duckdbPath : config.pgliteDir, server);
}

/**
 * For commands that open the stores themselves but can also go through a running server (backup): the
 * server's API when it holds an embedded store they need, else `direct`.
 */
export async function directOrThroughServer<T>(
  config: ShirubeConfig,
  stores: Stores,
  direct: () => Promise<T>,
  throughServer: ThroughServer<T>,
): Promise<T> {
  const server = serverHolding(config, stores);
  if (!server) return direct();
  process.stderr.write(`shirube: the server at ${server.url} holds the stores; going through it\n`);
  return throughServer(ServerClient.of(server));
}
