import { DuckDBConnection, DuckDBInstance, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { acquireStoreLock, releaseStoreLock, StoreInUseError } from '../common/store-lock.js';
import { interruptible, type QueryLimits } from './interruptible.js';
import { removeLeftoverSpill, spillFolderOf } from './spill-folder.js';
import { textOf } from '../common/text-of.js';

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;
/** Types of bound parameters, where a value alone does not say (an empty list, a NULL). */
export type ParamTypes = DuckDBType[] | Record<string, DuckDBType | undefined>;

/** Runs SQL on one DuckDB connection; what a write transaction or a read gets. */
export class WarehouseSession {
  constructor(private readonly connection: DuckDBConnection) {}

  async all<T extends Row = Row>(sql: string, params?: Params, types?: ParamTypes): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params, types);
    return reader.getRowObjectsJS() as T[];
  }

  /** The column names a query returns (run it so that it returns no rows). */
  async columns(sql: string, params?: Params, types?: ParamTypes): Promise<string[]> {
    const reader = await this.connection.runAndReadAll(sql, params, types);
    return reader.columnNames();
  }

  async run(sql: string, params?: Params, types?: ParamTypes): Promise<void> {
    await this.connection.run(sql, params, types);
  }

  /** Runs a script of several statements (a migration file), one after the other. */
  async script(sql: string): Promise<void> {
    const statements = await this.connection.extractStatements(sql);
    for (let i = 0; i < statements.count; i++) {
      const prepared = await statements.prepare(i);
      await prepared.run();
    }
  }

  /** For bulk loads: the DuckDB appender of a table (in another attached database: pass its catalog). */
  appender(table: string, catalog?: string) {
    return this.connection.createAppender(table, catalog ? 'main' : null, catalog ?? null);
  }
}

/**
 * DuckDB's errors after which it refuses every query until the instance is opened again (an internal
 * error invalidates the database: see shared STACK-NOTES on invalid UTF-8).
 */
const INVALIDATING = /^(INTERNAL|FATAL) Error|database has been invalidated/;
const invalidates = (error: unknown) => INVALIDATING.test(textOf((error as { message?: unknown } | null)?.message));

/**
 * The DuckDB warehouse of this process: one instance, one writer connection behind a queue (writes
 * are serialised), and a small pool of reader connections (reads run concurrently).
 *
 * Should DuckDB ever invalidate the instance (an internal error), the next use opens the file again,
 * as a restart would (committed transactions are durable; the one that failed is gone): one bad query
 * must not leave every later read failing until the process restarts. Input is checked so that none
 * gets there (detect.ts); this is the second line.
 */
export class Warehouse {
  private writeQueue: Promise<unknown> = Promise.resolve();
  /** Writes begun and writes ended (committed, rolled back or failed): see `mark`. */
  private writesBegun = 0;
  private writesEnded = 0;
  private readonly idleReaders: DuckDBConnection[] = [];
  private closed = false;
  private invalidated = false;

  private constructor(
    readonly path: string,
    private readonly options: { memoryLimit?: string },
    private instance: DuckDBInstance,
    private writer: DuckDBConnection,
  ) {}

  /**
   * `memoryLimit`: DuckDB's memory_limit ('8GB'), for all the instance's work, the ingest's staging
   * included; beyond it DuckDB spills to a folder beside the file (spill-folder.ts).
   */
  static async open(path: string, options: { memoryLimit?: string } = {}): Promise<Warehouse> {
    const file = path !== ':memory:';
    if (file) {
      mkdirSync(dirname(path), { recursive: true });
      acquireStoreLock(path);
    }
    try {
      const instance = await Warehouse.create(path, options);
      const writer = await instance.connect();
      return new Warehouse(path, options, instance, writer);
    } catch (error) {
      if (file) releaseStoreLock(path);
      throw lockConflictInWords(path, error);
    }
  }

  private static async create(path: string, options: { memoryLimit?: string }): Promise<DuckDBInstance> {
    const settings: Record<string, string> = {};
    if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
    if (path !== ':memory:') settings.temp_directory = spillFolderOf(path);
    const instance = await DuckDBInstance.create(path, settings);
    // Now that DuckDB holds the file's lock, no other process spills there; this one has not yet.
    if (path !== ':memory:') removeLeftoverSpill(path);
    return instance;
  }

  private noteFailure(error: unknown): never {
    if (invalidates(error)) this.invalidated = true;
    throw error;
  }

  /** Opens the file again after DuckDB invalidated the instance; run in the write queue. */
  private async reopenIfInvalidated(): Promise<void> {
    if (!this.invalidated) return;
    for (const connection of this.idleReaders.splice(0)) connection.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
    this.instance = await Warehouse.create(this.path, this.options);
    this.writer = await this.instance.connect();
    this.invalidated = false;
  }

  private queueReopen(): Promise<void> {
    const next = this.writeQueue.then(() => this.reopenIfInvalidated());
    this.writeQueue = next.catch(() => undefined);
    return next;
  }

  /**
   * Read-only work on a pooled connection; many may run at once. `limits` interrupt it (a time limit,
   * the client going away); an interrupted connection is closed, not pooled, with whatever it held.
   */
  async read<T>(work: (session: WarehouseSession) => Promise<T>, limits: QueryLimits = {}): Promise<T> {
    this.assertOpen();
    if (this.invalidated) await this.queueReopen();
    const instance = this.instance;
    const connection = this.idleReaders.pop() ?? (await instance.connect());
    let reusable = true;
    try {
      return await interruptible(
        connection,
        limits,
        'the warehouse query',
        () => work(new WarehouseSession(connection)),
        () => (reusable = false),
      );
    } catch (error) {
      return this.noteFailure(error);
    } finally {
      // An interrupted connection, or one of an instance since replaced (or invalidated), is not kept.
      if (!reusable || this.closed || this.invalidated || instance !== this.instance || this.idleReaders.length >= 8)
        connection.closeSync();
      else this.idleReaders.push(connection);
    }
  }

  all<T extends Row = Row>(sql: string, params?: Params, types?: ParamTypes): Promise<T[]> {
    return this.read((session) => session.all<T>(sql, params, types));
  }

  /**
   * Where the data stands: a number that moves whenever a write begins and whenever it ends, or null while
   * one is under way. This process is the file's only writer (the store lock), so a read that began and
   * ended at the same non-null mark read the data as it still is, for as long as the mark stays.
   */
  get mark(): number | null {
    return this.writesBegun === this.writesEnded ? this.writesBegun : null;
  }

  /** Runs one write on the writer connection, moving the mark before and after it. */
  private async writing<T>(work: () => Promise<T>): Promise<T> {
    this.writesBegun++;
    try {
      return await work();
    } finally {
      this.writesEnded++;
    }
  }

  /** A write transaction: queued behind every earlier write, committed when `work` resolves, rolled back when it throws. */
  transaction<T>(work: (session: WarehouseSession) => Promise<T>): Promise<T> {
    this.assertOpen();
    const next = this.writeQueue.then(() =>
      this.writing(async () => {
        await this.reopenIfInvalidated();
        const session = new WarehouseSession(this.writer);
        await session.run('BEGIN TRANSACTION');
        try {
          const result = await work(session);
          await session.run('COMMIT');
          return result;
        } catch (error) {
          if (invalidates(error)) return this.noteFailure(error);
          await session.run('ROLLBACK').catch((rollback: unknown) => this.noteFailure(rollback));
          throw error;
        }
      }),
    );
    this.writeQueue = next.catch(() => undefined);
    return next;
  }

  /**
   * Exclusive use of the writer connection with no transaction opened: for work that must stage in
   * another attached database first and then open its own transaction (DuckDB lets one transaction
   * write one database only).
   */
  exclusive<T>(work: (session: WarehouseSession) => Promise<T>): Promise<T> {
    this.assertOpen();
    const next = this.writeQueue.then(() =>
      this.writing(async () => {
        await this.reopenIfInvalidated();
        return work(new WarehouseSession(this.writer)).catch((error: unknown) => this.noteFailure(error));
      }),
    );
    this.writeQueue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writeQueue;
    for (const connection of this.idleReaders.splice(0)) connection.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
    if (this.path !== ':memory:') releaseStoreLock(this.path);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`warehouse ${this.path} is closed`);
  }
}

/** DuckDB's own lock (a process that is not Shirube, or an older one, holds the file) said in a sentence. */
function lockConflictInWords(path: string, error: unknown): unknown {
  const message = (error as Error)?.message ?? '';
  if (!/Could not set lock on file/i.test(message)) return error;
  const pid = /PID (\d+)/.exec(message)?.[1];
  return new StoreInUseError(path, {
    pid: pid ? Number(pid) : 0,
    kind: 'other',
    command: '',
    startedAt: '',
  });
}
