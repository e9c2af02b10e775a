import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import pg from 'pg';
import type { Actor } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';

/** The PostgreSQL channel on which every change of users or tokens is announced (auth.repository.ts). */
export const CREDENTIALS_CHANNEL = 'shirube_credentials';
/** A remembered decision is read again after this long even without any announced change (a change made by hand in SQL). */
export const CREDENTIAL_TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;
const RELISTEN_MS = 1_000;

/** What a live bearer token decides: who acts, with which token. */
export interface LiveCredential {
  actor: Actor;
  tokenId: string;
}

/**
 * Live bearer tokens recently read in this process, by the digest of their secret, so that a client's next call
 * does not read its token and user again. Only accepted tokens are kept (a refusal is read, audited and counted
 * every time). Any change of a user or token clears everything: in this process when its transaction commits,
 * in every other one by the PostgreSQL notification the transaction sends. A read that started before a change
 * is not kept (the generation moved on).
 */
export class CredentialMemo {
  private readonly entries = new Map<string, { credential: LiveCredential; at: number }>();
  private generationNow = 0;
  private live: boolean;

  constructor(
    live: boolean,
    private readonly ttlMs = CREDENTIAL_TTL_MS,
    private readonly maxEntries = MAX_ENTRIES,
  ) {
    this.live = live;
  }

  /** The remembered decision for this digest, if still fresh; a copy of its actor. */
  get(digest: string, now = Date.now()): LiveCredential | undefined {
    if (!this.live) return undefined;
    const entry = this.entries.get(digest);
    if (!entry) return undefined;
    if (now - entry.at >= this.ttlMs) {
      this.entries.delete(digest);
      return undefined;
    }
    return { actor: { ...entry.credential.actor }, tokenId: entry.credential.tokenId };
  }

  /** Taken before reading a credential; put() keeps the read only if nothing changed since. */
  generation(): number {
    return this.generationNow;
  }

  put(digest: string, credential: LiveCredential, generation: number, now = Date.now()): void {
    if (!this.live || generation !== this.generationNow) return;
    this.entries.delete(digest);
    this.entries.set(digest, { credential: { actor: { ...credential.actor }, tokenId: credential.tokenId }, at: now });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** A user or token changed: nothing remembered holds, nor does any read in flight. */
  clear(): void {
    this.generationNow++;
    this.entries.clear();
  }

  /** Whether changes can reach this process; while they cannot, nothing is remembered. */
  setLive(live: boolean): void {
    this.clear();
    this.live = live;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The memo of this process, and on PostgreSQL the connection that listens for changes made by other processes
 * (a command line beside the server, a second server). It listens from the first use on, so that a command that
 * never checks a bearer token opens no connection; while the connection is down nothing is remembered. On PGlite
 * every other process goes through this one's API (store-lock.ts): the changes are all its own.
 */
@Injectable()
export class CredentialCache implements OnApplicationShutdown {
  private readonly logger = new Logger('CredentialCache');
  private readonly memo: CredentialMemo;
  private listener: pg.Client | null = null;
  private started = false;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  /** The context this was made in (no request's): the connection and its events must not carry the first caller's. */
  private readonly outside = new AsyncResource('CredentialCache');

  constructor(@Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig) {
    this.memo = new CredentialMemo(!this.announced);
  }

  get(digest: string): LiveCredential | undefined {
    if (!this.started) this.start();
    return this.memo.get(digest);
  }

  generation(): number {
    return this.memo.generation();
  }

  put(digest: string, credential: LiveCredential, generation: number): void {
    this.memo.put(digest, credential, generation);
  }

  /** After a change of users or tokens committed in this process. */
  changed(): void {
    this.memo.clear();
  }

  /** Whether changes are announced to other processes: on PostgreSQL (PGlite's are all this process's own). */
  get announced(): boolean {
    return Boolean(this.config.databaseUrl);
  }

  /** Whether changes announced by other processes reach this one (PGlite: there are none). */
  get listening(): boolean {
    return !this.announced || this.listener !== null;
  }

  private start(): void {
    this.started = true;
    if (this.announced) this.outside.runInAsyncScope(() => void this.listen());
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.config.databaseUrl });
    const lost = (error?: Error) => {
      if (this.listener !== client) return;
      this.listener = null;
      this.memo.setLive(false);
      if (error) this.logger.warn(`credential changes: connection lost (${error.message}); reading every token`);
      client.end().catch(() => undefined);
      this.later();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', () => this.memo.clear());
    try {
      await client.connect();
      await client.query(`LISTEN ${CREDENTIALS_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.listener = client;
      this.memo.setLive(true);
    } catch (error) {
      this.logger.warn(`credential changes: cannot listen (${(error as Error).message}); reading every token`);
      client.end().catch(() => undefined);
      this.later();
    }
  }

  private later(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.listen();
    }, RELISTEN_MS);
    this.retry.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.listener;
    this.listener = null;
    this.memo.setLive(false);
    if (client) await client.end().catch(() => undefined);
  }
}
