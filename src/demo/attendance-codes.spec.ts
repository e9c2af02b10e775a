import { attendedDays, futokoBands, mainAbsenceReason, REASON, requiredDays } from './attendance-codes.js';

function days(byReason: Partial<Record<keyof typeof REASON, number>>): number[] {
  const out = [0, 0, 0, 0, 0, 0];
  for (const [name, n] of Object.entries(byReason)) out[REASON[name as keyof typeof REASON]] = n ?? 0;
  return out;
}

describe('mainAbsenceReason', () => {
  it('is the reason with the most absence days', () => {
    expect(mainAbsenceReason(days({ illness: 10, nonAttendance: 45 }))).toBe('non_attendance');
    expect(mainAbsenceReason(days({ illness: 31, other: 2 }))).toBe('illness');
    expect(mainAbsenceReason(days({ economic: 40, covidAvoidance: 3 }))).toBe('economic');
    expect(mainAbsenceReason(days({ covidAvoidance: 33 }))).toBe('covid_avoidance');
  });

  it('counts days with no reason as other', () => {
    expect(mainAbsenceReason(days({ none: 20, other: 15, illness: 30 }))).toBe('other');
    expect(mainAbsenceReason(days({ none: 29, nonAttendance: 28 }))).toBe('other');
  });

  it('gives other on a tie between reasons', () => {
    expect(mainAbsenceReason(days({ illness: 20, nonAttendance: 20 }))).toBe('other');
    expect(mainAbsenceReason(days({ illness: 20, nonAttendance: 20, economic: 25 }))).toBe('economic');
  });

  it('gives other when there is no absence at all', () => {
    expect(mainAbsenceReason(days({}))).toBe('other');
  });
});

describe('required and attended days', () => {
  const totals = { schoolDays: 200, excusedDays: 7, absentDays: 95, countedPresentDays: 12 };

  it('subtracts suspension, mourning and closure from the school days, absences from the required days', () => {
    expect(requiredDays(totals)).toBe(193);
    expect(attendedDays(totals)).toBe(98);
  });

  it('puts a student in every 不登校 band that applies', () => {
    expect(futokoBands(totals)).toEqual(['absent_90_plus']);
    expect(futokoBands({ schoolDays: 200, excusedDays: 0, absentDays: 190, countedPresentDays: 0 })).toEqual([
      'absent_90_plus',
      'attended_10_or_less',
    ]);
    expect(futokoBands({ schoolDays: 200, excusedDays: 5, absentDays: 195, countedPresentDays: 0 })).toEqual([
      'absent_90_plus',
      'attended_10_or_less',
      'attended_0',
    ]);
    expect(futokoBands({ schoolDays: 200, excusedDays: 0, absentDays: 40, countedPresentDays: 0 })).toEqual([]);
  });
});
