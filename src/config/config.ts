import { DEFAULT_DISCLOSURE, type DisclosureSettings } from '../disclosure/disclosure.types.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaultMemoryLimit, machineMemory, type MachineMemory } from './memory-limit.js';

export type Locale = 'ja' | 'en';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The whole configuration of a Shirube process, built once from the environment and checked at boot. */
export interface ShirubeConfig {
  /**
   * PostgreSQL URL of the control plane, as the application role (which should own nothing it must not
   * change: see `databaseMigrationUrl`); undefined = embedded PGlite in `pgliteDir`.
   */
  databaseUrl: string | undefined;
  /**
   * PostgreSQL URL of the owner of the control plane's tables: migrations run as the owner, who then
   * grants the application role of `databaseUrl` only what it needs (INSERT and SELECT on the audit log).
   * Undefined = migrations run through `databaseUrl`, which must then own the tables.
   */
  databaseMigrationUrl: string | undefined;
  /**
   * Start even when the application role could rewrite the audit log (a superuser, or the owner of
   * audit_events), with a loud warning. Off by default: such a start is refused.
   */
  allowPrivilegedDatabaseRole: boolean;
  /** Folder of the embedded PGlite database (used only when databaseUrl is unset); 'memory://' keeps it in memory. */
  pgliteDir: string;
  duckdbPath: string;
  /**
   * DuckDB's memory limit for the warehouse ('8GB', '1.5GiB'); unset, half of the machine's memory (its
   * RAM, or its control group's limit when lower: memory-limit.ts). Beyond it DuckDB spills to disk.
   */
  duckdbMemoryLimit: string;
  pseudonymKeyFile: string | undefined;
  port: number;
  /** Interface to listen on; 127.0.0.1 unless HOST says otherwise (0.0.0.0 in a container). */
  host: string;
  /**
   * The origin browsers reach Shirube at (`https://shirube.example.jp`), when it is not the scheme and Host
   * of the request as Shirube sees it (behind a proxy that changes them). A form or sign-in through the
   * session cookie must come from this origin. Undefined = the request's own scheme and Host.
   */
  publicOrigin: string | undefined;
  /** Proxies in front of Shirube whose X-Forwarded-Proto/-Host/-For it believes (Express `trust proxy`); 0 = none. */
  trustProxyHops: number;
  chromePath: string | undefined;
  locale: Locale;
  /** Disclosure-control thresholds (DOMAIN.md defaults: redact 1–7, round to 5, areas of 3+ schools). */
  disclosure: DisclosureSettings;
  /** Where reminders of support cases' review dates go (SHIRUBE_WATCH_MAIL_TO, `{school}` = the school code); sent through `mail`. */
  watchMail: { to: string | undefined };
  /** Where "every school" report batches keep their zip files (default: `reports/` beside the warehouse file). */
  reportsDir: string;
  /** Where `POST /api/backups` writes a backup the board asks for (default: `backups/` beside the warehouse file). */
  backupDir: string;
  /** Days an every-school run's zip is kept after it is written (SHIRUBE_REPORTS_RETENTION_DAYS, default 30). */
  reportsRetentionDays: number;
  /** What one client may send and how often (README "Security headers and limits"). */
  limits: {
    /** Largest JSON or form body, in bytes (SHIRUBE_BODY_LIMIT, default 1 MB); uploads keep their own limits. */
    bodyBytes: number;
    /** Requests a minute one token or session (or, without one, one address) may make (SHIRUBE_RATE_LIMIT, default 600; 0 = no limit). */
    requestsPerMinute: number;
    /** Requests a minute from one client address, whatever credentials (SHIRUBE_RATE_LIMIT_PER_ADDRESS, default 3000; 0 = no limit). */
    requestsPerMinutePerAddress: number;
    /** Failed sign-ins a minute, per account and per address, before further tries are refused (SHIRUBE_SIGNIN_FAILURES_PER_MINUTE, default 5). */
    signInFailuresPerMinute: number;
  };
  /** The bearer token a Prometheus server scrapes GET /metrics with (SHIRUBE_METRICS_TOKEN, at least 32 characters); undefined = the board's tokens only. */
  metricsToken: string | undefined;
  /** Logs go to standard error (README "Logs and metrics"). */
  log: {
    /** JSON lines, or one text line per entry; undefined = text when standard error is a terminal, else JSON (SHIRUBE_LOG_FORMAT). */
    format: 'json' | 'text' | undefined;
    /** Undefined = the command's own (info for the server, warn for the other commands) (SHIRUBE_LOG_LEVEL). */
    level: LogLevel | undefined;
  };
  /** How people sign in to the pages (README "Sign-in"). */
  signIn: {
    /** Hours a web session lasts from its sign-in (SHIRUBE_SESSION_HOURS, default 12). */
    sessionHours: number;
    /** Sign-in with the organisation's accounts (OpenID Connect); undefined = none configured. */
    oidc: OidcSettings | undefined;
  };
  /** Mail for reminders (README "Reminders by mail"); `smtpUrl` undefined = no mail is sent. */
  mail: {
    /** smtp://user:password@host:587 or smtps://…:465 (SHIRUBE_SMTP_URL, or SHIRUBE_SMTP_URL_FILE). */
    smtpUrl: string | undefined;
    /** The sender (SHIRUBE_MAIL_FROM), needed with an SMTP URL. */
    from: string | undefined;
    /** Days before a deadline the automatic reminder goes to schools that have not submitted (0 = none). */
    remindDaysBefore: number;
  };
  /** Limits of the sandbox where analysts' derivedOutcomes expressions run. */
  analyst: {
    /** Time allowed for the sandbox's statements of one cohort run, in milliseconds (default 10 s). */
    timeoutMs: number;
    /** DuckDB's memory_limit for the sandbox (default 1GB); past it a query fails, nothing spills to disk. */
    memoryLimit: string;
  };
}

/** The organisation's identity provider (OpenID Connect, authorization code with PKCE). */
export interface OidcSettings {
  /** The issuer URL (https; http only on this machine's loopback, for tests). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claim whose value names the Shirube user it is linked to: `email` (verified) or `sub`. */
  matchClaim: 'email' | 'sub';
  /** What the sign-in button calls the provider (SHIRUBE_OIDC_NAME), e.g. "Microsoft 365". */
  displayName: string | undefined;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function parseDatabaseUrl(value: string | undefined, variable = 'DATABASE_URL'): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, `not a URL (expected postgres://user@host:5432/db)`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(variable, `scheme must be postgres:// or postgresql://, got ${url.protocol}//`);
  }
  return value;
}

function parseBoolean(env: Env, name: string): boolean {
  const value = nonEmpty(env, name);
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new ConfigError(name, `must be true or false, got "${value}"`);
}

/** A secret handed over as a file (a Docker secret): its content without the final line break. */
function readSecretFile(variable: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(variable, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const value = text.replace(/\r?\n$/, '');
  if (!value) throw new ConfigError(variable, `${path} is empty`);
  return value;
}

/** `url` with the password read from `passwordFile` (a Docker secret), for a URL that names none. */
function withPasswordFile(
  url: string | undefined,
  urlVariable: string,
  passwordVariable: string,
  passwordFile: string | undefined,
): string | undefined {
  if (!passwordFile) return url;
  if (!url) throw new ConfigError(passwordVariable, `needs ${urlVariable} (the user, host and database)`);
  const parsed = new URL(url);
  if (parsed.password) throw new ConfigError(passwordVariable, `${urlVariable} already holds a password`);
  parsed.password = encodeURIComponent(readSecretFile(passwordVariable, passwordFile));
  return parsed.toString();
}

/**
 * DATABASE_URL, or DATABASE_URL_FILE (the whole URL in a file), with the password read from
 * DATABASE_PASSWORD_FILE when the URL names none: no password needs to stand in the environment or in
 * docker-compose.yml.
 */
function databaseUrlOf(env: Env): string | undefined {
  const inline = nonEmpty(env, 'DATABASE_URL');
  const urlFile = nonEmpty(env, 'DATABASE_URL_FILE');
  if (inline && urlFile) throw new ConfigError('DATABASE_URL_FILE', 'set DATABASE_URL or DATABASE_URL_FILE, not both');
  const value = urlFile
    ? parseDatabaseUrl(readSecretFile('DATABASE_URL_FILE', urlFile), 'DATABASE_URL_FILE')
    : parseDatabaseUrl(inline);
  return withPasswordFile(value, 'DATABASE_URL', 'DATABASE_PASSWORD_FILE', nonEmpty(env, 'DATABASE_PASSWORD_FILE'));
}

/** DATABASE_MIGRATION_URL (the tables' owner), with its password from DATABASE_MIGRATION_PASSWORD_FILE. */
function databaseMigrationUrlOf(env: Env): string | undefined {
  return withPasswordFile(
    parseDatabaseUrl(nonEmpty(env, 'DATABASE_MIGRATION_URL'), 'DATABASE_MIGRATION_URL'),
    'DATABASE_MIGRATION_URL',
    'DATABASE_MIGRATION_PASSWORD_FILE',
    nonEmpty(env, 'DATABASE_MIGRATION_PASSWORD_FILE'),
  );
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 3000;
  if (!/^\d+$/.test(value)) throw new ConfigError('PORT', `must be a whole number, got "${value}"`);
  const port = Number(value);
  // 0 asks the system for a free port (the server prints the one it got).
  if (port > 65535) throw new ConfigError('PORT', `must be between 0 and 65535, got ${port}`);
  return port;
}

function parsePublicOrigin(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('SHIRUBE_PUBLIC_ORIGIN', `not a URL (expected https://host[:port]), got "${value}"`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash)
    throw new ConfigError(
      'SHIRUBE_PUBLIC_ORIGIN',
      `must be an origin such as https://shirube.example.jp, got "${value}"`,
    );
  return url.origin;
}

function parseLocale(value: string | undefined): Locale {
  if (value === undefined) return 'ja';
  if (value === 'ja' || value === 'en') return value;
  throw new ConfigError('SHIRUBE_LOCALE', `must be "ja" or "en", got "${value}"`);
}

function parseChoice<T extends string>(env: Env, name: string, choices: readonly T[]): T | undefined {
  const value = nonEmpty(env, name);
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value))
    throw new ConfigError(name, `must be one of ${choices.join(', ')}, got "${value}"`);
  return value as T;
}

function parseSecret(env: Env, name: string, minLength: number): string | undefined {
  const value = nonEmpty(env, name);
  if (value !== undefined && (value.length < minLength || /\s/.test(value)))
    throw new ConfigError(name, `must be at least ${minLength} characters without spaces (e.g. openssl rand -hex 32)`);
  return value;
}

function parseWholeNumber(env: Env, name: string, fallback: number, min: number): number {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new ConfigError(name, `must be a whole number of at least ${min}, got "${value}"`);
  return Number(value);
}

function parseWatchMail(env: Env): ShirubeConfig['watchMail'] {
  const to = nonEmpty(env, 'SHIRUBE_WATCH_MAIL_TO');
  if (to !== undefined && !/^[^@\s]*\{school\}[^@\s]*@[^@\s]+$|^[^@\s]+@[^@\s]+$/.test(to))
    throw new ConfigError(
      'SHIRUBE_WATCH_MAIL_TO',
      `must be a mail address, {school} standing for the school code, got "${to}"`,
    );
  return { to };
}

function parseDisclosure(env: Env): DisclosureSettings {
  return {
    maxRedactedCount: parseWholeNumber(env, 'SHIRUBE_DISCLOSURE_MAX_REDACTED', DEFAULT_DISCLOSURE.maxRedactedCount, 0),
    rounding: parseWholeNumber(env, 'SHIRUBE_DISCLOSURE_ROUNDING', DEFAULT_DISCLOSURE.rounding, 1),
    minSchools: parseWholeNumber(env, 'SHIRUBE_DISCLOSURE_MIN_SCHOOLS', DEFAULT_DISCLOSURE.minSchools, 1),
  };
}

function parseMemoryLimit(env: Env, name: string): string | undefined {
  const value = nonEmpty(env, name);
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value)) {
    throw new ConfigError(name, `must be an amount of memory such as 8GB or 1.5GiB, got "${value}"`);
  }
  return value;
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2 };

/** A size in bytes, written as 1048576, 512kb or 1mb (KB = 1024 bytes). */
function parseBytes(env: Env, name: string, fallback: number, min: number): number {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(value);
  const bytes = match ? Number(match[1]) * BYTE_UNITS[(match[2] ?? 'b').toLowerCase()] : NaN;
  if (!(bytes >= min))
    throw new ConfigError(name, `must be a size such as 1mb or 512kb, at least ${min} bytes, got "${value}"`);
  return bytes;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** A secret given inline or as a file (a Docker secret), not both. */
function secretOf(env: Env, name: string): string | undefined {
  const inline = nonEmpty(env, name);
  const file = nonEmpty(env, `${name}_FILE`);
  if (inline && file) throw new ConfigError(`${name}_FILE`, `set ${name} or ${name}_FILE, not both`);
  return file ? readSecretFile(`${name}_FILE`, file) : inline;
}

function parseOidc(env: Env): OidcSettings | undefined {
  const issuer = nonEmpty(env, 'SHIRUBE_OIDC_ISSUER');
  const clientId = nonEmpty(env, 'SHIRUBE_OIDC_CLIENT_ID');
  const clientSecret = secretOf(env, 'SHIRUBE_OIDC_CLIENT_SECRET');
  if (!issuer) {
    if (clientId) throw new ConfigError('SHIRUBE_OIDC_CLIENT_ID', 'needs SHIRUBE_OIDC_ISSUER as well');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError('SHIRUBE_OIDC_ISSUER', `not a URL, got "${issuer}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
    throw new ConfigError('SHIRUBE_OIDC_ISSUER', `must be an https URL, got "${issuer}"`);
  if (!clientId) throw new ConfigError('SHIRUBE_OIDC_CLIENT_ID', 'needed with SHIRUBE_OIDC_ISSUER');
  if (!clientSecret) throw new ConfigError('SHIRUBE_OIDC_CLIENT_SECRET', 'needed with SHIRUBE_OIDC_ISSUER');
  return {
    issuer,
    clientId,
    clientSecret,
    matchClaim: parseChoice(env, 'SHIRUBE_OIDC_CLAIM', ['email', 'sub'] as const) ?? 'email',
    displayName: nonEmpty(env, 'SHIRUBE_OIDC_NAME'),
  };
}

function parseSmtpUrl(env: Env): string | undefined {
  const value = secretOf(env, 'SHIRUBE_SMTP_URL');
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('SHIRUBE_SMTP_URL', 'not a URL (expected smtp://host:587 or smtps://host:465)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new ConfigError('SHIRUBE_SMTP_URL', `scheme must be smtp:// or smtps://, got ${url.protocol}//`);
  if (!nonEmpty(env, 'SHIRUBE_MAIL_FROM')) throw new ConfigError('SHIRUBE_MAIL_FROM', 'needed with SHIRUBE_SMTP_URL');
  return value;
}

function parseChromePath(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!existsSync(value)) throw new ConfigError('CHROME_PATH', `no file at ${value}`);
  return value;
}

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
