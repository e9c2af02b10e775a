import { nothingStaged } from './nothing-staged.js';
import type { FeedInput } from '../ingest.types.js';
import type { Feed, StageContext, StagedFeed } from '../feed.js';
import type { Staging } from '../staging.js';
import { placeClasses, readClasses, validateClasses } from './oneroster/classes.js';
import { deriveWarehouseRows, publishToBatch } from './oneroster/derive.js';
import { readDemographics, readEnrollments, stageDemographics, stageEnrollments } from './oneroster/enrollments.js';
import { loadPackage } from './oneroster/load.js';
import { readManifest } from './oneroster/manifest.js';
import { buildEffective, ENTITIES, MIRROR, openRosterState, type PackageTable } from './oneroster/package-table.js';
import { readRoles, stagePeople } from './oneroster/people.js';
import { stageCourses, stageOrgs, stageSessions } from './oneroster/reference-data.js';
import { RosterTables } from './oneroster/roster-tables.js';
import { computeScope, removeClasses } from './oneroster/scope.js';
import { readUsers } from './oneroster/users.js';
import { linkUnlinkedActivity } from './xapi/link-activity.js';
import { ingestSql } from '../sql/ingest-sql.js';

const Q = {
  noRemoved: ingestSql('oneroster/no-removed'),
  advanceState: ingestSql('oneroster/advance-state'),
  fileNotes: ingestSql('oneroster/file-notes'),
};

/**
 * OneRoster CSV packages (1.1 and 1.2, bulk and delta, Japan profile), pseudonymised at the edge.
 *
 * A package is applied to a pseudonymised mirror of the roster kept in the warehouse (roster_* tables,
 * migration 002): bulk files replace their entity within the package's schools and years, delta rows
 * apply by dateLastModified (an older one is ignored with a warning; `tobedeleted` leaves a tombstone).
 * From the roster after the package, the warehouse's schools, 年度, students, identities, homerooms,
 * enrolments and staff counts are derived for what the package touched. Everything is computed while
 * staging; the load only copies it, in the batch's one transaction.
 *
 * Several packages in one batch (one per school year, say) are applied in turn: each is staged against
 * the roster as the packages before it leave it (the batch's roster state in staging).
 */
export const onerosterFeed: Feed = {
  kind: 'oneroster',
  providesStudents: true,
  /** The learning activity stored while no roster named its actor is linked to the students this roster adds. */
  afterLoad: async (session, staging, report) => {
    const links = await linkUnlinkedActivity(session, staging);
    if (links.linkedStatements > 0) report.notes = { ...report.notes, linkedLearningActivity: links.linkedStatements };
  },
  async stage(context: StageContext, input: FeedInput): Promise<StagedFeed> {
    const { staging } = context;
    const pkg = await readManifest(context, input);
    if (!pkg) return nothingStaged(input);
    await openRosterState(staging);
    const names = new RosterTables(staging, staging.newTable('oneroster'));
    const { tables } = names;
    // Bulk files never remove reference data (see scope.ts): their removed sets stay empty.
    for (const entity of ['orgs', 'academicSessions', 'courses', 'demographics'] as const) {
      await staging.run(Q.noRemoved, { table: names.removed(entity), key: MIRROR[entity].key });
    }

    // Reference data first: every other file points at it.
    tables.orgs = await stageOrgs(context, pkg, names);
    await buildEffective(staging, 'orgs', tables.orgs, names.removed('orgs'), names.effective('orgs'));
    tables.academicSessions = await stageSessions(context, pkg, names);
    await buildEffective(
      staging,
      'academicSessions',
      tables.academicSessions,
      names.removed('academicSessions'),
      names.effective('academicSessions'),
    );
    tables.courses = await stageCourses(context, pkg, names);
    await buildEffective(staging, 'courses', tables.courses, names.removed('courses'), names.effective('courses'));

    tables.classes = await readClasses(context, pkg, names);
    tables.users = await readUsers(context, pkg, names);
    tables.roles = await readRoles(context, pkg, names);
    tables.enrollments = await readEnrollments(context, pkg, names);
    tables.demographics = await readDemographics(context, pkg, names);

    if (tables.classes) await validateClasses(context, pkg, names, tables.classes);
    await computeScope(context, names);
    await placeClasses(context, names.work('place_old'), {
      orgs: names.state('orgs'),
      sessions: names.state('academicSessions'),
      classes: names.state('classes'),
    });
    await removeClasses(context, names);
    await buildEffective(staging, 'classes', tables.classes, names.removed('classes'), names.effective('classes'));
    await placeClasses(context, names.work('place_new'), {
      orgs: names.effective('orgs'),
      sessions: names.effective('academicSessions'),
      classes: names.effective('classes'),
    });
    await stagePeople(context, pkg, names);
    await stageEnrollments(context, names);
    await stageDemographics(context, names);

    await deriveWarehouseRows(context, names);
    await publishToBatch(context, names);
    await advanceRosterState(staging, names);

    // Tables made from another file's rows (1.1 roles from users.csv) are counted with that file.
    const read = ENTITIES.map((e) => tables[e]).filter((t): t is PackageTable => t !== null && t.rowsRead > 0);
    return {
      input,
      rowsRead: read.reduce((sum, t) => sum + t.rowsRead, 0),
      rowsRejected: async () =>
        (await Promise.all(read.map((t) => staging.rejectedCount(t.table)))).reduce((a, b) => a + b, 0),
      load: (session) => loadPackage(session, names, context.batchId),
      notes: () => packageNotes(staging, pkg.version, read),
    };
  },
};

/** The next package of the batch sees the roster as this one leaves it. */
async function advanceRosterState(staging: Staging, names: RosterTables): Promise<void> {
  for (const entity of ENTITIES)
    await staging.run(Q.advanceState, { state: names.state(entity), effective: names.effective(entity) });
}

/** Counts for the batch report: the version and mode of each file, rows ignored as older, rows not kept (parents ...). */
async function packageNotes(staging: Staging, version: string, read: PackageTable[]): Promise<Record<string, unknown>> {
  const files: Record<string, { mode: string; olderRowsIgnored: number; rowsNotKept: number }> = {};
  for (const t of read) {
    const [row] = await staging.all<{ stale: bigint; dropped: bigint }>(Q.fileNotes, { table: t.table });
    files[t.entity] = { mode: t.mode, olderRowsIgnored: Number(row.stale), rowsNotKept: Number(row.dropped) };
  }
  return { oneRosterVersion: version, files };
}
