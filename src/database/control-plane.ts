import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ShirubeConfig } from '../config/config.js';
import { assertApplicationRole, auditRewritePowers, currentRole, grantApplicationRole } from './application-role.js';
import { closeControlPlane, createDataSource, openControlPlaneSource } from './data-source.js';

/**
 * Applies pending migrations. With an owner URL (DATABASE_MIGRATION_URL) they run as the owner, who then
 * grants the application role what it needs; else through the application's own connection, which must
 * then own the tables (and PGlite, one user, always does).
 */
export async function migrateControlPlane(
  config: Pick<ShirubeConfig, 'databaseUrl' | 'databaseMigrationUrl' | 'pgliteDir'>,
  app: DataSource,
): Promise<string[]> {
  if (!config.databaseUrl || !config.databaseMigrationUrl) {
    try {
      return (await app.runMigrations()).map((migration) => migration.name);
    } catch (error) {
      if (!config.databaseUrl) throw error;
      throw new Error(
        `control plane migrations failed as the application role (${(error as Error).message}); ` +
          'if it does not own the tables, set DATABASE_MIGRATION_URL to the owner',
        { cause: error },
      );
    }
  }
  const owner = createDataSource({ ...config, databaseUrl: config.databaseMigrationUrl });
  await owner.initialize();
  try {
    const ran = (await owner.runMigrations()).map((migration) => migration.name);
    await grantApplicationRole(owner, await currentRole(app));
    return ran;
  } finally {
    await owner.destroy();
  }
}

/**
 * Opens the control plane for the application: applies pending migrations, then, on PostgreSQL, refuses
 * (or, if allowed, warns of) an application role that could rewrite the audit log.
 */
export async function openControlPlane(config: ShirubeConfig): Promise<DataSource> {
  const logger = new Logger('Database');
  const dataSource = await openControlPlaneSource(config);
  try {
    const ran = await migrateControlPlane(config, dataSource);
    if (ran.length > 0) logger.log(`control plane migrations applied: ${ran.join(', ')}`);
    if (config.databaseUrl)
      assertApplicationRole(
        await currentRole(dataSource),
        await auditRewritePowers(dataSource),
        config.allowPrivilegedDatabaseRole,
        logger,
      );
    return dataSource;
  } catch (error) {
    await closeControlPlane(dataSource, config);
    throw error;
  }
}
