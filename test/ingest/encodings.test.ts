import { isUtf8 } from 'node:buffer';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import iconv from 'iconv-lite';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ensurePseudonymKey } from '../../src/config/pseudonym-key.js';
import { generateMunicipality } from '../../src/demo/demo-generator.js';
import { IngestService, type BatchReport, type IngestOptions } from '../../src/ingest/ingest.service.js';
import { problemMessage } from '../../src/ingest/problems/problem-messages.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full).map((f) => join(name, f)) : [name];
  });
}

/** The demo's files as Excel on Japanese Windows saves them: every CSV in Shift_JIS (CP932), JSON as it is. */
function shiftJisCopy(from: string, to: string): void {
  for (const file of filesUnder(from)) {
    mkdirSync(join(to, file, '..'), { recursive: true });
    if (file.endsWith('.csv')) {
      const text = readFileSync(join(from, file), 'utf8').replace(/^\uFEFF/, '');
      writeFileSync(join(to, file), iconv.encode(text, 'cp932'));
    } else copyFileSync(join(from, file), join(to, file));
  }
}

/** Every warehouse table's rows without the batch that loaded them (two loads name two batches). */
async function warehouseContent(warehouse: Warehouse): Promise<Record<string, string[]>> {
  const tables = await warehouse.all<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'
       AND table_catalog = current_database() AND table_name NOT IN ('batch_refs', 'loaded_batches', 'warehouse_migrations')
     ORDER BY 1`,
  );
  const content: Record<string, string[]> = {};
  for (const { table_name: table } of tables) {
    const columns = (
      await warehouse.all<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND column_name NOT LIKE '%batch%'
           AND column_name NOT IN ('loaded_at', 'recorded_at', 'refreshed_at') ORDER BY ordinal_position`,
        [table],
      )
    ).map((c) => `"${c.column_name}"`);
    const rows = await warehouse.all(`SELECT ${columns.join(', ')} FROM "${table}" ORDER BY ALL`);
    content[table] = rows.map((row) =>
      JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)),
    );
  }
  return content;
}

/**
 * Excel's Shift_JIS files (CP932, its default on Japanese Windows) load exactly as their UTF-8 twins:
 * every CSV feed of the demo (OneRoster with its kanji and kana names, calendars, attendance,
 * assessments, guidance records, programmes) in two fresh warehouses, compared table by table. A file
 * in neither encoding is refused with a message saying how to save it as UTF-8.
 */
describe('ingest of Shift_JIS (CP932) files', () => {
  let utf8: TestApp;
  let sjis: TestApp;
  const ingest = (t: TestApp, path: string, options: IngestOptions = {}): Promise<BatchReport> => {
    ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
    return requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(path, CLI_ACTOR, options));
  };

  beforeAll(async () => {
    utf8 = await startTestApp();
    sjis = await startTestApp();
    // One key for both: the same student IDs must give the same pseudonyms.
    writeFileSync(
      sjis.stores.config.pseudonymKeyFile!,
      readFileSync(ensurePseudonymKey(utf8.stores.config.pseudonymKeyFile!).path),
      { mode: 0o600 },
    );
  });
  afterAll(async () => {
    await utf8?.close();
    await sjis?.close();
  });

  it('loads the demo in Shift_JIS to the same warehouse rows as in UTF-8', async () => {
    const dir = join(utf8.stores.dir, 'demo-utf8');
    await generateMunicipality({ schools: 2, students: 80, years: 1, seed: 4, outDir: dir });
    const copy = join(sjis.stores.dir, 'demo-sjis');
    shiftJisCopy(dir, copy);
    // The copy really is Shift_JIS: its names and kana are not UTF-8.
    const users = filesUnder(copy).find((f) => f.endsWith('users.csv'))!;
    expect(isUtf8(readFileSync(join(copy, users)))).toBe(false);

    const a = await ingest(utf8, dir);
    const b = await ingest(sjis, copy);
    expect(a.status).toBe('loaded');
    expect(b.status).toBe('loaded');
    expect(b.rowsLoaded).toBe(a.rowsLoaded);
    expect(b.feeds.map((f) => f.kind)).toEqual(a.feeds.map((f) => f.kind));
    // Files with Japanese text were read as Shift_JIS; files of ASCII alone are UTF-8 as much as Shift_JIS.
    const read = b.feeds.flatMap((f) => f.files);
    expect(read.find((f) => f.name.endsWith('users.csv'))?.encoding).toBe('shift_jis');
    expect(read.find((f) => f.name.endsWith('orgs.csv'))?.encoding).toBe('shift_jis');
    expect(read.find((f) => f.name.endsWith('attendance.csv'))?.encoding).toBeUndefined();
    expect(await warehouseContent(sjis.warehouse)).toEqual(await warehouseContent(utf8.warehouse));
  });

  it('takes a declared encoding, and refuses a file that is not in it', async () => {
    const dir = join(sjis.stores.dir, 'declared');
    mkdirSync(dir);
    const calendar = join(dir, 'calendar.csv');
    writeFileSync(calendar, iconv.encode('school_code,date\nB113210000014,2026-04-08\n', 'cp932'));
    // ASCII is UTF-8 and Shift_JIS alike: declared either way, its encoding is no problem.
    for (const encoding of ['shift_jis', 'utf-8'] as const) {
      const report = await ingest(sjis, calendar, { encoding });
      expect(report.problems.filter((p) => /UTF-8|Shift_JIS/.test(p.rule))).toEqual([]);
    }
    const text = join(dir, 'programmes.csv');
    writeFileSync(
      text,
      iconv.encode(
        'programme_id,programme_name,school_code,start_date,end_date\np1,校内教育支援センター,B113210000014,2026-04-01,\n',
        'cp932',
      ),
    );
    const declaredUtf8 = await ingest(sjis, text, { encoding: 'utf-8' });
    expect(declaredUtf8.status).toBe('rejected');
    expect(declaredUtf8.problems[0].rule).toMatch(/^not UTF-8, as declared/);
  });

  it('refuses a Latin-1 file, naming the file and line, and says how to save it as UTF-8', async () => {
    const dir = join(sjis.stores.dir, 'latin1');
    mkdirSync(dir);
    const file = join(dir, 'programmes.csv');
    writeFileSync(
      file,
      Buffer.from(
        'programme_id,programme_name,school_code,start_date,end_date\np2,Caf\xe9,B113210000014,2026-04-01,\n',
        'latin1',
      ),
    );
    const report = await ingest(sjis, file);
    expect(report.status).toBe('rejected');
    expect(report.rowsLoaded).toBe(0);
    const [problem] = report.problems;
    expect(problem).toMatchObject({ severity: 'error', file: relative(dir, file), row: 2, column: 'programme_name' });
    expect(problem.rule).toMatch(/^neither UTF-8 nor Shift_JIS: byte 0xE9 at line 2/);
    expect(problemMessage(problem, 'ja')).toContain('「CSV UTF-8（コンマ区切り）」');
  });
});
