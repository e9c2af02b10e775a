import { CohortsService } from '../../src/cohorts/cohorts.service.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { loadMunicipality } from '../support/municipality.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A municipality generated with no planted effect (a second seed): nothing is good practice by noise. */
describe('value-added on a municipality with no planted effect (real stores)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await loadMunicipality(t, { schools: 12, students: 4000, years: 3, seed: 2, plantedEffects: false });
  });
  afterAll(async () => t.close());

  it.each([2024, 2025])('flags no school in FY%i', async (year) => {
    const result = await requestContext.run(CLI_ACTOR, () =>
      t.app.get(CohortsService).query({
        population: { academicYears: [year - 1, year] },
        outcomes: ['assessment_score'],
        analysis: { method: 'value_added', academicYear: year },
      }),
    );
    const schools = result.tables.schools.rows;
    expect(schools.length).toBe(12);
    expect(schools.filter((r) => r.flagged === true).map((r) => r.school)).toEqual([]);
    expect(result.tables.good_practice.rows).toEqual([]);
  });

  it('finds no programme effect where none was planted (the 2×2 interval covers zero)', async () => {
    const result = await requestContext.run(CLI_ACTOR, () =>
      t.app.get(CohortsService).query({
        population: { academicYears: [2023, 2024, 2025] },
        outcomes: ['attendance_rate'],
        analysis: {
          method: 'did_2x2',
          programme: 'prog-support-room',
          outcome: 'attendance_rate',
          preYears: [2023],
          postYears: [2024],
        },
      }),
    );
    const [effect] = result.tables.effect.rows;
    expect(effect.lower as number).toBeLessThanOrEqual(0);
    expect(effect.upper as number).toBeGreaterThanOrEqual(0);
  });
});
