import type { DisclosureSettings } from '../disclosure/disclosure.types.js';

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
