import type { SourceFile } from '../../ingest.types.js';
import type { StageContext } from '../../feed.js';
import type { InlineRule as Rule, Staging } from '../../staging.js';
import { duplicateRule } from '../../staging.js';
import { STATUSES, sqlList } from './vocabulary.js';
import { say, type Said } from '../../problems/problem-catalogue.js';

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

/** The columns every package table starts with, from a raw CSV table aliased `r`. */
export function commonColumns(mode: StagedMode): string {
  return `r.line, r.rejected, false AS stale, true AS keep, false AS wins, r.status, r."dateLastModified",
          TRY_CAST(r."dateLastModified" AS TIMESTAMPTZ) AS dlm,
          ${mode === 'delta' ? `coalesce(r.status = 'tobedeleted', false)` : 'false'} AS deleting`;
}

/** A staging table's name without its catalog, for correlated subqueries that refer to the outer row. */
export const bareName = (table: string) => table.slice(table.indexOf('.') + 1);

/** The optional columns every entity file may carry (the spec has them first in every file). */
export const STATUS_COLUMNS = ['status', 'dateLastModified'] as const;

/**
 * The rules every row of every file meets: a sourcedId, once per file, and status/dateLastModified as
 * the file's mode wants them (bulk: blank status; delta: a status from the vocabulary and a date).
 */
export function rowRules(table: PackageTable): Rule[] {
  const key = MIRROR[table.entity].key;
  const rules: Rule[] = [
    {
      severity: 'error',
      column: 'sourcedId',
      ...say('oneroster.required', { column: 'sourcedId' }),
      when: `${key} IS NULL`,
      value: 'NULL',
    },
    duplicateRule(table.table, [key], 'sourcedId', 'sourcedId'),
    {
      severity: 'error',
      column: 'status',
      ...say('oneroster.either', { column: 'status', values: STATUSES }),
      when: `status IS NOT NULL AND status NOT IN (${sqlList(STATUSES)})`,
    },
    {
      severity: 'error',
      column: 'dateLastModified',
      ...say('oneroster.not_datetime'),
      when: `"dateLastModified" IS NOT NULL AND dlm IS NULL`,
    },
  ];
  if (table.mode === 'bulk') {
    rules.push({
      severity: 'error',
      column: 'status',
      ...say('oneroster.status_blank_bulk'),
      when: 'status IS NOT NULL',
    });
  } else {
    rules.push(
      { severity: 'error', column: 'status', ...say('oneroster.status_required_delta'), when: 'status IS NULL' },
      {
        severity: 'error',
        column: 'dateLastModified',
        ...say('oneroster.dlm_required_delta'),
        when: `"dateLastModified" IS NULL`,
      },
    );
  }
  return rules;
}

/** The roster state of this batch: the warehouse mirror, then each package of the batch applied in turn. */
export const stateTable = (staging: Staging, entity: Entity) =>
  staging.t(`roster_state_${MIRROR[entity].table.replace('roster_', '')}`);

/** Creates the batch's roster state from the warehouse mirror, once per batch (the first package staged). */
export async function openRosterState(staging: Staging): Promise<void> {
  for (const entity of ENTITIES) {
    const { table, key, columns } = MIRROR[entity];
    await staging.session.run(
      `CREATE TABLE IF NOT EXISTS ${stateTable(staging, entity)} AS SELECT ${key}, ${columns.join(', ')}, status, date_last_modified FROM main.${table}`,
    );
  }
}

/**
 * After a file's own rules: an error recorded against one of its rows through another staging table
 * (the pre-pseudonymised check of the ids in userIds) rejects the row too. Then a delta row older than
 * the state's row for the same key is marked stale: not applied, a warning rather than an error.
 */
export async function markStale(staging: Staging, table: PackageTable): Promise<void> {
  await staging.session.run(
    `UPDATE ${table.table} SET rejected = true
     WHERE NOT rejected AND line IN (SELECT "row" FROM ${staging.t('problems')} WHERE file = $1 AND severity = 'error' AND "row" IS NOT NULL)`,
    [table.file.name],
  );
  if (table.mode !== 'delta') return;
  const key = MIRROR[table.entity].key;
  await staging.session.run(
    `UPDATE ${table.table} t SET stale = true FROM ${stateTable(staging, table.entity)} s
     WHERE s.${key} = t.${key} AND NOT t.rejected AND t.dlm < s.date_last_modified`,
  );
  await staging.validate(table.table, table.file.name, [
    {
      severity: 'warning',
      column: 'dateLastModified',
      ...say('oneroster.older_ignored'),
      when: 'stale',
    },
  ]);
}

/** After validation: the rows that will be applied to the mirror. */
export async function markWinners(staging: Staging, table: PackageTable): Promise<void> {
  await staging.session.run(`UPDATE ${table.table} SET wins = NOT rejected AND NOT stale AND keep`);
}

/**
 * The entity as it will be after this package: state rows neither replaced by a winning row nor removed
 * by a bulk file's scope, plus the winning rows (a deleting row becomes a tombstone).
 */
export async function buildEffective(
  staging: Staging,
  entity: Entity,
  table: PackageTable | null,
  removed: string | null,
  into: string,
): Promise<void> {
  const { key, columns } = MIRROR[entity];
  const state = stateTable(staging, entity);
  const kept = [
    `SELECT ${key}, ${columns.join(', ')}, status, date_last_modified FROM ${state} s`,
    `WHERE true`,
    table ? `AND NOT EXISTS (SELECT 1 FROM ${table.table} t WHERE t.wins AND t.${key} = s.${key})` : '',
    removed ? `AND ${key} NOT IN (SELECT ${key} FROM ${removed})` : '',
  ].join(' ');
  const winners = table
    ? `UNION ALL SELECT ${key}, ${columns.join(', ')}, CASE WHEN deleting THEN 'tobedeleted' ELSE 'active' END, dlm FROM ${table.table} WHERE wins`
    : '';
  await staging.session.run(`CREATE TABLE ${into} AS ${kept} ${winners}`);
}

export interface ReferenceTarget {
  /** What is referred to, for the rule text: 'org', 'class' ... */
  what: string;
  /** The file it comes from, for the rule text. */
  file: string;
  /** SQL subquery: the IDs that can be referred to (active after this package). */
  active: string;
  /** SQL subquery: IDs of this package's rows of that file that were rejected. */
  rejected: string;
  /** What the problem says when the ID is unknown (default: "names no <what> in <file> or earlier rosters"). */
  unknownSaid?: Said;
}

/**
 * Two rules for a column that refers to another entity: an ID that exists nowhere (in the package or
 * the roster state) and an ID whose row in this package was rejected, so the defect is named where it is.
 */
export function referenceRules(
  column: string,
  id: string,
  target: ReferenceTarget,
  options: { when?: string; value?: Rule['value'] } = {},
): Rule[] {
  const base = `${options.when ?? 'true'} AND ${id} IS NOT NULL AND ${id} NOT IN ${target.active}`;
  return [
    {
      severity: 'error',
      column,
      ...(target.unknownSaid ?? say('oneroster.reference_unknown', { column, what: target.what, file: target.file })),
      when: `${base} AND ${id} NOT IN ${target.rejected}`,
      value: options.value,
    },
    {
      severity: 'error',
      column,
      ...say('oneroster.reference_rejected', { column, what: target.what, file: target.file }),
      when: `${base} AND ${id} IN ${target.rejected}`,
      value: options.value,
    },
  ];
}

/**
 * referenceRules for a comma-list column (termSourcedIds, orgSourcedIds): `refs` holds one (line, id)
 * per listed ID; the problem's value lists the IDs at fault. `self` is the bare name of the validated table.
 */
export function listReferenceRules(column: string, refs: string, self: string, target: ReferenceTarget): Rule[] {
  const bad = (rejected: boolean) =>
    `SELECT line, id FROM ${refs} WHERE id NOT IN ${target.active} AND id ${rejected ? 'IN' : 'NOT IN'} ${target.rejected}`;
  const rule = (rejected: boolean, said: Said): Rule => ({
    severity: 'error',
    column,
    ...said,
    value: `(SELECT string_agg(id, ',' ORDER BY id) FROM (${bad(rejected)}) b WHERE b.line = ${self}.line)`,
    when: `line IN (SELECT line FROM (${bad(rejected)}))`,
  });
  return [
    rule(false, say('oneroster.list_unknown', { column, what: target.what, file: target.file })),
    rule(true, say('oneroster.list_rejected', { column, what: target.what, file: target.file })),
  ];
}

/** SQL subqueries for a reference target: active IDs of an effective table, rejected IDs of a package table. */
export function targetSets(
  effective: string,
  key: string,
  table: PackageTable | null,
): { active: string; rejected: string } {
  return {
    active: `(SELECT ${key} FROM ${effective} WHERE status = 'active')`,
    rejected: table
      ? `(SELECT ${key} FROM ${table.table} WHERE rejected AND ${key} IS NOT NULL)`
      : `(SELECT NULL::VARCHAR WHERE false)`,
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
