import { AnalystSandbox } from '../../src/cohorts/analyst-sandbox.js';

/** Students made inside the sandbox: one group and year, `schools` school codes, absent days 0–36, scores 0–99. */
async function fill(sandbox: AnalystSandbox, students: number, schools: number): Promise<void> {
  await sandbox.probe(`
    INSERT INTO cohort
    SELECT 'all', '2025', 'S' || (range % ${schools}), 'elementary', 'P' || (range % 6 + 1),
           CASE WHEN range % 2 = 0 THEN 'female' ELSE 'male' END, range % 13 = 0,
           200, 190, (range % 37)::INTEGER, 0, false, (range % 100)::DOUBLE, 1.5
    FROM range(${students})`);
}

describe('the analyst sandbox (real DuckDB)', () => {
  const opened: AnalystSandbox[] = [];
  const open = async () => {
    const sandbox = await AnalystSandbox.open();
    opened.push(sandbox);
    return sandbox;
  };
  afterEach(() => opened.splice(0).forEach((s) => s.close()));

  it('runs locked', async () => {
    const sandbox = await open();
    await expect(sandbox.probe("SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(/Permission|disabled/i);
    await expect(sandbox.probe('SET enable_external_access = true')).rejects.toThrow(/locked/i);
  });

  it('clips each value into the declared range, counts who has one, and leaves x / 0 out', async () => {
    const sandbox = await open();
    await fill(sandbox, 370, 1);
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
    await fill(sandbox, 10, 1);
    const attack = { name: 'x', expression: '(SELECT count(*) FROM cohort)', range: { min: 0, max: 1e6 } };
    await expect(sandbox.means([attack], [null, null])).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'derivedOutcomes[0].expression' }] },
    });
  });
});
