import type { StageContext } from '../../feed.js';
import type { InlineRule as Rule } from '../../staging.js';
import type { RosterPackage } from './manifest.js';
import {
  bareName,
  commonColumns,
  listReferenceRules,
  markStale,
  type PackageTable,
  readEntityCsv,
  referenceRules,
  rowRules,
} from './package-table.js';
import type { RosterTables } from './roster-tables.js';
import { booleanSql, commaListSql, GRADE_CODES, sqlList, USER_IDS_PATTERN, USER_ROLES } from './vocabulary.js';
import { say } from '../../problems/problem-catalogue.js';

/**
 * users.csv. Only what the warehouse needs is read: the sourcedId (pseudonymised at once), enabledUser,
 * userIds (each id pseudonymised), the e-mail address (only to pseudonymise `mailto:` for students, then
 * dropped), grades, the org(s), role (1.1) and metadata.jp.homeClass. Names, kana, username,
 * identifier, phone, sms and password are never read.
 */
const NEVER_READ = [
  'username',
  'givenName',
  'familyName',
  'middleName',
  'identifier',
  'sms',
  'phone',
  'agentSourcedIds',
  'password',
];
const NEVER_READ_1_2 = [
  ...NEVER_READ,
  'userMasterIdentifier',
  'resourceSourcedIds',
  'preferredGivenName',
  'preferredMiddleName',
  'preferredFamilyName',
  'pronouns',
  'metadata.jp.kanaGivenName',
  'metadata.jp.kanaFamilyName',
  'metadata.jp.kanaMiddleName',
];

/** The column that names a user's org(s): 1.1 lists them on users.csv, 1.2 names the primary one. */
export const orgColumn = (pkg: RosterPackage) => (pkg.version === '1.1' ? 'orgSourcedIds' : 'primaryOrgSourcedId');

export async function readUsers(
  context: StageContext,
  pkg: RosterPackage,
  names: RosterTables,
): Promise<PackageTable | null> {
  const { staging } = context;
  const entry = pkg.files.users;
  if (!entry) return null;
  const v11 = pkg.version === '1.1';
  const raw = await readEntityCsv(context, entry.file, {
    required: v11 ? ['sourcedId', 'enabledUser', 'orgSourcedIds', 'role'] : ['sourcedId', 'enabledUser'],
    optional: ['userIds', 'email', 'grades', 'metadata.jp.homeClass', ...(v11 ? [] : ['primaryOrgSourcedId'])],
    ignored: v11 ? NEVER_READ : NEVER_READ_1_2,
  });
  if (!raw) return null;
  const file = entry.file.name;
  await staging.pseudonymize(raw.table, 'sourcedId', file);
  const pidMap = staging.t('pid_map');

  // One row per {type:id}; the bare id is what other feeds give as student_id.
  const ids = names.work('user_ids');
  await staging.session.run(
    `CREATE TABLE ${ids} AS
     SELECT line, false AS rejected, user_pid, trim(split_part(item, ':', 1)) AS id_type, trim(substr(item, strpos(item, ':') + 1)) AS "userIds"
     FROM (SELECT r.line, m.pid AS user_pid, unnest(regexp_extract_all(r."userIds", '\\{([^{}]*:[^{}]*)\\}', 1)) AS item
           FROM ${raw.table} r JOIN ${pidMap} m ON m.raw = r."sourcedId" WHERE regexp_full_match(r."userIds", '${USER_IDS_PATTERN}'))`,
  );
  await staging.pseudonymize(ids, 'userIds', file);
  await staging.session.run(
    `CREATE TABLE ${names.work('identities')} AS
     SELECT DISTINCT i.line, i.user_pid, i.id_type, m.pid AS id_pid FROM ${ids} i JOIN ${pidMap} m ON m.raw = i."userIds"`,
  );
  await staging.session.run(`DROP TABLE ${ids}`);
  await staging.session.run(
    `CREATE TABLE ${names.work('emails')} AS SELECT r.line, m.pid AS user_pid, r.email FROM ${raw.table} r JOIN ${pidMap} m ON m.raw = r."sourcedId" WHERE r.email IS NOT NULL`,
  );

  const table: PackageTable = {
    entity: 'users',
    file: entry.file,
    mode: entry.mode,
    table: names.package('users'),
    rowsRead: raw.rows,
  };
  const orgs = v11
    ? commaListSql('r."orgSourcedIds"')
    : `CASE WHEN r."primaryOrgSourcedId" IS NULL THEN []::VARCHAR[] ELSE [r."primaryOrgSourcedId"] END`;
  await staging.session.run(
    `CREATE TABLE ${table.table} AS
     SELECT ${commonColumns(entry.mode)}, m.pid AS user_pid, r."enabledUser", r.grades AS grades_cell, r."metadata.jp.homeClass",
            ${v11 ? 'r.role, r."orgSourcedIds"' : 'NULL::VARCHAR AS role, r."primaryOrgSourcedId"'},
            ${booleanSql('r."enabledUser"')} AS enabled, ${commaListSql('r.grades')} AS grades, ${orgs} AS org_ids,
            NULL::VARCHAR AS org_id, r."metadata.jp.homeClass" AS home_class_id, NULL::INTEGER AS academic_year,
            r."userIds" IS NOT NULL AND NOT regexp_full_match(r."userIds", '${USER_IDS_PATTERN}') AS user_ids_malformed,
            false AS is_student
     FROM ${raw.table} r LEFT JOIN ${pidMap} m ON m.raw = r."sourcedId"`,
  );
  await staging.session.run(`DROP TABLE ${raw.table}`);
  return table;
}

/** The rules of a users row that do not depend on its role. */
export async function validateUsers(
  context: StageContext,
  pkg: RosterPackage,
  names: RosterTables,
  table: PackageTable,
): Promise<void> {
  const { staging } = context;
  const t = table.table;
  const self = bareName(t);
  const content = 'NOT deleting';
  const orgsColumn = orgColumn(pkg);
  const refs = names.work('user_orgs');
  await staging.session.run(`CREATE TABLE ${refs} AS SELECT line, unnest(org_ids) AS id FROM ${t} WHERE NOT deleting`);
  const classes = names.effective('classes');
  const rules: Rule[] = [
    ...rowRules(table),
    {
      severity: 'error',
      column: 'enabledUser',
      ...say('oneroster.enabled_user'),
      when: `${content} AND enabled IS NULL`,
    },
    {
      severity: 'error',
      column: 'userIds',
      ...say('oneroster.user_ids_form'),
      value: 'withheld',
      when: `${content} AND user_ids_malformed`,
    },
    ...listReferenceRules(orgsColumn, refs, self, { what: 'org', file: 'orgs.csv', ...names.targets('orgs') }),
    ...referenceRules(
      'metadata.jp.homeClass',
      'home_class_id',
      { what: 'class', file: 'classes.csv', ...names.targets('classes') },
      { when: content },
    ),
    {
      severity: 'warning',
      column: 'metadata.jp.homeClass',
      ...say('oneroster.home_class_not_homeroom'),
      when: `${content} AND home_class_id IN (SELECT class_id FROM ${classes} WHERE status = 'active' AND class_type <> 'homeroom')`,
    },
  ];
  if (pkg.version === '1.1') {
    rules.push(
      {
        severity: 'error',
        column: 'role',
        ...say('oneroster.one_of', { column: 'role', values: USER_ROLES }),
        when: `${content} AND coalesce(role NOT IN (${sqlList(USER_ROLES)}), true)`,
      },
      {
        severity: 'error',
        column: 'orgSourcedIds',
        ...say('oneroster.required', { column: 'orgSourcedIds' }),
        when: `${content} AND len(org_ids) = 0`,
      },
    );
  }
  await staging.validate(t, table.file.name, rules);
  await staging.session.run(`DROP TABLE ${refs}`);
  // The user's school for an enrolment without classes: the first of its orgs that is a school.
  await staging.session.run(`UPDATE ${t} SET org_id = org_ids[1]`);
  await staging.session.run(
    `UPDATE ${t} SET org_id = s.org_id FROM (
       SELECT u.line, arg_min(u.org_id, u.i) AS org_id
       FROM (SELECT line, unnest(org_ids) AS org_id, generate_subscripts(org_ids, 1) AS i FROM ${t}) u
       JOIN ${names.effective('orgs')} o ON o.org_id = u.org_id AND o.status = 'active' AND o.school_code IS NOT NULL
       GROUP BY u.line) s
     WHERE s.line = ${self}.line`,
  );
  await markStale(staging, table);
}

/**
 * The rules of a student's row: a Japan-profile grade (the first of `grades`), and IDs that no other
 * student has. A student without a grade loads with a warning (the enrolment's grade stays empty).
 * `is_student` must be set on the table first.
 */
export async function validateStudents(context: StageContext, names: RosterTables, table: PackageTable): Promise<void> {
  const { staging } = context;
  const t = table.table;
  const student = 'is_student AND NOT deleting';
  const identities = names.work('identities');
  // Students whose identities this package replaces: theirs in the warehouse do not conflict.
  const replaced = `(SELECT user_pid FROM ${t} WHERE is_student AND NOT rejected AND NOT stale)`;
  const conflicts = `
    SELECT i.line FROM ${identities} i JOIN ${t} u ON u.line = i.line AND u.is_student AND NOT u.deleting
    WHERE EXISTS (SELECT 1 FROM ${identities} o JOIN ${t} ou ON ou.line = o.line AND ou.is_student AND NOT ou.deleting
                  WHERE o.id_type = i.id_type AND o.id_pid = i.id_pid AND o.user_pid <> i.user_pid)
       OR EXISTS (SELECT 1 FROM main.student_identities w
                  WHERE w.id_type = i.id_type AND w.id_pid = i.id_pid AND w.student_pid <> i.user_pid AND w.student_pid NOT IN ${replaced})`;
  await staging.validate(t, table.file.name, [
    {
      severity: 'error',
      column: 'grades',
      ...say('oneroster.first_grade', { values: GRADE_CODES }),
      value: 'grades_cell',
      when: `${student} AND len(grades) > 0 AND grades[1] NOT IN (${sqlList(GRADE_CODES)})`,
    },
    {
      severity: 'warning',
      column: 'grades',
      ...say('oneroster.no_grade'),
      when: `${student} AND len(grades) = 0`,
      value: 'NULL',
    },
    {
      severity: 'error',
      column: 'userIds',
      ...say('oneroster.user_ids_shared'),
      value: 'withheld',
      when: `line IN (${conflicts})`,
    },
  ]);
  // Grades are kept for students only (a teacher's grades taught are not needed).
  await staging.session.run(`UPDATE ${t} SET grades = NULL WHERE NOT is_student`);
  await addMailboxIdentities(context, names, table);
}

/**
 * xAPI statements may name their actor by `mbox` (mailto:address): a student's e-mail becomes one more
 * identity, the HMAC of `mailto:<email>`, and the address itself is dropped. An address two students
 * share (a family's) links nobody: a warning, and neither gets it.
 */
async function addMailboxIdentities(context: StageContext, names: RosterTables, table: PackageTable): Promise<void> {
  const { staging } = context;
  const emails = names.work('emails');
  const mailboxes = names.work('mailboxes');
  const pre = context.pseudonymizer.prePseudonymized;
  if (pre) {
    // `shirube pseudonymize` writes the pseudonym of `mailto:<address>` in place of the address; anything
    // else here is a raw address and must neither pass as a pseudonym nor be kept.
    const [{ n }] = await staging.session.all<{ n: bigint }>(
      `SELECT count(*) AS n FROM ${emails} WHERE NOT regexp_full_match(email, '[0-9a-f]{64}')`,
    );
    if (n > 0n)
      await staging.problem({
        severity: 'warning',
        file: table.file.name,
        row: null,
        column: 'email',
        value: null,
        ...say('oneroster.emails_not_pseudonyms'),
      });
    await staging.session.run(`DELETE FROM ${emails} WHERE NOT regexp_full_match(email, '[0-9a-f]{64}')`);
  }
  await staging.session.run(
    `CREATE TABLE ${mailboxes} AS SELECT e.line, e.user_pid, ${pre ? 'e.email' : `'mailto:' || e.email`} AS mbox, false AS rejected
     FROM ${emails} e JOIN ${table.table} u ON u.line = e.line WHERE u.is_student AND NOT u.deleting AND NOT u.rejected`,
  );
  await staging.session.run(`DROP TABLE ${emails}`);
  await staging.pseudonymize(mailboxes, 'mbox');
  await staging.session.run(
    `CREATE TABLE ${names.work('mbox_ids')} AS SELECT b.line, b.user_pid, m.pid AS id_pid FROM ${mailboxes} b JOIN ${staging.t('pid_map')} m ON m.raw = b.mbox`,
  );
  await staging.session.run(`DROP TABLE ${mailboxes}`);
  const shared = `SELECT b.line FROM ${names.work('mbox_ids')} b
    WHERE EXISTS (SELECT 1 FROM ${names.work('mbox_ids')} o WHERE o.id_pid = b.id_pid AND o.user_pid <> b.user_pid)
       OR EXISTS (SELECT 1 FROM main.student_identities w WHERE w.id_type = 'mbox' AND w.id_pid = b.id_pid AND w.student_pid <> b.user_pid
                  AND w.student_pid NOT IN (SELECT user_pid FROM ${table.table} WHERE is_student AND NOT rejected))`;
  await staging.validate(table.table, table.file.name, [
    {
      severity: 'warning',
      column: 'email',
      ...say('oneroster.email_shared'),
      value: 'withheld',
      when: `line IN (${shared})`,
    },
  ]);
  await staging.session.run(`DELETE FROM ${names.work('mbox_ids')} WHERE line IN (${shared})`);
}
