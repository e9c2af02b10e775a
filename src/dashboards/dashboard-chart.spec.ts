import { chartPoints } from './dashboard-chart.js';
import { yearBefore } from './dashboards.service.js';
import type { AttendancePeriod } from './dashboards.types.js';

const period = (
  academicYear: number,
  asOf: string,
  students: number,
  months: [string, number][],
): AttendancePeriod => ({
  academicYear,
  asOf,
  minDays: 30,
  homerooms: [],
  total: { students, schoolDays: 0, absentDays: months.reduce((n, [, a]) => n + a, 0), studentsOver: 0, rate: null },
  months: months.map(([month, absences]) => ({ month, absences })),
});

describe('yearBefore', () => {
  it('gives the same day a year before, 29 February as 28', () => {
    expect(yearBefore('2026-03-24')).toBe('2025-03-24');
    expect(yearBefore('2025-10-31')).toBe('2024-10-31');
    expect(yearBefore('2028-02-29')).toBe('2027-02-28');
  });
});

describe('chartPoints', () => {
  it('accumulates absence days per student from April to the as-of month, for each year', () => {
    const current = period(2025, '2025-06-15', 4, [
      ['2025-04', 4],
      ['2025-06', 2],
    ]);
    const previous = period(2024, '2024-06-15', 5, [
      ['2024-05', 5],
      ['2024-06', 5],
    ]);
    expect(chartPoints(current, previous, 'ja')).toEqual([
      { month: 4, series: '2025年度', perStudent: 1, absences: 4 },
      { month: 5, series: '2025年度', perStudent: 1, absences: 4 },
      { month: 6, series: '2025年度', perStudent: 1.5, absences: 6 },
      { month: 4, series: '2024年度(前年度)', perStudent: 0, absences: 0 },
      { month: 5, series: '2024年度(前年度)', perStudent: 1, absences: 5 },
      { month: 6, series: '2024年度(前年度)', perStudent: 2, absences: 10 },
    ]);
  });

  it('runs over the new year into January to March', () => {
    const current = period(2025, '2026-02-10', 1, [['2026-01', 3]]);
    const points = chartPoints(current, null, 'en');
    expect(points.map((p) => p.month)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2]);
    expect(points.at(-1)).toEqual({ month: 2, series: 'FY2025', perStudent: 3, absences: 3 });
  });
});
