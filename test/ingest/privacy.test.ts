import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/common/project-root.js';
import { createDataSource } from '../../src/database/data-source.js';
import { generateMunicipality } from '../../src/demo/demo-generator.js';
import { readPseudonymKey } from '../../src/config/pseudonym-key.js';
import { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { openWarehouse } from '../../src/warehouse/warehouse.module.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { findInCells, findInText, identifiersOf, type Identifiers } from '../support/privacy-scan.js';
import { freshStores, type TestStores } from '../support/stores.js';

const run = promisify(execFile);
const bin = join(projectRoot(), 'bin', 'shirube.js');

/**
 * The privacy rule, checked on a whole generated municipality loaded by the real CLI: no name, kana,
 * username, email, phone, raw ID or full birth date in any text column of the warehouse, in the
 * control plane's batch reports and audit log, or in what the process logged.
 */
describe('no direct identifier reaches the warehouse, the reports or the logs', () => {
  let stores: TestStores;
  let identifiers: Identifiers;
  let logs: string;
  let municipality: string;

  beforeAll(async () => {
    stores = await freshStores();
    municipality = join(stores.dir, 'municipality');
    await generateMunicipality({ schools: 4, students: 400, years: 2, seed: 3, outDir: municipality });
    identifiers = await identifiersOf(municipality);
    const env = {
      ...process.env,
      DATABASE_URL: stores.config.databaseUrl ?? '',
      SHIRUBE_PGLITE_DIR: join(stores.dir, 'pg'),
      DUCKDB_PATH: stores.config.duckdbPath,
      PSEUDONYM_KEY_FILE: stores.config.pseudonymKeyFile,
    };
    const { ensurePseudonymKey } = await import('../../src/config/pseudonym-key.js');
    ensurePseudonymKey(stores.config.pseudonymKeyFile!);
    const result = await run(process.execPath, [bin, 'ingest', municipality], { env, maxBuffer: 64 * 1024 * 1024 });
    const again = await run(process.execPath, [bin, 'ingest', municipality, '--json'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    logs = result.stdout + result.stderr + again.stdout + again.stderr;
  });
  afterAll(async () => stores.cleanup());

  it('loaded the municipality (so the scan below means something)', () => {
    expect(identifiers.tokens.size).toBeGreaterThan(1000);
    expect(logs).toMatch(/batch [0-9a-f-]{36}: loaded/);
    // The scanners do find what they look for.
    const [token] = identifiers.tokens;
    const [name] = identifiers.nameParts;
    expect(findInCells(['x', token, name], identifiers)).toEqual([token, name]);
    expect(findInText(`log line with ${token} inside`, identifiers)).toEqual([token]);
  });

  it('finds none in any text column of any warehouse table', async () => {
    const warehouse = await openWarehouse(stores.config.duckdbPath);
    try {
      const columns = await warehouse.all<{ table_name: string; column_name: string; data_type: string }>(
        `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND (data_type LIKE 'VARCHAR%' OR data_type = 'DATE')`,
      );
      expect(columns.length).toBeGreaterThan(20);
      const cells: string[] = [];
      for (const { table_name, column_name, data_type } of columns) {
        const expression =
          data_type === 'VARCHAR[]' ? `array_to_string("${column_name}", ',')` : `CAST("${column_name}" AS VARCHAR)`;
        const rows = await warehouse.all<{ v: string }>(
          `SELECT DISTINCT ${expression} AS v FROM "${table_name}" WHERE "${column_name}" IS NOT NULL`,
        );
        for (const row of rows) cells.push(row.v);
      }
      expect(cells.length).toBeGreaterThan(1000);
      expect(findInCells(cells, identifiers)).toEqual([]);
    } finally {
      await warehouse.close();
    }
  });

  it('finds none in the batch reports, the audit log or the logs', async () => {
    const dataSource = createDataSource({ databaseUrl: stores.config.databaseUrl, pgliteDir: join(stores.dir, 'pg') });
    await dataSource.initialize();
    try {
      const reports =
        JSON.stringify(await dataSource.query('SELECT * FROM ingest_batches')) +
        JSON.stringify(await dataSource.query('SELECT * FROM ingest_files'));
      const audit = JSON.stringify(await dataSource.query('SELECT * FROM audit_events'));
      expect(reports.length).toBeGreaterThan(1000);
      expect(findInText(reports, identifiers)).toEqual([]);
      expect(findInText(audit, identifiers)).toEqual([]);
      expect(findInText(logs, identifiers)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it("joins one student's attendance, assessment and xAPI rows on one pseudonym, whichever ID each feed used", async () => {
    // From the input files: a student whose assessments came by e-portal ID, attendance by roster
    // sourcedId and learning-app statements by app ID.
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const csv = (file: string) => `read_csv('${join(municipality, file)}', all_varchar = true, header = true)`;
    const [student] = (
      await connection.runAndReadAll(
        `WITH ids AS (
           SELECT sourcedId, regexp_extract(userIds, '{ePortal:([^}]+)}', 1) AS ep, regexp_extract(userIds, '{LearningApp:([^}]+)}', 1) AS la
           FROM ${csv('oneroster/2025/users.csv')} WHERE userIds IS NOT NULL),
         statements AS (SELECT json_extract_string(json, '$.actor.account.name') AS la FROM read_json_objects('${join(municipality, 'xapi', 'statements.ndjson')}'))
         SELECT i.sourcedId, i.ep, i.la FROM ids i
         WHERE i.ep IN (SELECT student_id FROM ${csv('assessments.csv')})
           AND i.sourcedId IN (SELECT student_id FROM ${csv('attendance.csv')})
           AND i.la IN (SELECT la FROM statements)
         ORDER BY i.sourcedId LIMIT 1`,
      )
    ).getRowObjectsJS() as { sourcedId: string; ep: string; la: string }[];
    connection.closeSync();
    instance.closeSync();
    expect(student).toBeDefined();
    const pid = new Pseudonymizer(readPseudonymKey(stores.config.pseudonymKeyFile!)).pseudonym(student.sourcedId);
    const warehouse = await openWarehouse(stores.config.duckdbPath);
    try {
      const [counts] = await warehouse.all<{
        attendance: bigint;
        assessments: bigint;
        activity: bigint;
        enrolled: bigint;
      }>(
        `SELECT (SELECT count(*) FROM attendance_days WHERE student_pid = $1) AS attendance,
                (SELECT count(*) FROM assessment_results WHERE student_pid = $1) AS assessments,
                (SELECT count(*) FROM learning_activity WHERE student_pid = $1) AS activity,
                (SELECT count(*) FROM enrolments WHERE student_pid = $1) AS enrolled`,
        [pid],
      );
      expect(Number(counts.attendance)).toBeGreaterThan(0);
      expect(Number(counts.assessments)).toBeGreaterThan(0);
      expect(Number(counts.activity)).toBeGreaterThan(0);
      expect(Number(counts.enrolled)).toBeGreaterThan(0);
    } finally {
      await warehouse.close();
    }
  });
});
