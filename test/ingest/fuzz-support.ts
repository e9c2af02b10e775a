/**
 * What the property tests of the feed parsers share (test/ingest/fuzz-*.test.ts): the real application
 * on fresh stores with the fuzz world's roster loaded (bench/fuzz-feeds.ts), an ingest, and every
 * warehouse table's row count, to show that a rejected file left nothing.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { rosterPackage, type Draw } from '../../bench/fuzz-feeds.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ensurePseudonymKey, pseudonymKeyPath, readPseudonymKey } from '../../src/config/pseudonym-key.js';
import { IngestService, type BatchReport, type IngestOptions } from '../../src/ingest/ingest.service.js';
import { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import type { Problem } from '../../src/ingest/ingest.types.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Runs per property: small enough for CI (each run is a real ingest); FUZZ_RUNS raises it for a longer campaign. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 5);
/** fast-check's seed: fixed, so that CI runs the same cases; FUZZ_SEED=random for new ones. */
export const SEED =
  process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20261203);
export const settings = { numRuns: RUNS, seed: SEED, endOnFailure: true } as const;

/** The generators' choices as numbers fast-check draws (and shrinks towards 0): read in turn, round and round. */
export const choices = fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { minLength: 32, maxLength: 32 });
export function drawFrom(numbers: number[]): Draw {
  let i = 0;
  return () => numbers[i++ % numbers.length] / 2 ** 31;
}

export interface FuzzWorld {
  t: TestApp;
  pseudonymizer: Pseudonymizer;
  /** Writes a file (or a folder of files) into a folder of its own; returns its path. */
  write(name: string, content: Buffer | string | Record<string, Buffer>): string;
  ingest(path: string, options?: IngestOptions): Promise<BatchReport>;
  /** Every warehouse table's row count. */
  counts(): Promise<Record<string, number>>;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export async function startFuzzWorld(): Promise<FuzzWorld> {
  const t = await startTestApp();
  const keyFile = pseudonymKeyPath(t.stores.config);
  ensurePseudonymKey(keyFile);
  const pseudonymizer = new Pseudonymizer(readPseudonymKey(keyFile));
  let n = 0;
  const world: FuzzWorld = {
    t,
    pseudonymizer,
    write(name, content) {
      const path = join(mkdtempSync(join(t.stores.dir, `fz${n++}-`)), name);
      if (typeof content === 'string' || Buffer.isBuffer(content)) writeFileSync(path, content);
      else {
        mkdirSync(path);
        for (const [file, bytes] of Object.entries(content)) writeFileSync(join(path, file), bytes);
      }
      return path;
    },
    ingest: (path, options = {}) =>
      requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(path, CLI_ACTOR, options)),
    async counts() {
      const tables = await t.warehouse.all<{ table_name: string }>(
        `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1`,
      );
      const counts: Record<string, number> = {};
      for (const { table_name } of tables)
        counts[table_name] = Number(
          (await t.warehouse.all<{ n: bigint }>(`SELECT count(*) AS n FROM "${table_name}"`))[0].n,
        );
      return counts;
    },
    all: <T>(sql: string, params: unknown[] = []) => t.warehouse.all(sql, params as never) as Promise<T[]>,
  };
  const roster = await world.ingest(world.write('roster', rosterPackage()));
  if (roster.status !== 'loaded')
    throw new Error(`the world's roster did not load: ${JSON.stringify(roster.problems)}`);
  return world;
}

/** The errors of a report, each as `file row column: rule`, for a failure message. */
export const errorsOf = (report: BatchReport) =>
  report.problems.filter((p) => p.severity === 'error').map((p) => `${p.file} ${p.row} ${p.column}: ${p.rule}`);

/** The errors that name this file (or, for a package, one of its files). */
export const errorsNaming = (report: BatchReport, name: string): Problem[] =>
  report.problems.filter((p) => p.severity === 'error' && (p.file === name || p.file.startsWith(`${name}/`)));
