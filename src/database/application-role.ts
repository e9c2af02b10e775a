import type { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * What the application role needs of the control plane, and no more, granted by the owner after every
 * migration (idempotent, so a table a later migration adds is covered): reading and writing the
 * application's tables; of the audit log only SELECT and INSERT (no UPDATE, DELETE or TRUNCATE, and not
 * its owner, so it cannot `DISABLE TRIGGER` either); of the migrations table only SELECT.
 */
export async function grantApplicationRole(owner: DataSource, role: string): Promise<void> {
  const [{ schema }] = await owner.query<{ schema: string }[]>('SELECT current_schema() AS schema');
  const [r, s] = [ident(role), ident(schema)];
  for (const statement of [
    `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
    `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${s}.audit_events FROM ${r}`,
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${s}.control_plane_migrations FROM ${r}`,
  ])
    await owner.query(statement);
}

/** The role a data source connects as. */
export async function currentRole(dataSource: DataSource): Promise<string> {
  const [{ role }] = await dataSource.query<{ role: string }[]>('SELECT current_user AS role');
  return role;
}

/** How the application role could rewrite the audit log, if it could: nothing, for a role set up as above. */
export async function auditRewritePowers(app: DataSource): Promise<string[]> {
  const [row] = await app.query<
    {
      superuser: boolean;
      owner: boolean;
      rewrite: boolean;
    }[]
  >(`
    SELECT r.rolsuper AS superuser,
           pg_has_role(current_user, c.relowner, 'MEMBER') AS owner,
           has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE')
             OR has_table_privilege(c.oid, 'TRUNCATE') AS rewrite
    FROM pg_roles r CROSS JOIN pg_class c
    WHERE r.rolname = current_user AND c.oid = to_regclass('audit_events')`);
  if (!row) return ['finds no audit_events table'];
  return [
    ...(row.superuser ? ['is a superuser'] : []),
    ...(row.owner ? ['owns audit_events (or is a member of its owner)'] : []),
    ...(row.rewrite ? ['may UPDATE, DELETE or TRUNCATE audit_events'] : []),
  ];
}

/**
 * The audit log is evidence only if the application cannot rewrite it: a role that could (disable the
 * append-only trigger, delete rows) stops the start, unless SHIRUBE_ALLOW_PRIVILEGED_DB_ROLE says to go
 * on, and then it is warned of at every start.
 */
export function assertApplicationRole(role: string, powers: string[], allow: boolean, logger: Logger): void {
  if (powers.length === 0) return;
  const text =
    `the application connects to PostgreSQL as ${role}, which ${powers.join(', ')}: it could rewrite the ` +
    'audit log. Connect DATABASE_URL as a role that owns nothing and run migrations as the owner ' +
    '(DATABASE_MIGRATION_URL), see README "Database roles"';
  if (!allow) throw new Error(`${text}. SHIRUBE_ALLOW_PRIVILEGED_DB_ROLE=true starts anyway.`);
  // At the error level, so it goes to stderr and a command's --json output stays clean.
  logger.error(`*** WARNING *** ${text}. Starting anyway (SHIRUBE_ALLOW_PRIVILEGED_DB_ROLE=true).`);
}
