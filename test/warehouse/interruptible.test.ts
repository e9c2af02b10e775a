import { Warehouse } from '../../src/warehouse/warehouse.js';
import { failureOf } from '../support/failure.js';

/** Minutes of work for DuckDB: nothing a test waits for unless it is stopped. */
const ENDLESS = 'SELECT count(*) AS n FROM range(100000000000) WHERE range % 7 = 3';

describe('warehouse reads under limits (real DuckDB)', () => {
  let warehouse: Warehouse;
  beforeAll(async () => (warehouse = await Warehouse.open(':memory:')));
  afterAll(async () => warehouse.close());

  it('stops a read when the client goes away, and the next read works', async () => {
    const client = new AbortController();
    setTimeout(() => client.abort(), 100);
    const { error, ms } = await failureOf(warehouse.read((s) => s.all(ENDLESS), { signal: client.signal }));
    expect(error.code).toBe('QUERY_CANCELLED');
    expect(error.message).toBe('stopped the warehouse query: the client went away');
    expect(ms).toBeLessThan(5000);
    expect(await warehouse.all('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('stops every later statement of the same read too, not only the one running', async () => {
    const client = new AbortController();
    setTimeout(() => client.abort(), 100);
    const ran: string[] = [];
    const { error } = await failureOf(
      warehouse.read(
        async (s) => {
          try {
            await s.all(ENDLESS);
          } catch {
            ran.push('first stopped');
          }
          // Work that swallows the interrupt and goes on is stopped again.
          await s.all(ENDLESS);
          ran.push('second finished');
        },
        { signal: client.signal },
      ),
    );
    expect(error.code).toBe('QUERY_CANCELLED');
    expect(ran).toEqual(['first stopped']);
  });

  it('stops a read past its time limit', async () => {
    const { error } = await failureOf(warehouse.read((s) => s.all(ENDLESS), { timeoutMs: 100 }));
    expect(error).toMatchObject({ code: 'QUERY_LIMIT', details: { limit: 'time', timeoutMs: 100 } });
  });

  it('does not start when the client has already gone', async () => {
    const client = new AbortController();
    client.abort();
    const ran: string[] = [];
    const { error } = await failureOf(
      warehouse.read(() => Promise.resolve(void ran.push('ran')), { signal: client.signal }),
    );
    expect(error.code).toBe('QUERY_CANCELLED');
    expect(ran).toEqual([]);
  });
});
