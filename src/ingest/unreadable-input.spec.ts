import type { FeedInput } from './ingest.types.js';
import { unreadableInput } from './unreadable-input.js';

describe('unreadableInput', () => {
  const input: FeedInput = {
    kind: 'attendance',
    name: 'attendance.csv',
    dir: '/tmp',
    files: [{ path: '/tmp/attendance.csv', name: 'attendance.csv', sha256: 'x', bytes: 1 }],
  };

  it('names the file and the CSV line, never the message (it can quote a person ID)', () => {
    const problem = unreadableInput(
      input,
      new Error('Invalid Input Error: CSV Error on Line: 7\nOriginal Line: B113210000014,stu-0001,...'),
    );
    expect(problem).toEqual({
      severity: 'error',
      file: 'attendance.csv',
      row: 7,
      column: null,
      value: null,
      rule: 'the file cannot be read (invalid input error); nothing of it was loaded',
      code: 'input.unreadable',
      params: { kind: 'invalid input' },
    });
    expect(JSON.stringify(problem)).not.toContain('stu-0001');
  });

  it('does not take the SQL line of a binder error for a line of the file', () => {
    const problem = unreadableInput(input, new Error('Binder Error: Referenced column "x" not found\n\nLINE 12: ...'));
    expect(problem).toMatchObject({
      row: null,
      rule: 'the file cannot be read (binder error); nothing of it was loaded',
    });
  });

  it('passes on errors that are not the input’s', () => {
    expect(unreadableInput(input, new Error('IO Error: No space left on device'))).toBeNull();
    expect(unreadableInput(input, new Error('INTERNAL Error: Attempted to access index 1'))).toBeNull();
  });
});
