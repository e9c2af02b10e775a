import { dirname, join, resolve } from 'node:path';
import { defaultMemoryLimit, machineMemory, type MachineMemory } from './memory-limit.js';
import {
  ConfigError,
  type Env,
  nonEmpty,
  parseBoolean,
  databaseUrlOf,
  databaseMigrationUrlOf,
  parsePort,
  parsePublicOrigin,
  parseLocale,
  parseChoice,
  parseSecret,
  parseWholeNumber,
  parseWatchMail,
  parseDisclosure,
  parseMemoryLimit,
  parseBytes,
  parseOidc,
  parseSmtpUrl,
  parseChromePath,
} from './config-parsers.js';
import { LOG_LEVELS, type ShirubeConfig } from './config.types.js';

export { ConfigError };
export { LOG_LEVELS, type Locale, type LogLevel, type OidcSettings, type ShirubeConfig } from './config.types.js';

/**
 * Builds and checks the configuration; throws ConfigError naming the variable on the first bad value.
 * `machine`: what the defaults sized to the machine are derived from (read from this machine).
 */
export function loadConfig(env: Env = process.env, machine: MachineMemory = machineMemory()): ShirubeConfig {
  const keyFile = nonEmpty(env, 'PSEUDONYM_KEY_FILE');
  const duckdbPath = nonEmpty(env, 'DUCKDB_PATH') ?? resolve('data/warehouse.duckdb');
  const databaseUrl = databaseUrlOf(env);
  const databaseMigrationUrl = databaseMigrationUrlOf(env);
  if (databaseMigrationUrl && !databaseUrl)
    throw new ConfigError('DATABASE_MIGRATION_URL', 'needs DATABASE_URL (the application role) as well');
  return {
    databaseUrl,
    databaseMigrationUrl,
    allowPrivilegedDatabaseRole: parseBoolean(env, 'SHIRUBE_ALLOW_PRIVILEGED_DB_ROLE'),
    pgliteDir: nonEmpty(env, 'SHIRUBE_PGLITE_DIR') ?? resolve('data/pg'),
    duckdbPath,
    duckdbMemoryLimit: parseMemoryLimit(env, 'SHIRUBE_DUCKDB_MEMORY_LIMIT') ?? defaultMemoryLimit(machine),
    pseudonymKeyFile: keyFile ? resolve(keyFile) : undefined,
    port: parsePort(nonEmpty(env, 'PORT')),
    host: nonEmpty(env, 'HOST') ?? '127.0.0.1',
    publicOrigin: parsePublicOrigin(nonEmpty(env, 'SHIRUBE_PUBLIC_ORIGIN')),
    trustProxyHops: parseWholeNumber(env, 'SHIRUBE_TRUST_PROXY', 0, 0),
    chromePath: parseChromePath(nonEmpty(env, 'CHROME_PATH')),
    locale: parseLocale(nonEmpty(env, 'SHIRUBE_LOCALE')),
    disclosure: parseDisclosure(env),
    watchMail: parseWatchMail(env),
    reportsDir: resolve(nonEmpty(env, 'SHIRUBE_REPORTS_DIR') ?? join(dirname(duckdbPath), 'reports')),
    backupDir: resolve(nonEmpty(env, 'SHIRUBE_BACKUP_DIR') ?? join(dirname(duckdbPath), 'backups')),
    reportsRetentionDays: parseWholeNumber(env, 'SHIRUBE_REPORTS_RETENTION_DAYS', 30, 1),
    limits: {
      bodyBytes: parseBytes(env, 'SHIRUBE_BODY_LIMIT', 1024 ** 2, 1024),
      requestsPerMinute: parseWholeNumber(env, 'SHIRUBE_RATE_LIMIT', 600, 0),
      requestsPerMinutePerAddress: parseWholeNumber(env, 'SHIRUBE_RATE_LIMIT_PER_ADDRESS', 3000, 0),
      signInFailuresPerMinute: parseWholeNumber(env, 'SHIRUBE_SIGNIN_FAILURES_PER_MINUTE', 5, 1),
    },
    metricsToken: parseSecret(env, 'SHIRUBE_METRICS_TOKEN', 32),
    log: {
      format: parseChoice(env, 'SHIRUBE_LOG_FORMAT', ['json', 'text'] as const),
      level: parseChoice(env, 'SHIRUBE_LOG_LEVEL', LOG_LEVELS),
    },
    signIn: {
      sessionHours: parseWholeNumber(env, 'SHIRUBE_SESSION_HOURS', 12, 1),
      oidc: parseOidc(env),
    },
    mail: {
      smtpUrl: parseSmtpUrl(env),
      from: nonEmpty(env, 'SHIRUBE_MAIL_FROM'),
      remindDaysBefore: parseWholeNumber(env, 'SHIRUBE_REMINDER_DAYS_BEFORE', 3, 0),
    },
    analyst: {
      timeoutMs: parseWholeNumber(env, 'SHIRUBE_ANALYST_TIMEOUT_MS', 10_000, 1),
      memoryLimit: parseMemoryLimit(env, 'SHIRUBE_ANALYST_MEMORY_LIMIT') ?? '1GB',
    },
  };
}
