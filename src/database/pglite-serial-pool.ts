import { PGliteDriver } from 'typeorm-pglite';

type Release = (error?: unknown) => void;
type ConnectCallback = (error: unknown, client: unknown, release: Release) => void;
interface PoolClass {
  new (): { connect(callback: ConnectCallback): Promise<void> };
}

/**
 * The pg-style driver TypeORM gets for an embedded PGlite, lending PGlite's one session to one query
 * runner at a time.
 *
 * typeorm-pglite hands the same session to every query runner at once, so two transactions running side
 * by side share one BEGIN … COMMIT: one's ROLLBACK undoes the other's work, one's COMMIT makes the other's
 * half-done work permanent, and a row lock (FOR UPDATE) never waits. Here a query runner holds the session
 * from connect to release — a transaction from BEGIN to COMMIT — as with a PostgreSQL pool of one
 * connection, and the others wait their turn. So a transaction's callback must use its own manager:
 * a query on the data source inside it would wait for itself.
 */
export function serialPGliteDriver(dataDir: string): { Pool: PoolClass } {
  const Base = new PGliteDriver({ dataDir }).driver.Pool as unknown as PoolClass;
  class SerialPGlitePool extends Base {
    private queue: Promise<void> = Promise.resolve();

    override connect(callback: ConnectCallback): Promise<void> {
      let free!: () => void;
      const turn = new Promise<void>((resolve) => (free = resolve));
      const before = this.queue;
      this.queue = before.then(() => turn);
      let released = false;
      const release: Release = () => {
        if (released) return;
        released = true;
        free();
      };
      return before.then(() =>
        super.connect((error, client) => {
          if (error) release();
          callback(error, client, release);
        }),
      );
    }
  }
  return { Pool: SerialPGlitePool };
}
