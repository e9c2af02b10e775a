import { parseCohortDefinition } from '../../src/cohorts/cohort-definition.js';
import { CohortWarehouse } from '../../src/cohorts/cohort-warehouse.js';
import { CohortsService } from '../../src/cohorts/cohorts.service.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import type { ShirubeConfig } from '../../src/config/config.js';
import { SHIRUBE_CONFIG } from '../../src/config/config.module.js';
import { loadMunicipality } from '../support/municipality.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Row = Record<string, string | number | boolean | null>;
interface Result {
  tables: Record<string, { columns: string[]; rows: Row[] }>;
  disclosure: { cellsRedacted: number; rules: string[] };
}

/** The demo municipality of `npm run demo` (12 schools, 4,000 students, FY2023–2025, seed 1). */
const DEMO = { schools: 12, students: 4000, years: 3, seed: 1 };
const SHARE = { min: 0, max: 1 };
const DAYS = { min: 0, max: 365 };

/** Five outcomes of a hundred logarithms per student, over three years: far more than a few milliseconds of work. */
const HEAVY = {
  population: { academicYears: [2023, 2024, 2025] },
  outcomes: ['absence_days'],
  derivedOutcomes: [0, 1, 2, 3, 4].map((i) => ({
    name: `h${i}`,
    expression: Array.from({ length: 100 }, (_, k) => `ln(score + ${i * 100 + k + 1})`).join(' + '),
    range: { min: 0, max: 1e6 },
  })),
};

/**
 * Issue 12, item 1: derivedOutcomes expressions could read the whole cohort table through a
 * subquery, and what they returned counted as a mean "about" the group, so it was never redacted.
 */
describe('derived outcomes cannot get around disclosure control (real stores)', () => {
  let t: TestApp;

  const post = (definition: object) =>
    t.http().post('/api/cohorts/query').set('Authorization', `Bearer ${t.tokens.analyst}`).send(definition);
  const derived = (expression: string, range = DAYS, extra: object = {}) => ({
    population: { academicYears: [2025] },
    outcomes: ['absence_days'],
    derivedOutcomes: [{ name: 'x', expression, range }],
    ...extra,
  });
  const run = async (definition: object): Promise<Result> => {
    const response = await post(definition);
    if (response.status !== 200) throw new Error(`${response.status}: ${JSON.stringify(response.body)}`);
    return response.body as Result;
  };

  beforeAll(async () => {
    t = await startTestApp();
    await loadMunicipality(t, DEMO);
  });
  afterAll(async () => t.close());

  /** A school whose count of special-needs students the normal query redacts. */
  async function schoolWithRedactedSpecialNeeds(): Promise<string> {
    const result = await run({
      population: { academicYears: [2025], students: { specialNeeds: true } },
      outcomes: ['absence_days'],
      breakdowns: ['school'],
    });
    const redacted = result.tables.descriptive.rows.find((r) => r.school !== 'all' && r.students === null);
    expect(redacted).toBeDefined();
    return String(redacted!.school);
  }

  describe('the attacks found on the demo are refused', () => {
    it.each([
      [
        'a count of a redacted cell',
        (school: string) => `(SELECT count(*) FROM cohort WHERE school_code='${school}' AND special_needs)`,
      ],
      [
        "one student's sex",
        (school: string) =>
          `(SELECT CASE WHEN sex='female' THEN 1 ELSE 0 END FROM cohort WHERE school_code='${school}' ORDER BY absent_days DESC LIMIT 1)`,
      ],
      ['an unrounded count of the whole cohort', () => '(SELECT count(*) FROM cohort)'],
    ])('reading %s: a 400 naming the expression', async (_what, expressionFor) => {
      const school = await schoolWithRedactedSpecialNeeds();
      const response = await post(derived(expressionFor(school)));
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('COHORT_DEFINITION_INVALID');
      expect(response.body.error.fields[0].field).toBe('derivedOutcomes[0].expression');
      expect(response.body.error.fields[0].messages.join(' ')).toMatch(/subqueries, tables and joins are not allowed/);
    });
  });

  describe('an adversarial suite: every expression that reaches beyond the student’s own row is refused', () => {
    it.each([
      // Subqueries and tables
      'EXISTS (SELECT 1 FROM cohort WHERE absent_days > 100)',
      'absent_days IN (SELECT absent_days FROM cohort)',
      'absent_days > ANY (SELECT absent_days FROM cohort)',
      '(WITH c AS (SELECT count(*) AS v FROM cohort) SELECT v FROM c)',
      '(FROM cohort SELECT count(*))',
      '(TABLE cohort)',
      "CASE WHEN (SELECT count(*) FROM cohort WHERE grade = 'P4') > 3 THEN 1 ELSE 0 END",
      'least(absent_days, (SELECT max(absent_days) FROM cohort))',
      '(SELECT count(*) FROM students)',
      // Set operations, lateral joins, cross joins
      '(SELECT 1 UNION SELECT count(*) FROM cohort)',
      '(SELECT l.v FROM cohort, LATERAL (SELECT absent_days AS v) l LIMIT 1)',
      '(SELECT count(*) FROM cohort a, cohort b, cohort c)',
      '(SELECT a.absent_days FROM cohort a JOIN cohort b ON a.grade = b.grade LIMIT 1)',
      // Aggregates and windows
      'count(*)',
      'sum(absent_days)',
      "max(absent_days) FILTER (WHERE sex = 'female')",
      'avg(absent_days) OVER ()',
      'row_number() OVER (ORDER BY absent_days)',
      'lag(absent_days) OVER (PARTITION BY grade ORDER BY score)',
      'first_value(absent_days) OVER (ORDER BY absent_days DESC)',
      'abs(absent_days) OVER ()',
      // Files, settings, statements
      "(SELECT count(*) FROM read_csv('/etc/passwd'))",
      "read_text('/etc/passwd')",
      "(SELECT count(*) FROM duckdb_settings() WHERE current_setting('enable_external_access'))",
      '1); SET enable_external_access = true; SELECT (1',
      "current_setting('memory_limit')",
      // String tricks and what a whitelist must not let through
      "length(repeat('x', 2000000000))",
      "sex || grade = 'femaleP4'",
      'ascii(sex) + 0 * length(concat(grade, school_type))',
      "school_code = 'B108291000039'",
      'absent_days /* ) + (SELECT count(*) FROM cohort */',
      'absent_days -- + (SELECT 1)',
      '"absent_days" + 0',
      'cohort.absent_days',
      "absent_days::VARCHAR = '3'",
      'list_sum([absent_days, score])',
      "E'\\x27' = sex",
      '$1',
      'random()',
      "COLUMNS('.*')",
    ])('%s', async (expression) => {
      const response = await post(derived(expression));
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('COHORT_DEFINITION_INVALID');
      expect(response.body.error.fields[0].field).toBe('derivedOutcomes[0].expression');
      expect(response.body.error.message).toMatch(/derivedOutcomes\[0\]\.expression .*(not|expected|unexpected)/);
    });

    it('refuses them when a definition is saved, too', async () => {
      const response = await t
        .http()
        .post('/api/cohorts/definitions')
        .set('Authorization', `Bearer ${t.tokens.analyst}`)
        .send({ name: 'attack', definition: derived('(SELECT count(*) FROM cohort)') });
      expect(response.status).toBe(400);
      expect(response.body.error.fields[0].field).toBe('derivedOutcomes[0].expression');
    });
  });

  describe('a legitimate expression', () => {
    it('is computed per group, with how many students it is about', async () => {
      const result = await run(
        derived('absent_days / nullif(required_days, 0)', SHARE, { breakdowns: ['school_type'] }),
      );
      const rows = result.tables.descriptive.rows;
      expect(result.tables.descriptive.columns).toEqual(expect.arrayContaining(['x', 'x_students']));
      for (const row of rows) {
        expect(row.x_students).toBeGreaterThan(7);
        expect((row.x_students as number) % 5).toBe(0);
        expect(row.x).toBeGreaterThan(0);
        expect(row.x).toBeLessThan(0.2);
      }
      expect(result.disclosure.rules.join(' ')).toMatch(/clipped into its declared range/);
    });

    it('is redacted where it is about 7 or fewer students, and shown elsewhere', async () => {
      const result = await run(
        derived('CASE WHEN special_needs THEN absent_days END', DAYS, { breakdowns: ['school'] }),
      );
      const rows = result.tables.descriptive.rows;
      const redacted = rows.filter((r) => r.x_students === null);
      const shown = rows.filter((r) => r.x_students !== null && (r.x_students as number) > 0);
      expect(redacted.length).toBeGreaterThan(0);
      for (const row of redacted) expect(row.x).toBeNull();
      expect(shown.length).toBeGreaterThan(0);
      for (const row of shown) {
        expect(row.x_students).toBeGreaterThan(7);
        expect(typeof row.x).toBe('number');
      }
      expect(result.disclosure.cellsRedacted).toBeGreaterThan(0);
    });

    it('cannot carry one student’s value into a group mean', async () => {
      // The cohort's rows as the sandbox gets them; find a student no one else shares a description with.
      const definition = parseCohortDefinition({ population: { academicYears: [2025] }, outcomes: ['absence_days'] });
      const rows = await t.app
        .get(CohortWarehouse)
        .withPopulation(definition, { by: 'none' }, { attendance: true, scores: true, app: true }, (c) =>
          c.sandboxRows(),
        );
      const description = (r: Record<string, unknown>) =>
        `grade = '${String(r.grade)}' AND sex = '${String(r.sex)}' AND school_type = '${String(r.school_type)}' AND absent_days = ${Number(r.absent_days)}`;
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(description(r), (counts.get(description(r)) ?? 0) + 1);
      const alone = rows
        .filter((r) => r.grade !== null && r.sex !== null && r.school_type !== null && Number(r.absent_days) > 0)
        .filter((r) => counts.get(description(r)) === 1)
        .sort((a, b) => Number(b.absent_days) - Number(a.absent_days))[0];
      expect(alone).toBeDefined();
      const predicate = description(alone);

      // Zero for everyone else: before the fix, mean × students gave the secret back.
      const zeroElse = await run(derived(`CASE WHEN ${predicate} THEN absent_days ELSE 0 END`));
      const [all] = zeroElse.tables.descriptive.rows;
      expect(all.x_students).toBeGreaterThan(1000);
      expect(all.x).toBe(0);
      // NULL for everyone else: a mean about one student.
      const nullElse = await run(derived(`CASE WHEN ${predicate} THEN absent_days END`));
      expect(nullElse.tables.descriptive.rows[0].x).toBeNull();
      expect(nullElse.tables.descriptive.rows[0].x_students).toBeNull();
      // Scaled up to dominate the mean: clipped into the range first.
      const scaled = await run(derived(`CASE WHEN ${predicate} THEN absent_days * 1000000 ELSE 0 END`));
      expect(scaled.tables.descriptive.rows[0].x).toBe(0);
    });
  });

  describe('the declared range and the names', () => {
    it.each([
      [{ min: 1, max: 1 }, 'derivedOutcomes[0].range'],
      [{ min: 0 }, 'derivedOutcomes[0].range.max'],
      [{ min: 0, max: 1e12 }, 'derivedOutcomes[0].range.max'],
    ])('refuses the range %j', async (range, field) => {
      const response = await post(derived('absent_days', range as { min: number; max: number }));
      expect(response.status).toBe(400);
      expect(response.body.error.fields[0].field).toBe(field);
    });

    it('requires a range', async () => {
      const response = await post({
        population: { academicYears: [2025] },
        outcomes: ['absence_days'],
        derivedOutcomes: [{ name: 'x', expression: 'absent_days' }],
      });
      expect(response.status).toBe(400);
      expect(response.body.error.fields[0].field).toBe('derivedOutcomes[0].range');
    });

    it.each(['students', 'schools', 'attendance', 'grade', 'absence_days'])(
      'refuses the name %s, which would clash with a column of the table',
      async (name) => {
        const response = await post({
          population: { academicYears: [2025] },
          outcomes: ['absence_days'],
          derivedOutcomes: [{ name, expression: 'absent_days', range: DAYS }],
        });
        expect(response.status).toBe(400);
        expect(response.body.error.fields[0].field).toBe('derivedOutcomes[0].name');
      },
    );
  });

  it('stops a run whose client has gone: QUERY_CANCELLED, in the warehouse or the sandbox', async () => {
    const cohorts = t.app.get(CohortsService);
    const client = new AbortController();
    setTimeout(() => client.abort(), 20);
    // Building the population, copying it into the sandbox and 500 logarithms per student take longer than 20 ms.
    await expect(requestContext.run(CLI_ACTOR, () => cohorts.query(HEAVY, client.signal))).rejects.toMatchObject({
      code: 'QUERY_CANCELLED',
    });
    // Asked for by a client already gone, a run does not start.
    await expect(requestContext.run(CLI_ACTOR, () => cohorts.query(HEAVY, client.signal))).rejects.toMatchObject({
      code: 'QUERY_CANCELLED',
    });
  });

  it('answers a query past the sandbox’s time limit with a 422 QUERY_LIMIT, not a 500', async () => {
    const config = t.app.get<ShirubeConfig>(SHIRUBE_CONFIG);
    const saved = config.analyst.timeoutMs;
    config.analyst.timeoutMs = 1;
    try {
      const response = await post(HEAVY);
      expect(response.status).toBe(422);
      expect(response.body.error).toEqual({
        code: 'QUERY_LIMIT',
        message: 'stopped the derived outcomes after 1 ms, the time limit',
        limit: 'time',
        timeoutMs: 1,
      });
    } finally {
      config.analyst.timeoutMs = saved;
    }
  });
});
