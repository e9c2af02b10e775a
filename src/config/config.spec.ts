import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { defaultMemoryLimit, machineMemory, parseCgroupLimit } from './memory-limit.js';

const GiB = 2 ** 30;

describe('loadConfig', () => {
  it('uses the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.duckdbPath).toMatch(/data\/warehouse\.duckdb$/);
    expect(config.pgliteDir).toMatch(/data\/pg$/);
    expect(config.port).toBe(3000);
    expect(config.locale).toBe('ja');
    expect(config.duckdbMemoryLimit).toMatch(/^\d+MiB$/);
    expect(config.analyst).toEqual({ timeoutMs: 10_000, memoryLimit: '1GB' });
    expect(config.reportsRetentionDays).toBe(30);
  });

  it.each([
    ['PORT', 'abc', /PORT: must be a whole number/],
    ['PORT', '70000', /PORT: must be between 0 and 65535/],
    ['SHIRUBE_LOCALE', 'fr', /SHIRUBE_LOCALE: must be "ja" or "en"/],
    ['DATABASE_URL', 'mysql://x@y/z', /DATABASE_URL: scheme must be postgres/],
    ['DATABASE_URL', 'not a url', /DATABASE_URL: not a URL/],
    ['CHROME_PATH', '/no/such/chrome', /CHROME_PATH: no file at/],
    ['SHIRUBE_DUCKDB_MEMORY_LIMIT', '50%', /SHIRUBE_DUCKDB_MEMORY_LIMIT: must be an amount of memory such as 8GB/],
    ['SHIRUBE_DUCKDB_MEMORY_LIMIT', 'lots', /SHIRUBE_DUCKDB_MEMORY_LIMIT: must be an amount of memory/],
    ['SHIRUBE_ANALYST_TIMEOUT_MS', '0', /SHIRUBE_ANALYST_TIMEOUT_MS: must be a whole number of at least 1/],
    ['SHIRUBE_ANALYST_TIMEOUT_MS', '2s', /SHIRUBE_ANALYST_TIMEOUT_MS: must be a whole number/],
    ['SHIRUBE_ANALYST_MEMORY_LIMIT', '80%', /SHIRUBE_ANALYST_MEMORY_LIMIT: must be an amount of memory/],
    ['SHIRUBE_PUBLIC_ORIGIN', 'shirube.example.jp', /SHIRUBE_PUBLIC_ORIGIN: not a URL/],
    ['SHIRUBE_PUBLIC_ORIGIN', 'https://shirube.example.jp/app', /SHIRUBE_PUBLIC_ORIGIN: must be an origin/],
    ['SHIRUBE_TRUST_PROXY', 'yes', /SHIRUBE_TRUST_PROXY: must be a whole number/],
    ['DATABASE_MIGRATION_URL', 'postgres://owner@127.0.0.1/db', /DATABASE_MIGRATION_URL: needs DATABASE_URL/],
    ['SHIRUBE_ALLOW_PRIVILEGED_DB_ROLE', 'yes', /SHIRUBE_ALLOW_PRIVILEGED_DB_ROLE: must be true or false/],
    ['SHIRUBE_BODY_LIMIT', '1gb', /SHIRUBE_BODY_LIMIT: must be a size such as 1mb/],
    ['SHIRUBE_BODY_LIMIT', '100', /SHIRUBE_BODY_LIMIT: must be a size .* at least 1024 bytes/],
    ['SHIRUBE_REPORTS_RETENTION_DAYS', '0', /SHIRUBE_REPORTS_RETENTION_DAYS: must be a whole number of at least 1/],
    ['SHIRUBE_METRICS_TOKEN', 'short', /SHIRUBE_METRICS_TOKEN: must be at least 32 characters/],
    ['SHIRUBE_LOG_FORMAT', 'pretty', /SHIRUBE_LOG_FORMAT: must be one of json, text/],
    [
      'SHIRUBE_LOG_LEVEL',
      'verbose',
      /SHIRUBE_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/,
    ],
    ['SHIRUBE_RATE_LIMIT', '10/s', /SHIRUBE_RATE_LIMIT: must be a whole number of at least 0/],
    [
      'SHIRUBE_SIGNIN_FAILURES_PER_MINUTE',
      '0',
      /SHIRUBE_SIGNIN_FAILURES_PER_MINUTE: must be a whole number of at least 1/,
    ],
  ])('rejects %s=%s with a message naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('accepts a real PostgreSQL URL and English', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      SHIRUBE_LOCALE: 'en',
      PORT: '8080',
    });
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(config.locale).toBe('en');
    expect(config.port).toBe(8080);
  });

  it('has request limits a busy school clerk never reaches, and takes others (0 = off)', () => {
    expect(loadConfig({}).limits).toMatchObject({
      requestsPerMinute: 600,
      requestsPerMinutePerAddress: 3000,
      signInFailuresPerMinute: 5,
    });
    const config = loadConfig({ SHIRUBE_RATE_LIMIT: '0', SHIRUBE_RATE_LIMIT_PER_ADDRESS: '100' });
    expect(config.limits).toMatchObject({ requestsPerMinute: 0, requestsPerMinutePerAddress: 100 });
  });

  it('takes the body limit in bytes, KB or MB', () => {
    expect(loadConfig({}).limits.bodyBytes).toBe(1024 * 1024);
    expect(loadConfig({ SHIRUBE_BODY_LIMIT: '512kb' }).limits.bodyBytes).toBe(512 * 1024);
    expect(loadConfig({ SHIRUBE_BODY_LIMIT: '2MB' }).limits.bodyBytes).toBe(2 * 1024 * 1024);
    expect(loadConfig({ SHIRUBE_BODY_LIMIT: '4096' }).limits.bodyBytes).toBe(4096);
  });

  it('takes a memory limit for the warehouse', () => {
    expect(loadConfig({ SHIRUBE_DUCKDB_MEMORY_LIMIT: '1.5GiB' }).duckdbMemoryLimit).toBe('1.5GiB');
    const machine = { totalBytes: 24 * GiB, cgroupBytes: 4 * GiB };
    expect(loadConfig({ SHIRUBE_DUCKDB_MEMORY_LIMIT: '8GB' }, machine).duckdbMemoryLimit).toBe('8GB');
  });

  it('sizes the default memory limit to half of the machine, or of its control group when that is lower', () => {
    expect(loadConfig({}, { totalBytes: 24 * GiB, cgroupBytes: undefined }).duckdbMemoryLimit).toBe('12288MiB');
    expect(loadConfig({}, { totalBytes: 64 * GiB, cgroupBytes: 6 * GiB }).duckdbMemoryLimit).toBe('3072MiB');
    // cgroup v1 without a limit writes a number beyond any RAM: the RAM decides.
    expect(defaultMemoryLimit({ totalBytes: 16 * GiB, cgroupBytes: 9223372036854771712 })).toBe('8192MiB');
    expect(defaultMemoryLimit({ totalBytes: 10 * GiB + 12345, cgroupBytes: undefined })).toBe('5120MiB');
    expect(defaultMemoryLimit({ totalBytes: 256 * 2 ** 20, cgroupBytes: undefined })).toBe('256MiB');
  });

  it('reads a control group limit as cgroup v2 and v1 write it', () => {
    expect(parseCgroupLimit('max\n')).toBeUndefined();
    expect(parseCgroupLimit('8589934592\n')).toBe(8 * GiB);
    expect(parseCgroupLimit('9223372036854771712')).toBe(9223372036854771712);
    expect(parseCgroupLimit('')).toBeUndefined();
    expect(parseCgroupLimit('0')).toBeUndefined();
    expect(parseCgroupLimit(undefined)).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'shirube-cgroup-'));
    try {
      writeFileSync(join(dir, 'memory.max'), '2147483648\n');
      expect(machineMemory([join(dir, 'absent'), join(dir, 'memory.max')])).toEqual({
        totalBytes: totalmem(),
        cgroupBytes: 2 * GiB,
      });
      expect(machineMemory([join(dir, 'absent')])).toEqual({ totalBytes: totalmem(), cgroupBytes: undefined });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the time and memory limits of the analyst sandbox', () => {
    const config = loadConfig({ SHIRUBE_ANALYST_TIMEOUT_MS: '2500', SHIRUBE_ANALYST_MEMORY_LIMIT: '256MB' });
    expect(config.analyst).toEqual({ timeoutMs: 2500, memoryLimit: '256MB' });
  });

  it('takes the public origin browsers use and the proxies in front', () => {
    const config = loadConfig({ SHIRUBE_PUBLIC_ORIGIN: 'HTTPS://Shirube.Example.jp:443', SHIRUBE_TRUST_PROXY: '1' });
    expect(config.publicOrigin).toBe('https://shirube.example.jp');
    expect(config.trustProxyHops).toBe(1);
    expect(loadConfig({})).toMatchObject({ publicOrigin: undefined, trustProxyHops: 0 });
  });

  it('takes an owner URL for migrations beside the application role, and refuses a privileged role unless told', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://shirube_app@127.0.0.1/shirube',
      DATABASE_MIGRATION_URL: 'postgres://shirube@127.0.0.1/shirube',
    });
    expect(config).toMatchObject({
      databaseMigrationUrl: 'postgres://shirube@127.0.0.1/shirube',
      allowPrivilegedDatabaseRole: false,
    });
    expect(loadConfig({ SHIRUBE_ALLOW_PRIVILEGED_DB_ROLE: 'true' }).allowPrivilegedDatabaseRole).toBe(true);
  });

  describe('secrets from files (Docker secrets)', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'shirube-config-'));
      writeFileSync(join(dir, 'password'), 'p@ss:w/rd\n');
      writeFileSync(join(dir, 'url'), 'postgres://shirube:secret@db:5432/shirube\n');
      writeFileSync(join(dir, 'empty'), '\n');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('puts the password of DATABASE_PASSWORD_FILE into DATABASE_URL, encoded', () => {
      const config = loadConfig({
        DATABASE_URL: 'postgres://shirube@db:5432/shirube',
        DATABASE_PASSWORD_FILE: join(dir, 'password'),
      });
      const url = new URL(config.databaseUrl!);
      expect(url.username).toBe('shirube');
      expect(decodeURIComponent(url.password)).toBe('p@ss:w/rd');
      expect(url.host).toBe('db:5432');
      expect(url.pathname).toBe('/shirube');
    });

    it('puts the password of DATABASE_MIGRATION_PASSWORD_FILE into DATABASE_MIGRATION_URL', () => {
      const config = loadConfig({
        DATABASE_URL: 'postgres://shirube_app@db:5432/shirube',
        DATABASE_MIGRATION_URL: 'postgres://shirube@db:5432/shirube',
        DATABASE_MIGRATION_PASSWORD_FILE: join(dir, 'password'),
      });
      expect(decodeURIComponent(new URL(config.databaseMigrationUrl!).password)).toBe('p@ss:w/rd');
      expect(new URL(config.databaseUrl!).password).toBe('');
    });

    it('reads the whole URL from DATABASE_URL_FILE', () => {
      expect(loadConfig({ DATABASE_URL_FILE: join(dir, 'url') }).databaseUrl).toBe(
        'postgres://shirube:secret@db:5432/shirube',
      );
    });

    it.each([
      [{ DATABASE_URL: 'postgres://a@b/c', DATABASE_URL_FILE: 'url' }, /DATABASE_URL_FILE: set DATABASE_URL or/],
      [{ DATABASE_PASSWORD_FILE: 'password' }, /DATABASE_PASSWORD_FILE: needs DATABASE_URL/],
      [{ DATABASE_URL: 'postgres://a:b@c/d', DATABASE_PASSWORD_FILE: 'password' }, /already holds a password/],
      [{ DATABASE_URL: 'postgres://a@b/c', DATABASE_PASSWORD_FILE: 'missing' }, /cannot read .*missing \(ENOENT\)/],
      [
        { DATABASE_URL: 'postgres://a@b/c', DATABASE_PASSWORD_FILE: 'empty' },
        /DATABASE_PASSWORD_FILE: .*empty is empty/,
      ],
      [{ DATABASE_URL_FILE: 'password' }, /DATABASE_URL_FILE: not a URL/],
    ])('refuses %j naming the variable', (env, message) => {
      const absolute = Object.fromEntries(
        Object.entries(env).map(([name, value]) => [name, name.endsWith('_FILE') ? join(dir, value) : value]),
      );
      expect(() => loadConfig(absolute)).toThrow(ConfigError);
      expect(() => loadConfig(absolute)).toThrow(message);
    });

    it('never puts the secret in its message', () => {
      const env = { DATABASE_URL: 'postgres://a:b@c/d', DATABASE_PASSWORD_FILE: join(dir, 'password') };
      expect(() => loadConfig(env)).not.toThrow(/p@ss/);
    });
  });

  it('takes a folder for backups', () => {
    expect(loadConfig({ DUCKDB_PATH: '/srv/shirube/warehouse.duckdb' }).backupDir).toBe('/srv/shirube/backups');
    expect(loadConfig({ SHIRUBE_BACKUP_DIR: '/backups' }).backupDir).toBe('/backups');
  });

  it('takes an identity provider and an SMTP server, and refuses half of one', () => {
    const oidc = loadConfig({
      SHIRUBE_OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
      SHIRUBE_OIDC_CLIENT_ID: 'shirube',
      SHIRUBE_OIDC_CLIENT_SECRET: 'secret',
      SHIRUBE_OIDC_CLAIM: 'sub',
    }).signIn.oidc;
    expect(oidc).toMatchObject({ clientId: 'shirube', matchClaim: 'sub' });
    expect(loadConfig({}).signIn).toEqual({ sessionHours: 12, oidc: undefined });
    expect(() => loadConfig({ SHIRUBE_OIDC_ISSUER: 'http://idp.example.jp', SHIRUBE_OIDC_CLIENT_ID: 'x' })).toThrow(
      /SHIRUBE_OIDC_ISSUER: must be an https URL/,
    );
    expect(() => loadConfig({ SHIRUBE_OIDC_ISSUER: 'https://idp.example.jp' })).toThrow(/SHIRUBE_OIDC_CLIENT_ID/);
    expect(loadConfig({ SHIRUBE_SMTP_URL: 'smtp://mail.example.jp:587', SHIRUBE_MAIL_FROM: 'a@b.jp' }).mail).toEqual({
      smtpUrl: 'smtp://mail.example.jp:587',
      from: 'a@b.jp',
      remindDaysBefore: 3,
    });
    expect(() => loadConfig({ SHIRUBE_SMTP_URL: 'smtp://mail.example.jp' })).toThrow(/SHIRUBE_MAIL_FROM/);
    expect(() => loadConfig({ SHIRUBE_SMTP_URL: 'http://mail.example.jp', SHIRUBE_MAIL_FROM: 'a@b.jp' })).toThrow(
      /SHIRUBE_SMTP_URL/,
    );
  });
});
