import { randomBytes } from 'node:crypto';
import { pseudonymKeyExists } from '../ingest/ingest.errors.js';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ShirubeConfig } from './config.js';

export function pseudonymKeyPath(config: Pick<ShirubeConfig, 'pseudonymKeyFile'>): string {
  return config.pseudonymKeyFile ?? resolve('data/pseudonym.key');
}

/** Creates the board's pseudonym secret if there is none: 32 random bytes, hex, readable by the owner only (0600). */
export function ensurePseudonymKey(path: string): { path: string; created: boolean } {
  if (existsSync(path)) return { path, created: false };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { path, created: true };
}

/**
 * `shirube key create`: a new key where there is none. Never replaces a key: every pseudonym in the
 * warehouse was made with the one there, and a new one would split each student's history in two.
 */
export function createPseudonymKey(path: string): { path: string } {
  if (existsSync(path))
    throw pseudonymKeyExists(
      `${path} already holds a pseudonym key; it is never replaced (every pseudonym in the warehouse was made with it). ` +
        'Move it away yourself only if you are sure no data was ever loaded with it.',
    );
  return { path: ensurePseudonymKey(path).path };
}

/** Reads the secret; refuses a short key or a file that others can read. */
export function readPseudonymKey(path: string): Buffer {
  if (!existsSync(path)) throw new Error(`PSEUDONYM_KEY_FILE: no key file at ${path}`);
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077)
    throw new Error(
      `PSEUDONYM_KEY_FILE: ${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 ${path}`,
    );
  const text = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64,}$/i.test(text)) throw new Error(`PSEUDONYM_KEY_FILE: ${path} must hold at least 32 bytes as hex`);
  return Buffer.from(text, 'hex');
}
