import type { StageContext } from '../../feed.js';
import { ingestSql } from '../../sql/ingest-sql.js';
import { readRules, rulesFor } from '../../staging/rule-engine.js';
import type { RosterPackage } from './manifest.js';
import {
  bareName,
  checkRows,
  listReferenceRules,
  listRefs,
  markStale,
  type PackageTable,
  readEntityCsv,
  readPackageTable,
  referenceRules,
  rowRules,
} from './package-table.js';
import type { RosterTables } from './roster-tables.js';
import { VOCABULARIES } from './vocabulary.js';
import { say } from '../../problems/problem-catalogue.js';

const Q = {
  ids: ingestSql('oneroster/users/ids'),
  identities: ingestSql('oneroster/users/identities'),
  emails: ingestSql('oneroster/users/emails'),
  read: ingestSql('oneroster/read/users'),
  readV11: ingestSql('oneroster/read/users-v1p1'),
  firstOrg: ingestSql('oneroster/users/first-org'),
  schoolOrg: ingestSql('oneroster/users/school-org'),
  gradesStudentsOnly: ingestSql('oneroster/users/grades-students-only'),
  emailsNotPseudonyms: ingestSql('oneroster/users/emails-not-pseudonyms'),
  dropRawEmails: ingestSql('oneroster/users/drop-raw-emails'),
  mailboxes: ingestSql('oneroster/users/mailboxes'),
  mailboxIds: ingestSql('oneroster/users/mailbox-ids'),
  sharedMailboxes: ingestSql('oneroster/users/shared-mailboxes'),
  unsharedMailboxes: ingestSql('oneroster/users/unshared-mailboxes'),
};
const RULES = {
  users: readRules('oneroster/rules/users-rules'),
  students: readRules('oneroster/rules/students-rules'),
  mailboxes: readRules('oneroster/rules/mailbox-rules'),
};

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

  // One row per {type:id}; the bare id is what other feeds give as student_id.
  const ids = names.work('user_ids');
  await staging.run(Q.ids, { into: ids, raw: raw.table });
  await staging.pseudonymize(ids, 'userIds', file);
  await staging.run(Q.identities, { into: names.work('identities'), ids });
  await staging.dropTable(ids);
  await staging.run(Q.emails, { into: names.work('emails'), raw: raw.table });

  const table: PackageTable = {
    entity: 'users',
    file: entry.file,
    mode: entry.mode,
    table: names.package('users'),
    rowsRead: raw.rows,
  };
  await readPackageTable(staging, v11 ? Q.readV11 : Q.read, table, raw.table);
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
  const refs = names.work('user_orgs');
  await listRefs(staging, table, 'org_ids', refs);
  await checkRows(staging, table, [
    ...rowRules(table),
    ...rulesFor(RULES.users, { classes: names.effective('classes') }, { ...VOCABULARIES, v11: pkg.version === '1.1' }),
    ...listReferenceRules(orgColumn(pkg), refs, bareName(t), {
      what: 'org',
      file: 'orgs.csv',
      ...names.targets('orgs'),
    }),
    ...referenceRules('metadata.jp.homeClass', 'home_class_id', {
      what: 'class',
      file: 'classes.csv',
      ...names.targets('classes'),
    }),
  ]);
  await staging.dropTable(refs);
  // The user's school for an enrolment without classes: the first of its orgs that is a school.
  await staging.run(Q.firstOrg, { table: t });
  await staging.run(Q.schoolOrg, { table: t, self: bareName(t), orgs: names.effective('orgs') });
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
  await checkRows(
    staging,
    table,
    rulesFor(RULES.students, { table: t, identities: names.work('identities') }, VOCABULARIES),
  );
  await staging.run(Q.gradesStudentsOnly, { table: t });
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
  const mboxIds = names.work('mbox_ids');
  const pre = context.pseudonymizer.prePseudonymized;
  if (pre) {
    // `shirube pseudonymize` writes the pseudonym of `mailto:<address>` in place of the address; anything
    // else here is a raw address and must neither pass as a pseudonym nor be kept.
    const [{ n }] = await staging.all<{ n: bigint }>(Q.emailsNotPseudonyms, { emails });
    if (n > 0n)
      await staging.problem({
        severity: 'warning',
        file: table.file.name,
        row: null,
        column: 'email',
        value: null,
        ...say('oneroster.emails_not_pseudonyms'),
      });
    await staging.run(Q.dropRawEmails, { emails });
  }
  await staging.run(Q.mailboxes, { into: mailboxes, emails, table: table.table }, { pre });
  await staging.dropTable(emails);
  await staging.pseudonymize(mailboxes, 'mbox');
  await staging.run(Q.mailboxIds, { into: mboxIds, mailboxes });
  await staging.dropTable(mailboxes);
  const shared = names.work('shared_mailboxes');
  await staging.run(Q.sharedMailboxes, { into: shared, mbox_ids: mboxIds, table: table.table });
  await checkRows(staging, table, rulesFor(RULES.mailboxes, { shared }));
  await staging.run(Q.unsharedMailboxes, { mbox_ids: mboxIds, shared });
  await staging.dropTable(shared);
}
