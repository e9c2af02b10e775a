import { AnalystSandbox, type LockedDatabase, openLockedDatabase } from '../../src/cohorts/analyst-sandbox.js';
import type { DerivedOutcome } from '../../src/cohorts/cohort-definition.js';
import { failureOf } from '../support/failure.js';

/** Runs SQL on the sandbox's locked database itself (what no analyst's text can do). */
async function rows(database: LockedDatabase, sql: string): Promise<Record<string, unknown>[]> {
  return (await database.connection.runAndReadAll(sql)).getRowObjectsJS();
}

/** Students made inside the sandbox: one group and year, `schools` school codes, absent days 0–36, scores 0–99. */
async function fill(database: LockedDatabase, students: number, schools: number): Promise<void> {
  await database.connection.run(`
    INSERT INTO cohort
    SELECT 'all', '2025', 'S' || (range % ${schools}), 'elementary', 'P' || (range % 6 + 1),
           CASE WHEN range % 2 = 0 THEN 'female' ELSE 'male' END, range % 13 = 0,
           200, 190, (range % 37)::INTEGER, 0, false, (range % 100)::DOUBLE, 1.5
    FROM range(${students})`);
}

/** Five outcomes of 100 logarithms each: seconds of work per million students on one thread. */
const slow: DerivedOutcome[] = [0, 1, 2, 3, 4].map((i) => ({
  name: `slow${i}`,
  expression: Array.from({ length: 100 }, (_, k) => `ln(score + ${i * 100 + k + 1})`).join(' + '),
  range: { min: 0, max: 1000 },
}));

describe('the analyst sandbox (real DuckDB)', () => {
  const opened: AnalystSandbox[] = [];
  /** A sandbox over a locked database, and the database (to fill it and look inside). */
  const open = async (memoryLimit = '512MB') => {
    const database = await openLockedDatabase({ memoryLimit });
    const sandbox = new AnalystSandbox(database);
    opened.push(sandbox);
    return Object.assign(sandbox, { database });
  };
  afterEach(() => opened.splice(0).forEach((s) => s.close()));

  it('runs locked, on one thread, with a memory limit and no temporary folder', async () => {
    const sandbox = await open('256MB');
    const [settings] = await rows(
      sandbox.database,
      "SELECT current_setting('memory_limit') AS memory, current_setting('threads') AS threads, current_setting('temp_directory') AS temp",
    );
    expect(settings).toEqual({ memory: '244.1 MiB', threads: 1n, temp: '' });
    await expect(rows(sandbox.database, "SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(
      /Permission|disabled/i,
    );
    await expect(rows(sandbox.database, "SET memory_limit = '64GB'")).rejects.toThrow(/locked/i);
    await expect(rows(sandbox.database, "SET temp_directory = '/tmp'")).rejects.toThrow(/locked/i);
  });

  it('clips each value into the declared range, counts who has one, and leaves x / 0 out', async () => {
    const sandbox = await open();
    await fill(sandbox.database, 370, 1);
    const [all] = await sandbox.means(
      [
        { name: 'capped', expression: 'absent_days', range: { min: 0, max: 10 } },
        {
          name: 'girls',
          expression: "CASE WHEN sex = 'female' THEN 1 / (absent_days % 2) END",
          range: { min: 0, max: 1 },
        },
      ],
      [null, null],
    );
    // absent_days is 0..36, ten times over: capped at 10, the mean is (0 + … + 9 + 27 × 10) × 10 / 370.
    expect(all.capped).toBeCloseTo(((45 + 27 * 10) * 10) / 370, 9);
    expect(all.capped_students).toBe(370);
    // Girls are the even rows; 1 / 0 for an even number of days is not a value.
    expect(all.girls_students).toBe(90);
    expect(all.girls).toBe(1);
  });

  it('runs only expressions of the language, whoever calls it', async () => {
    const sandbox = await open();
    await fill(sandbox.database, 10, 1);
    const attack = { name: 'x', expression: '(SELECT count(*) FROM cohort)', range: { min: 0, max: 1e6 } };
    await expect(sandbox.means([attack], [null, null])).rejects.toMatchObject({
      code: 'COHORT_DEFINITION_INVALID',
      details: { fields: [{ field: 'derivedOutcomes[0].expression' }] },
    });
  });

  it('stops an expression past its time limit with a structured error, long before it would finish', async () => {
    const sandbox = await open();
    await fill(sandbox.database, 2_000_000, 50);
    // Unstopped, this takes about 14 s here (measured once while writing the test, not asserted).
    const { error, ms } = await failureOf(sandbox.means(slow, ['school', 'grade'], { timeoutMs: 200 }));
    expect(error.code).toBe('QUERY_LIMIT');
    expect(error.details).toEqual({ limit: 'time', timeoutMs: 200 });
    expect(error.message).toMatch(/after 200 ms/);
    expect(ms).toBeLessThan(4000);
    // The connection is usable after the interrupt.
    expect(await rows(sandbox.database, 'SELECT 42 AS answer')).toEqual([{ answer: 42 }]);
  });

  it('stops when the client goes away, and does not start when it has already gone', async () => {
    const sandbox = await open();
    await fill(sandbox.database, 2_000_000, 50);
    const client = new AbortController();
    setTimeout(() => client.abort(), 200);
    const { error, ms } = await failureOf(sandbox.means(slow, ['school', 'grade'], { signal: client.signal }));
    expect(error.code).toBe('QUERY_CANCELLED');
    expect(ms).toBeLessThan(4000);
    const gone = await failureOf(sandbox.means(slow, [null, null], { signal: client.signal }));
    expect(gone.error.code).toBe('QUERY_CANCELLED');
    expect(gone.ms).toBeLessThan(100);
  });

  it('fails with a structured error past its memory limit, where a larger limit answers', async () => {
    const outcomes: DerivedOutcome[] = [0, 1, 2, 3, 4].map((i) => ({
      name: `o${i}`,
      expression: `absent_days + ${i}`,
      range: { min: 0, max: 100 },
    }));
    const small = await open('32MB');
    await fill(small.database, 60_000, 60_000);
    const { error } = await failureOf(small.means(outcomes, ['school', 'grade']));
    expect(error.code).toBe('QUERY_LIMIT');
    expect(error.details).toEqual({ limit: 'memory' });
    const large = await open('512MB');
    await fill(large.database, 60_000, 60_000);
    expect((await large.means(outcomes, ['school', 'grade'])).length).toBeGreaterThan(60_000);
  });
});
