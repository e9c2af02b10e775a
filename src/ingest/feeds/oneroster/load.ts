import type { WarehouseSession } from '../../../warehouse/warehouse.js';
import { ingestSql } from '../../sql/ingest-sql.js';
import { ENTITIES, MIRROR } from './package-table.js';
import type { RosterTables } from './roster-tables.js';

const Q = {
  remove: ingestSql('oneroster/mirror-remove'),
  replace: ingestSql('oneroster/mirror-replace'),
  insert: ingestSql('oneroster/mirror-insert'),
  count: ingestSql('oneroster/mirror-count'),
};

/** The staging tables derive.ts writes that the load reads (queries/ingest/oneroster/load-derived.sql). */
const DERIVED = [
  'd_schools',
  'd_years',
  'd_students',
  'd_identity_students',
  'd_identities',
  'd_homerooms',
  'd_enrolments',
  'd_history',
  'd_staff_counts',
  'affected',
] as const;

/**
 * Writes one staged package into the warehouse, inside the batch's transaction: first the mirror (each
 * entity's winning rows replace theirs; a bulk file's removed keys go), then the derived rows computed
 * while staging. Reads staging, writes `main` only. The statements are in queries/ingest/oneroster.
 */
export async function loadPackage(session: WarehouseSession, names: RosterTables, batchId: string): Promise<number> {
  const { staging } = names;
  let applied = 0;
  for (const entity of ENTITIES) {
    const table = names.tables[entity];
    const { table: mirror, key, columns } = MIRROR[entity];
    const parts = { mirror: `main.${mirror}`, key, columns, removed: names.removed(entity) };
    if (!table) {
      await staging.runOn(session, Q.remove, parts);
      continue;
    }
    await staging.runOn(session, Q.replace, { ...parts, table: table.table });
    await staging.runOn(session, Q.insert, { ...parts, table: table.table }, { batch: batchId });
    // 1.1 roles are made from users rows: those rows are counted once, as users.
    if (table.rowsRead > 0) {
      const [{ n }] = await staging.allOn<{ n: bigint }>(session, Q.count, { table: table.table });
      applied += Number(n);
    }
  }
  await staging.scriptOn(
    session,
    'oneroster/load-derived',
    Object.fromEntries(DERIVED.map((name) => [name, names.work(name)])),
    { batch: batchId },
  );
  return applied;
}
