/** Reading one setting from the environment: each parser names the variable in the ConfigError it throws. */
import { DEFAULT_DISCLOSURE, type DisclosureSettings } from '../disclosure/disclosure.types.js';
import { existsSync, readFileSync } from 'node:fs';
import type { Locale, OidcSettings, ShirubeConfig } from './config.types.js';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

export function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function parseDatabaseUrl(value: string | undefined, variable = 'DATABASE_URL'): string | undefined {
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

export function parseBoolean(env: Env, name: string): boolean {
  const value = nonEmpty(env, name);
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new ConfigError(name, `must be true or false, got "${value}"`);
}

/** A secret handed over as a file (a Docker secret): its content without the final line break. */
export function readSecretFile(variable: string, path: string): string {
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
export function withPasswordFile(
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
export function databaseUrlOf(env: Env): string | undefined {
  const inline = nonEmpty(env, 'DATABASE_URL');
  const urlFile = nonEmpty(env, 'DATABASE_URL_FILE');
  if (inline && urlFile) throw new ConfigError('DATABASE_URL_FILE', 'set DATABASE_URL or DATABASE_URL_FILE, not both');
  const value = urlFile
    ? parseDatabaseUrl(readSecretFile('DATABASE_URL_FILE', urlFile), 'DATABASE_URL_FILE')
    : parseDatabaseUrl(inline);
  return withPasswordFile(value, 'DATABASE_URL', 'DATABASE_PASSWORD_FILE', nonEmpty(env, 'DATABASE_PASSWORD_FILE'));
}

/** DATABASE_MIGRATION_URL (the tables' owner), with its password from DATABASE_MIGRATION_PASSWORD_FILE. */
export function databaseMigrationUrlOf(env: Env): string | undefined {
  return withPasswordFile(
    parseDatabaseUrl(nonEmpty(env, 'DATABASE_MIGRATION_URL'), 'DATABASE_MIGRATION_URL'),
    'DATABASE_MIGRATION_URL',
    'DATABASE_MIGRATION_PASSWORD_FILE',
    nonEmpty(env, 'DATABASE_MIGRATION_PASSWORD_FILE'),
  );
}

export function parsePort(value: string | undefined): number {
  if (value === undefined) return 3000;
  if (!/^\d+$/.test(value)) throw new ConfigError('PORT', `must be a whole number, got "${value}"`);
  const port = Number(value);
  // 0 asks the system for a free port (the server prints the one it got).
  if (port > 65535) throw new ConfigError('PORT', `must be between 0 and 65535, got ${port}`);
  return port;
}

export function parsePublicOrigin(value: string | undefined): string | undefined {
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

export function parseLocale(value: string | undefined): Locale {
  if (value === undefined) return 'ja';
  if (value === 'ja' || value === 'en') return value;
  throw new ConfigError('SHIRUBE_LOCALE', `must be "ja" or "en", got "${value}"`);
}

export function parseChoice<T extends string>(env: Env, name: string, choices: readonly T[]): T | undefined {
  const value = nonEmpty(env, name);
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value))
    throw new ConfigError(name, `must be one of ${choices.join(', ')}, got "${value}"`);
  return value as T;
}

export function parseSecret(env: Env, name: string, minLength: number): string | undefined {
  const value = nonEmpty(env, name);
  if (value !== undefined && (value.length < minLength || /\s/.test(value)))
    throw new ConfigError(name, `must be at least ${minLength} characters without spaces (e.g. openssl rand -hex 32)`);
  return value;
}

export function parseWholeNumber(env: Env, name: string, fallback: number, min: number): number {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new ConfigError(name, `must be a whole number of at least ${min}, got "${value}"`);
  return Number(value);
}

export function parseWatchMail(env: Env): ShirubeConfig['watchMail'] {
  const to = nonEmpty(env, 'SHIRUBE_WATCH_MAIL_TO');
  if (to !== undefined && !/^[^@\s]*\{school\}[^@\s]*@[^@\s]+$|^[^@\s]+@[^@\s]+$/.test(to))
    throw new ConfigError(
      'SHIRUBE_WATCH_MAIL_TO',
      `must be a mail address, {school} standing for the school code, got "${to}"`,
    );
  return { to };
}

export function parseDisclosure(env: Env): DisclosureSettings {
  return {
    maxRedactedCount: parseWholeNumber(env, 'SHIRUBE_DISCLOSURE_MAX_REDACTED', DEFAULT_DISCLOSURE.maxRedactedCount, 0),
    rounding: parseWholeNumber(env, 'SHIRUBE_DISCLOSURE_ROUNDING', DEFAULT_DISCLOSURE.rounding, 1),
    minSchools: parseWholeNumber(env, 'SHIRUBE_DISCLOSURE_MIN_SCHOOLS', DEFAULT_DISCLOSURE.minSchools, 1),
  };
}

export function parseMemoryLimit(env: Env, name: string): string | undefined {
  const value = nonEmpty(env, name);
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value)) {
    throw new ConfigError(name, `must be an amount of memory such as 8GB or 1.5GiB, got "${value}"`);
  }
  return value;
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2 };

/** A size in bytes, written as 1048576, 512kb or 1mb (KB = 1024 bytes). */
export function parseBytes(env: Env, name: string, fallback: number, min: number): number {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(value);
  const bytes = match ? Number(match[1]) * BYTE_UNITS[(match[2] ?? 'b').toLowerCase()] : NaN;
  if (!(bytes >= min))
    throw new ConfigError(name, `must be a size such as 1mb or 512kb, at least ${min} bytes, got "${value}"`);
  return bytes;
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** A secret given inline or as a file (a Docker secret), not both. */
export function secretOf(env: Env, name: string): string | undefined {
  const inline = nonEmpty(env, name);
  const file = nonEmpty(env, `${name}_FILE`);
  if (inline && file) throw new ConfigError(`${name}_FILE`, `set ${name} or ${name}_FILE, not both`);
  return file ? readSecretFile(`${name}_FILE`, file) : inline;
}

export function parseOidc(env: Env): OidcSettings | undefined {
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

export function parseSmtpUrl(env: Env): string | undefined {
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

export function parseChromePath(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!existsSync(value)) throw new ConfigError('CHROME_PATH', `no file at ${value}`);
  return value;
}
