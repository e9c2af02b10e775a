import { automaticKindAt } from './reminders.service.js';

describe('automaticKindAt', () => {
  const deadline = '2026-05-29';
  it('is nothing before the window, before_deadline within it (Tokyo days), overdue after the deadline', () => {
    expect(automaticKindAt(deadline, new Date('2026-05-25T12:00:00Z'), 3)).toBeNull();
    // 26 May 00:30 in Tokyo is still 25 May in UTC.
    expect(automaticKindAt(deadline, new Date('2026-05-25T15:30:00Z'), 3)).toBe('before_deadline');
    expect(automaticKindAt(deadline, new Date('2026-05-29T14:59:00Z'), 3)).toBe('before_deadline');
    expect(automaticKindAt(deadline, new Date('2026-05-29T15:00:00Z'), 3)).toBe('overdue');
  });

  it('sends nothing before the deadline when the days before are 0', () => {
    expect(automaticKindAt(deadline, new Date('2026-05-29T01:00:00Z'), 0)).toBeNull();
    expect(automaticKindAt(deadline, new Date('2026-06-01T01:00:00Z'), 0)).toBe('overdue');
  });
});
