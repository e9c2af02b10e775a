import type { WarehouseSession } from '../../warehouse/warehouse.js';
import type { Feed, StageContext, StagedFeed } from '../feed.js';
import type { FeedInput } from '../ingest.types.js';
import { ingestSql } from '../sql/ingest-sql.js';
import type { Staging } from '../staging.js';
import { ATTENDANCE_RULES } from './attendance-rules.js';
import { readStudentIds, stageAttendanceDirectly } from './attendance-direct.js';
import { nothingStaged } from './nothing-staged.js';
import { stageStudentFacts, type StudentFactsTable } from './student-facts.js';

const Q = {
  yearsFromCombos: ingestSql('attendance/years-from-combos'),
  yearsFromRows: ingestSql('attendance/years-from-rows'),
  heldInDates: ingestSql('attendance/held-in-dates'),
  movedYears: ingestSql('attendance/moved-years'),
  replaceStaged: ingestSql('attendance/replace-staged'),
  loadStaged: ingestSql('attendance/load-staged'),
};

/**
 * Daily attendance (出欠): `school_code,student_id,date,status,reason`, and optionally `place` (where a
 * day counted present was spent). Rows for plain presence are optional. A newer row for the same
 * student and day replaces the older one. A clean file loads straight from the file
 * (attendance-direct.ts); any other is staged row by row, against the same rules
 * (queries/ingest/attendance/rules.sql).
 */
export const attendanceFeed: Feed = {
  kind: 'attendance',
  schoolMayUpload: true,
  firstRead: readStudentIds,
  async stage(context: StageContext, input: FeedInput): Promise<StagedFeed> {
    // The rows store the school as its number (school_refs): every known school has one before the rows are read.
    await context.staging.numberSchools();
    if (context.directLoad) {
      const direct = await stageAttendanceDirectly(context, input);
      if (direct) return direct;
    }
    const { staging } = context;
    const facts = await stageStudentFacts(
      context,
      input,
      {
        required: ['school_code', 'student_id', 'date', 'status'],
        optional: ['reason', 'place'],
        dateColumn: 'date',
        lowercase: ['status', 'reason', 'place'],
      },
      ATTENDANCE_RULES,
    );
    if (!facts) return nothingStaged(input);
    const { table } = facts;
    const years = `${table}_years`;
    const rejected = await staging.rejectedCount(table);
    if (rejected === 0) await staging.run(Q.yearsFromCombos, { years, combos: facts.combos });
    else await staging.run(Q.yearsFromRows, { years, rows: table });
    const [{ held }] = await staging.all<{ held: bigint }>(Q.heldInDates, { years });
    const replaces = Number(held) > 0;
    if (replaces) await staging.run(Q.movedYears, { years, rows: table });
    return {
      input,
      rowsRead: facts.rowsRead,
      rowsRejected: () => Promise.resolve(rejected),
      touchedYears: years,
      load: (session) => loadAttendance(session, staging, facts, context.batchId, replaces),
    };
  },
};

/** `replaces`: the warehouse holds rows in the staged dates (else nothing can be replaced). */
async function loadAttendance(
  session: WarehouseSession,
  staging: Staging,
  facts: StudentFactsTable,
  batchId: string,
  replaces: boolean,
): Promise<number> {
  const rows = facts.table;
  const batchRef = await staging.writeNewRefs(session, batchId);
  if (replaces) await staging.runOn(session, Q.replaceStaged, { rows });
  await staging.runOn(session, Q.loadStaged, { rows }, [batchRef]);
  return staging.loadableCount(session, rows);
}
