import type { Sql } from '../../sql/ingest-sql.js';
import type { Staging } from '../../staging.js';
import { ENTITIES, type Entity, MIRROR, type PackageTable, stateTable, targetSets } from './package-table.js';

/**
 * The staging tables of one package: a prefix unique in the batch, and for each entity its package
 * table (the file's rows), its effective table (the roster after this package) and the keys a bulk
 * file removes. Every step of the feed finds its inputs here instead of passing names around.
 */
export class RosterTables {
  readonly tables = Object.fromEntries(ENTITIES.map((e) => [e, null])) as Record<Entity, PackageTable | null>;

  constructor(
    readonly staging: Staging,
    private readonly prefix: string,
  ) {}

  package(entity: Entity): string {
    return `${this.prefix}_pkg_${entity}`;
  }

  effective(entity: Entity): string {
    return `${this.prefix}_eff_${entity}`;
  }

  removed(entity: Entity): string {
    return `${this.prefix}_removed_${entity}`;
  }

  /** Any other working table of this package. */
  work(name: string): string {
    return `${this.prefix}_${name}`;
  }

  /** The batch's roster state before this package (the warehouse mirror plus earlier packages of the batch). */
  state(entity: Entity): string {
    return stateTable(this.staging, entity);
  }

  /** Reference target sets of an entity whose effective table is built: active IDs, and this package's rejected IDs. */
  targets(entity: Entity): { active: Sql; rejected: Sql } {
    return targetSets(this.effective(entity), MIRROR[entity].key, this.tables[entity]);
  }
}
