import { isValidSchoolCode } from '../schools/school-code.js';
import { normalizeDemoOptions } from './demo-options.js';
import { normalQuantile, planMunicipality } from './municipality-plan.js';

const options = (over: Partial<Parameters<typeof normalizeDemoOptions>[0]> = {}) =>
  normalizeDemoOptions({ schools: 12, students: 4000, years: 3, seed: 1, outDir: '/tmp/x', ...over });

describe('planMunicipality', () => {
  it('makes about two thirds elementary schools with valid, unique codes', () => {
    const plan = planMunicipality(options({ schools: 30, students: 12000 }));
    expect(plan.schools.filter((s) => s.type === 'elementary')).toHaveLength(20);
    expect(plan.schools.every((s) => isValidSchoolCode(s.code))).toBe(true);
    expect(new Set(plan.schools.map((s) => s.code)).size).toBe(30);
    expect(plan.schools.filter((s) => s.type === 'elementary').every((s) => s.code.startsWith('B1082'))).toBe(true);
    expect(plan.schools.filter((s) => s.type === 'junior_high').every((s) => s.code.startsWith('C1082'))).toBe(true);
  });

  it('sends every elementary school to one junior high, and every junior high has a feeder', () => {
    const plan = planMunicipality(options({ schools: 60, students: 30000 }));
    for (const s of plan.schools) {
      if (s.type === 'elementary') expect(plan.schools[s.juniorHigh].type).toBe('junior_high');
      else expect(s.feeders.length).toBeGreaterThan(0);
    }
  });

  it('staggers adoption over years 2 and 3 with a never-treated group of each school type', () => {
    const plan = planMunicipality(options());
    const years = plan.adoptionYear;
    expect(new Set(years)).toEqual(new Set([undefined, 2024, 2025]));
    for (const type of ['elementary', 'junior_high']) {
      expect(plan.schools.some((s) => s.type === type && years[s.index] === undefined)).toBe(true);
    }
    expect(plan.supportRoom.adoptions.every((a) => a.startDate === `${a.academicYear}-04-01` && a.endDate === '')).toBe(
      true,
    );
    expect(
      planMunicipality(options({ years: 2 }))
        .adoptionYear.filter((y) => y !== undefined)
        .every((y) => y === 2025),
    ).toBe(true);
    expect(
      planMunicipality(options({ years: 1 }))
        .adoptionYear.filter((y) => y !== undefined)
        .every((y) => y === 2025),
    ).toBe(true);
  });

  it('plants at least two high-growth schools only when effects are planted', () => {
    expect(planMunicipality(options()).schools.filter((s) => s.highGrowth).length).toBe(2);
    expect(
      planMunicipality(options({ schools: 100, students: 40000 })).schools.filter((s) => s.highGrowth).length,
    ).toBe(10);
    expect(planMunicipality(options({ plantedEffects: false })).schools.some((s) => s.highGrowth)).toBe(false);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(planMunicipality(options()))).toBe(JSON.stringify(planMunicipality(options())));
    expect(JSON.stringify(planMunicipality(options({ seed: 2 })))).not.toBe(
      JSON.stringify(planMunicipality(options())),
    );
  });
});

describe('normalQuantile', () => {
  it('inverts the normal distribution', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 8);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });
});

describe('normalizeDemoOptions', () => {
  it.each([
    [{ schools: 1 }, /"schools": must be between 2/],
    [{ schools: 2.5 }, /"schools": must be a whole number/],
    [{ students: 50 }, /"students": must be at least 10 per school \(120 for 12 schools\)/],
    [{ years: 0 }, /"years": must be between 1 and 12/],
    [{ seed: -1 }, /"seed"/],
    [{ lastAcademicYear: 1999 }, /"lastAcademicYear"/],
    [{ attendance: 'daily' as 'full' }, /"attendance": must be "exceptions" or "full"/],
    [{ outDir: ' ' }, /"outDir"/],
  ])('rejects %j naming the option', (over, message) => {
    expect(() => options(over)).toThrow(message);
  });

  it('fills in the defaults', () => {
    const o = options();
    expect([o.lastAcademicYear, o.attendance, o.plantedEffects]).toEqual([2025, 'exceptions', true]);
  });
});
