import type { StageContext } from '../../feed.js';
import { ingestSql, ingestStatements, render, type Sql } from '../../sql/ingest-sql.js';
import { effectiveStudents } from './enrollments.js';
import { type Entity, MIRROR } from './package-table.js';
import type { RosterTables } from './roster-tables.js';

const Q = {
  studentUsers: ingestSql('oneroster/derive/student-users'),
  candidates: ingestSql('oneroster/derive/candidates'),
  enrolments: ingestSql('oneroster/derive/enrolments'),
  history: ingestSql('oneroster/derive/history'),
  homerooms: ingestSql('oneroster/derive/homerooms'),
  changed: ingestSql('oneroster/derive/changed'),
  changedNone: ingestSql('oneroster/derive/changed-none'),
  changedClasses: ingestSql('oneroster/derive/changed-classes'),
  changedUsers: ingestSql('oneroster/derive/changed-users'),
  affectedYears: ingestSql('oneroster/derive/affected-years'),
  affectedSchools: ingestSql('oneroster/derive/affected-schools'),
  affected: ingestSql('oneroster/derive/affected'),
  staffCounts: ingestSql('oneroster/derive/staff-counts'),
  schools: ingestSql('oneroster/derive/schools'),
  years: ingestSql('oneroster/derive/years'),
  sessionYears: ingestSql('oneroster/derive/session-years'),
  noYears: ingestSql('oneroster/package/no-years'),
  students: ingestSql('oneroster/derive/students'),
  identities: ingestStatements('oneroster/derive/identities'),
  noIdentities: ingestStatements('oneroster/derive/no-identities'),
  publish: ingestStatements('oneroster/derive/publish'),
};

/**
 * The warehouse rows a package changes, computed in staging from the roster after the package (the
 * effective tables), so that later feeds of the batch can already check against them (new_* tables)
 * and the load only copies them. The statements are in queries/ingest/oneroster/derive.
 *
 * Enrolments, homerooms and staff counts are recomputed for the affected (school, 年度) pairs: the
 * schools and years of everything the package changed, before and after the change. Inside those pairs
 * the result replaces what the warehouse has, except the history of a student who has since moved on
 * to a later year (see `d_history`). Schools, years, students and identities are upserted, never
 * deleted: facts of earlier years still point at them.
 */
export async function deriveWarehouseRows(context: StageContext, names: RosterTables): Promise<void> {
  const { staging } = context;
  const eff = (e: Entity) => names.effective(e);
  const w = (n: string) => names.work(n);
  await affectedPairs(context, names);
  await staging.run(Q.studentUsers, {
    into: w('student_users'),
    users: eff('users'),
    orgs: eff('orgs'),
    roles: eff('roles'),
    students: { sql: effectiveStudents(names) },
  });
  await staging.run(Q.candidates, {
    into: w('candidates'),
    enrollments: eff('enrollments'),
    student_users: w('student_users'),
    places: w('place_new'),
  });
  await staging.run(Q.enrolments, {
    into: w('d_enrolments'),
    candidates: w('candidates'),
    student_users: w('student_users'),
    affected: w('affected'),
  });
  await staging.run(Q.history, {
    into: w('d_history'),
    users: eff('users'),
    state_users: names.state('users'),
    affected_years: w('affected_years'),
  });
  await staging.run(Q.homerooms, { into: w('d_homerooms'), places: w('place_new'), affected: w('affected') });
  await staging.run(Q.staffCounts, {
    into: w('d_staff_counts'),
    roles: eff('roles'),
    users: eff('users'),
    orgs: eff('orgs'),
    enrollments: eff('enrollments'),
    places: w('place_new'),
    affected: w('affected'),
  });
  await deriveReferenceRows(context, names);
}

/** SQL subquery: the keys of an entity the package changes (removed, or a winning row of its file). */
function changed(names: RosterTables, entity: Entity): { sql: Sql } {
  const { key } = MIRROR[entity];
  const table = names.tables[entity];
  const removed = names.removed(entity);
  return {
    sql: table ? render(Q.changed, { key, removed, table: table.table }) : render(Q.changedNone, { key, removed }),
  };
}

/** affected_years, affected_schools and their product `affected`: what the package touches, before and after. */
async function affectedPairs(context: StageContext, names: RosterTables): Promise<void> {
  const { staging } = context;
  const w = (n: string) => names.work(n);
  await staging.run(Q.changedClasses, {
    into: w('changed_classes'),
    changed_classes: changed(names, 'classes'),
    changed_enrollments: changed(names, 'enrollments'),
    changed_sessions: changed(names, 'academicSessions'),
    state_enrollments: names.state('enrollments'),
    enrollments: names.effective('enrollments'),
    classes: names.effective('classes'),
  });
  await staging.run(Q.changedUsers, {
    into: w('changed_users'),
    changed_users: changed(names, 'users'),
    changed_roles: changed(names, 'roles'),
    state_roles: names.state('roles'),
    roles: names.effective('roles'),
  });
  const places = { place_old: w('place_old'), place_new: w('place_new') };
  await staging.run(Q.affectedYears, {
    into: w('affected_years'),
    scope_years: w('scope_years'),
    ...places,
    changed_classes: w('changed_classes'),
    changed_users: w('changed_users'),
    users: names.effective('users'),
  });
  await staging.run(Q.affectedSchools, {
    into: w('affected_schools'),
    scope_schools: w('scope_schools'),
    ...places,
    changed_classes: w('changed_classes'),
    changed_users: w('changed_users'),
    changed_orgs: changed(names, 'orgs'),
    ...Object.fromEntries(
      (['orgs', 'users', 'enrollments', 'roles'] as const).flatMap((e) => [
        [`state_${e}`, names.state(e)],
        [e, names.effective(e)],
      ]),
    ),
  });
  await staging.run(Q.affected, {
    into: w('affected'),
    affected_schools: w('affected_schools'),
    affected_years: w('affected_years'),
  });
}

/** Schools, 年度, students and their identities: the rows that differ from the warehouse (or are new). */
async function deriveReferenceRows(context: StageContext, names: RosterTables): Promise<void> {
  const { staging } = context;
  const eff = (e: Entity) => names.effective(e);
  const w = (n: string) => names.work(n);
  await staging.run(Q.schools, { into: w('d_schools'), orgs: eff('orgs') });
  const sessions = names.tables.academicSessions;
  await staging.run(Q.years, {
    into: w('d_years'),
    sessions: eff('academicSessions'),
    enrolments: w('d_enrolments'),
    homerooms: w('d_homerooms'),
    session_years: { sql: sessions ? render(Q.sessionYears, { sessions: sessions.table }) : Q.noYears },
  });
  await staging.run(Q.students, {
    into: w('d_students'),
    student_users: w('student_users'),
    demographics: eff('demographics'),
  });
  // Identities are replaced for the students whose users row this package applies.
  const users = names.tables.users;
  const parts = { into: w('d_identities'), identity_students: w('d_identity_students') };
  const statements = users ? Q.identities : Q.noIdentities;
  for (const statement of statements)
    await staging.run(
      statement,
      users
        ? {
            ...parts,
            users: users.table,
            students: { sql: effectiveStudents(names) },
            identities: w('identities'),
            mbox_ids: w('mbox_ids'),
          }
        : parts,
    );
}

/** What this package adds, for the feeds staged after it in the same batch (attendance checks enrolments ...). */
export async function publishToBatch(context: StageContext, names: RosterTables): Promise<void> {
  const w = (n: string) => names.work(n);
  const parts = {
    orgs: names.effective('orgs'),
    students: w('d_students'),
    identities: w('d_identities'),
    enrolments: w('d_enrolments'),
  };
  for (const statement of Q.publish) await context.staging.run(statement, parts);
}
