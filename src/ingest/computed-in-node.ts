import type { DuckDBAppender } from '@duckdb/node-api';
import type { Params, Row } from '../warehouse/warehouse.js';
import { ingestSql, type Sql } from './sql/ingest-sql.js';
import type { StagingArea } from './staging/staging-area.js';

/** Values Node holds at once: a slice of 100,000 IDs or keys is some 25 MB of JavaScript objects. */
export const NODE_SLICE_ROWS = 100_000;

const Q = { keep: ingestSql('staging/keep-values'), slice: ingestSql('staging/slice') };

/**
 * For values DuckDB cannot compute itself (a pseudonym of an ID that is not plain, a statement id made
 * from a content key, a parsed duration): runs `values` (SQL from queries/, giving each value once), keeps
 * its rows in a staging table, then hands them to `append` slice by slice, to be appended to `target` (a
 * staging table). Node holds one slice at a time, whatever the number of values: read whole, the keys of
 * 4.45 M statements without an id took 1.7 GB outside DuckDB's memory limit. Returns the rows.
 */
export async function appendComputedInNode<T extends Row>(
  staging: StagingArea,
  values: Sql | string,
  target: string,
  append: (appender: DuckDBAppender, row: T) => void,
  options: { params?: Params; sliceRows?: number } = {},
): Promise<number> {
  const sliceRows = options.sliceRows ?? NODE_SLICE_ROWS;
  const kept = staging.newTable('node_values');
  await staging.run(Q.keep, { table: kept, values: { sql: values as Sql } }, options.params);
  try {
    const rows = await staging.rowCount(kept);
    for (let from = 0; from < rows; from += sliceRows) {
      const slice = await staging.all<T>(Q.slice, { table: kept }, [BigInt(from), BigInt(from + sliceRows)]);
      const appender = await staging.appender(target);
      for (const row of slice) append(appender, row);
      appender.closeSync();
    }
    return rows;
  } finally {
    await staging.dropTable(kept);
  }
}
