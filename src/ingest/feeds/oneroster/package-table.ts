import type { DuckDBValue } from '@duckdb/node-api';
import type { SourceFile } from '../../ingest.types.js';
import type { StageContext } from '../../feed.js';
import type { Staging } from '../../staging.js';
import { ingestSql, ingestStatements, quoteIdent, render, type Sql } from '../../sql/ingest-sql.js';
import { readRules, rulesFor, type Rule } from '../../staging/rule-engine.js';
import { boundParams } from '../../staging/staging-area.js';
import { VOCABULARIES } from './vocabulary.js';
import type { Said } from '../../problems/problem-catalogue.js';

/** The OneRoster files the ingest reads (the others, such as userProfiles with its passwords, are never opened). */
export const ENTITIES = [
  'orgs',
  'academicSessions',
  'courses',
  'classes',
  'users',
  'roles',
  'enrollments',
  'demographics',
] as const;
export type Entity = (typeof ENTITIES)[number];

/** A mirror table in the warehouse: its key, and the columns besides key, status, date_last_modified and batch_id. */
export interface MirrorSpec {
  table: string;
  key: string;
  columns: readonly string[];
}

export const MIRROR: Record<Entity, MirrorSpec> = {
  orgs: { table: 'roster_orgs', key: 'org_id', columns: ['name', 'type', 'school_code', 'parent_id'] },
  academicSessions: {
    table: 'roster_sessions',
    key: 'session_id',
    columns: ['title', 'type', 'start_date', 'end_date', 'parent_id', 'school_year', 'academic_year'],
  },
  courses: { table: 'roster_courses', key: 'course_id', columns: ['org_id', 'school_year_id'] },
  classes: {
    table: 'roster_classes',
    key: 'class_id',
    columns: ['title', 'class_type', 'course_id', 'org_id', 'term_ids', 'grades', 'special_needs', 'disability_type'],
  },
  users: {
    table: 'roster_users',
    key: 'user_pid',
    columns: ['enabled', 'grades', 'org_id', 'home_class_id', 'academic_year'],
  },
  roles: { table: 'roster_roles', key: 'role_pid', columns: ['user_pid', 'role_type', 'role', 'org_id'] },
  enrollments: {
    table: 'roster_enrollments',
    key: 'enrollment_pid',
    columns: ['class_id', 'user_pid', 'org_id', 'role', 'is_primary'],
  },
  demographics: { table: 'roster_demographics', key: 'user_pid', columns: ['sex', 'birth_year_month'] },
};

export type StagedMode = 'bulk' | 'delta';

/**
 * One entity file of a package, read into a typed staging table that has, besides the entity's mirror
 * columns: line, rejected, status, "dateLastModified" (as written, for problem values), dlm (parsed),
 * deleting (a delta row with status tobedeleted), stale (older than the roster state: ignored),
 * keep (an entity the mirror stores: not a parent, say) and wins (applied to the mirror).
 */
export interface PackageTable {
  entity: Entity;
  file: SourceFile;
  mode: StagedMode;
  table: string;
  rowsRead: number;
}

const Q = {
  macros: ingestStatements('oneroster/macros'),
  commonColumns: ingestSql('oneroster/package/common-columns'),
  openState: ingestSql('oneroster/package/open-state'),
  markStale: ingestSql('oneroster/package/mark-stale'),
  markWinners: ingestSql('oneroster/package/mark-winners'),
  effective: ingestSql('oneroster/package/effective'),
  unchanged: ingestSql('oneroster/package/effective-unchanged'),
  active: ingestSql('oneroster/package/target-active'),
  rejected: ingestSql('oneroster/package/target-rejected'),
  noIds: ingestSql('oneroster/package/no-ids'),
  hasContent: ingestSql('oneroster/package/has-content'),
  listed: ingestSql('oneroster/package/listed-ids'),
  listRefs: ingestSql('oneroster/package/list-refs'),
  rejectRows: ingestSql('rules/reject-rows'),
};

const RULES = {
  rows: readRules('oneroster/rules/row-rules'),
  repeat: readRules('oneroster/rules/repeat-rules'),
  older: readRules('oneroster/rules/older-rules'),
  reference: readRules('oneroster/rules/reference-rules'),
  listReference: readRules('oneroster/rules/list-reference-rules'),
};

/** No IDs: a set of IDs of a file the package does not have. */
export const NO_IDS = Q.noIds;

/**
 * Reads an entity file's raw rows (`raw`, dropped) into its package table with a statement of
 * queries/ingest/oneroster/read, which starts with the columns every package table has
 * (package/common-columns.sql). `values`: what else the statement binds.
 */
export async function readPackageTable(
  staging: Staging,
  read: Sql,
  table: PackageTable,
  raw: string,
  values: Record<string, DuckDBValue> = {},
): Promise<void> {
  const sql = render(read, { table: table.table, raw, common: { sql: Q.commonColumns } });
  const { params, types } = boundParams(sql, { ...values, delta: table.mode === 'delta' });
  await staging.session.run(sql, params, types);
  await staging.dropTable(raw);
}

/** A staging table's name without its catalog, for correlated subqueries that refer to the outer row. */
export const bareName = (table: string) => table.slice(table.indexOf('.') + 1);

/** The optional columns every entity file may carry (the spec has them first in every file). */
export const STATUS_COLUMNS = ['status', 'dateLastModified'] as const;

/** Applies rules to a package table's rows; the vocabularies are bound for them (VOCABULARIES). */
export const checkRows = (staging: Staging, table: PackageTable, rules: readonly Rule[]) =>
  staging.validate(table.table, table.file.name, rules, VOCABULARIES);

/** Rows that repeat an earlier row's natural key (`key`; `column`, as the file names it): the first one stands. */
export const repeatRules = (table: string, key: string, column: string): Rule[] =>
  rulesFor(RULES.repeat, { table, key, column: quoteIdent(column) });

/**
 * The rules every row of every file meets: a sourcedId, once per file, and status/dateLastModified as
 * the file's mode wants them (bulk: blank status; delta: a status from the vocabulary and a date).
 */
export function rowRules(table: PackageTable): Rule[] {
  const key = MIRROR[table.entity].key;
  return [
    ...rulesFor(RULES.rows, { key }, { ...VOCABULARIES, bulk: table.mode === 'bulk', delta: table.mode === 'delta' }),
    ...repeatRules(table.table, key, 'sourcedId'),
  ];
}

/** The roster state of this batch: the warehouse mirror, then each package of the batch applied in turn. */
export const stateTable = (staging: Staging, entity: Entity) =>
  staging.t(`roster_state_${MIRROR[entity].table.replace('roster_', '')}`);

/**
 * Makes the feed's SQL helpers (macros.sql) and, once per batch (the first package staged), the batch's
 * roster state from the warehouse mirror.
 */
export async function openRosterState(staging: Staging): Promise<void> {
  for (const statement of Q.macros) await staging.session.run(statement);
  for (const entity of ENTITIES) {
    const { table, key, columns } = MIRROR[entity];
    await staging.run(Q.openState, { state: stateTable(staging, entity), key, columns, mirror: `main.${table}` });
  }
}

/**
 * After a file's own rules: an error recorded against one of its rows through another staging table
 * (the pre-pseudonymised check of the ids in userIds) rejects the row too. Then a delta row older than
 * the state's row for the same key is marked stale: not applied, a warning rather than an error.
 */
export async function markStale(staging: Staging, table: PackageTable): Promise<void> {
  await staging.run(Q.rejectRows, { table: table.table }, [table.file.name]);
  if (table.mode !== 'delta') return;
  const key = MIRROR[table.entity].key;
  await staging.run(Q.markStale, { table: table.table, state: stateTable(staging, table.entity), key });
  await staging.validate(table.table, table.file.name, rulesFor(RULES.older, {}));
}

/** After validation: the rows that will be applied to the mirror. */
export async function markWinners(staging: Staging, table: PackageTable): Promise<void> {
  await staging.run(Q.markWinners, { table: table.table });
}

/**
 * The entity as it will be after this package (`into`): state rows neither replaced by a winning row nor
 * removed by a bulk file's scope (`removed`: none for reference data), plus the winning rows (a deleting
 * row becomes a tombstone).
 */
export async function buildEffective(
  staging: Staging,
  entity: Entity,
  table: PackageTable | null,
  removed: string,
  into: string,
): Promise<void> {
  const { key, columns } = MIRROR[entity];
  const parts = { into, key, columns, state: stateTable(staging, entity), removed };
  if (table) await staging.run(Q.effective, { ...parts, table: table.table });
  else await staging.run(Q.unchanged, parts);
}

export interface ReferenceTarget {
  /** What is referred to, for the rule text: 'org', 'class' ... */
  what: string;
  /** The file it comes from, for the rule text. */
  file: string;
  /** SQL subquery: the IDs that can be referred to (active after this package). */
  active: Sql;
  /** SQL subquery: IDs of this package's rows of that file that were rejected. */
  rejected: Sql;
  /** What the problem says when the ID is unknown (default: "names no <what> in <file> or earlier rosters"). */
  unknownSaid?: Said;
}

/**
 * Two rules for a column that refers to another entity (queries/ingest/oneroster/rules/reference-rules.sql):
 * an ID that exists nowhere (in the package or the roster state) and an ID whose row in this package was
 * rejected, so the defect is named where it is. `content`: the rows checked; `withheld`: the ID is a
 * person's pseudonym, never shown.
 */
export function referenceRules(
  column: string,
  id: string,
  target: ReferenceTarget,
  options: { content?: Sql; withheld?: boolean } = {},
): Rule[] {
  const [unknown, rejected] = rulesFor(
    RULES.reference,
    {
      column: quoteIdent(column),
      id,
      content: { sql: options.content ?? Q.hasContent },
      active: { sql: target.active },
      rejected: { sql: target.rejected },
    },
    { what: target.what, what_file: target.file },
  ).map((rule): Rule => (options.withheld ? { ...rule, value: 'withheld' } : rule));
  if (!target.unknownSaid) return [unknown, rejected];
  const { params: _params, ...said } = unknown;
  return [{ ...said, ...target.unknownSaid }, rejected];
}

/**
 * referenceRules for a comma-list column (termSourcedIds, orgSourcedIds): `refs` holds one (line, id)
 * per listed ID (listRefs); the problem's value lists the IDs at fault. `self` is the bare name of the
 * validated table.
 */
export function listReferenceRules(column: string, refs: string, self: string, target: ReferenceTarget): Rule[] {
  return rulesFor(
    RULES.listReference,
    { column: quoteIdent(column), refs, self, active: { sql: target.active }, rejected: { sql: target.rejected } },
    { what: target.what, what_file: target.file },
  );
}

/** Makes `refs` for listReferenceRules: one (line, id) per ID a list column of a package table names. */
export async function listRefs(staging: Staging, table: PackageTable, list: string, refs: string): Promise<void> {
  await staging.run(Q.listRefs, { into: refs, table: table.table, list });
}

/** SQL subquery: the IDs (`key`) a package file lists, rejected rows and all; none when the package has no such file. */
export const listedIds = (table: PackageTable | null, key: string): Sql =>
  table ? render(Q.listed, { key, table: table.table }) : Q.noIds;

/** SQL subqueries for a reference target: active IDs of an effective table, rejected IDs of a package table. */
export function targetSets(effective: string, key: string, table: PackageTable | null): { active: Sql; rejected: Sql } {
  return {
    active: render(Q.active, { key, table: effective }),
    rejected: table ? render(Q.rejected, { key, table: table.table }) : Q.noIds,
  };
}

/** Progress and the common part of reading one entity file: null when the file is unusable (missing required columns). */
export async function readEntityCsv(
  context: StageContext,
  file: SourceFile,
  shape: { required: readonly string[]; optional: readonly string[]; ignored: readonly string[] },
): Promise<{ table: string; rows: number } | null> {
  const raw = await context.staging.readCsv(file, {
    required: shape.required,
    optional: [...STATUS_COLUMNS, ...shape.optional],
    ignored: shape.ignored,
    extensionPrefix: 'metadata.',
  });
  if (raw) context.progress(file.name, raw.rows);
  return raw;
}
