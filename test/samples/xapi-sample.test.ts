import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensurePseudonymKey, readPseudonymKey } from '../../src/config/pseudonym-key.js';
import type { Actor } from '../../src/common/request-context.js';
import { requestContext } from '../../src/common/request-context.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ACTOR: Actor = { userId: null, name: 'test', role: 'cli', schoolCode: null };

/**
 * A real export from a learning app used in Japanese schools (デジタル教科書・教材 実証 2022,
 * ATR CALL BRIX): one statement, no statement id, an actor no roster of ours names. Read from
 * SHIRUBE_SAMPLES (`npm run test:samples`); never copied into the repository.
 */
describe('xAPI sample: da2022-jp (real export)', () => {
  let t: TestApp;
  let folder: string;
  let rawActorId: string;

  beforeAll(async () => {
    if (!process.env.SHIRUBE_SAMPLES) throw new Error('SHIRUBE_SAMPLES is not set: run `npm run test:samples`');
    folder = resolve(process.env.SHIRUBE_SAMPLES, 'xapi', 'da2022-jp');
    // The raw ID is read from the sample at run time, only to check that it is never stored.
    const [statement] = JSON.parse(readFileSync(join(folder, 'xapi_statement_20230307.json'), 'utf8')) as {
      actor: { account: { name: string } };
    }[];
    rawActorId = statement.actor.account.name;
    t = await startTestApp();
    ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
  });
  afterAll(async () => t?.close());

  it('loads the statement unlinked, reports its actor, and keeps duration, score and timestamp', async () => {
    const report = await requestContext.run(ACTOR, () => t.app.get(IngestService).ingest(folder, ACTOR));
    expect(report).toMatchObject({ status: 'loaded', rowsRead: 1, rowsLoaded: 1, rowsRejected: 0, errors: 0 });
    expect(report.feeds).toEqual([expect.objectContaining({ kind: 'xapi', name: 'xapi_statement_20230307.json' })]);
    expect(report.feeds[0].notes).toEqual({
      statements: 1,
      duplicatesInFile: 0,
      duplicatesInBatch: 0,
      alreadyInWarehouse: 0,
      unlinkedStatements: 1,
      unlinkedActors: 1,
    });
    expect(report.problems.map((p) => [p.severity, p.row, p.column, p.value])).toEqual([
      ['warning', 1, 'actor', '(withheld): 1 statement(s)'],
      ['warning', 1, 'id', '1 statement(s), the first at this row'],
    ]);

    const pseudonymizer = new Pseudonymizer(readPseudonymKey(t.stores.config.pseudonymKeyFile!));
    const rows = await t.warehouse.all<Record<string, unknown>>(
      `SELECT * EXCLUDE (statement_id, batch_id) FROM learning_activity`,
    );
    expect(rows).toEqual([
      {
        actor_pid: pseudonymizer.pseudonym(rawActorId),
        student_pid: null,
        school_code: null,
        // 28 February 2023 falls in 年度 2022 (April 2022 to March 2023).
        academic_year: 2022,
        verb_id: 'http://adlnet.gov/expapi/verbs/progressed',
        activity_id: 'http://adlnet.gov/courses/SJ01',
        activity_type: 'http://adlnet.gov/expapi/activities/course',
        ts: new Date('2023-02-28T03:00:21.619Z'),
        // PT4H35M20.00S
        duration_s: 16520,
        score_scaled: 0.9925,
        score_raw: 99.25,
        success: true,
        completion: null,
      },
    ]);
    // The whole row as text: the raw ID nowhere in it (and the check sees what is there: the pseudonym).
    const rowText = async (needle: string) =>
      (
        await t.warehouse.all(
          `SELECT 1 FROM learning_activity la WHERE strpos(upper(CAST(la AS VARCHAR)), upper($1)) > 0`,
          [needle],
        )
      ).length;
    expect(await rowText(pseudonymizer.pseudonym(rawActorId))).toBe(1);
    expect(await rowText(rawActorId)).toBe(0);
    expect(JSON.stringify(report)).not.toContain(rawActorId);
  });
});
