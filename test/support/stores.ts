import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type ShirubeConfig } from '../../src/config/config.js';

export interface TestStores {
  config: ShirubeConfig;
  /** 'postgres' when DATABASE_URL points at a real server, else 'pglite'. */
  kind: 'postgres' | 'pglite';
  dir: string;
  cleanup(): Promise<void>;
}

let counter = 0;

/**
 * Fresh, empty, real stores for one test file: a new database on the PostgreSQL of DATABASE_URL
 * (or an in-memory PGlite when it is unset) and a new DuckDB file in a temporary folder.
 */
export async function freshStores(): Promise<TestStores> {
  const dir = mkdtempSync(join(tmpdir(), 'shirube-test-'));
  const base = loadConfig({
    ...process.env,
    DUCKDB_PATH: join(dir, 'warehouse.duckdb'),
    PSEUDONYM_KEY_FILE: join(dir, 'pseudonym.key'),
  });
  if (!base.databaseUrl) {
    return {
      config: { ...base, pgliteDir: 'memory://' },
      kind: 'pglite',
      dir,
      cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const database = `shirube_test_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: base.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(base.databaseUrl);
  url.pathname = `/${database}`;
  return {
    config: { ...base, databaseUrl: url.toString() },
    kind: 'postgres',
    dir,
    cleanup: async () => {
      const client = new pg.Client({ connectionString: base.databaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The environment of a `shirube` child process on these stores: PGlite in a folder of the test's (a
 * second process cannot share an in-memory database), the same DuckDB file and key.
 */
export function cliEnvironment(stores: TestStores): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: stores.config.databaseUrl ?? '',
    SHIRUBE_PGLITE_DIR: join(stores.dir, 'pg'),
    DUCKDB_PATH: stores.config.duckdbPath,
    PSEUDONYM_KEY_FILE: stores.config.pseudonymKeyFile,
  };
}
