import type { DuckDBAppender } from '@duckdb/node-api';
import type { Params, Row } from '../warehouse/warehouse.js';
import type { Staging } from './staging.js';

/** Values Node holds at once: a slice of 100,000 IDs or keys is some 25 MB of JavaScript objects. */
export const NODE_SLICE_ROWS = 100_000;

/**
 * For values DuckDB cannot compute itself (a pseudonym of an ID that is not plain, a statement id made
 * from a content key, a parsed duration): runs `values` (SQL giving each value once), keeps its rows in
 * a staging table, then hands them to `append` slice by slice, to be appended to `target` (a staging
 * table). Node holds one slice at a time, whatever the number of values: read whole, the keys of
 * 4.45 M statements without an id took 1.7 GB outside DuckDB's memory limit. Returns the rows.
 */
export async function appendComputedInNode<T extends Row>(
  staging: Staging,
  values: string,
  target: string,
  append: (appender: DuckDBAppender, row: T) => void,
  options: { params?: Params; sliceRows?: number } = {},
): Promise<number> {
  const { session } = staging;
  const sliceRows = options.sliceRows ?? NODE_SLICE_ROWS;
  const kept = staging.newTable('node_values');
  await session.run(`CREATE TABLE ${kept} AS ${values}`, options.params);
  try {
    const [{ n }] = await session.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${kept}`);
    const rows = Number(n);
    // A new table's rowids are 0 .. n-1: each slice is a range of them.
    for (let from = 0; from < rows; from += sliceRows) {
      const slice = await session.all<T>(`SELECT * FROM ${kept} WHERE rowid >= $1 AND rowid < $2`, [
        BigInt(from),
        BigInt(from + sliceRows),
      ]);
      const appender = await staging.appender(target);
      for (const row of slice) append(appender, row);
      appender.closeSync();
    }
    return rows;
  } finally {
    await session.run(`DROP TABLE IF EXISTS ${kept}`);
  }
}
