import { textLine } from './log-text.js';

describe('textLine', () => {
  it('writes time, level, context, message, other fields and the request id on one line, with no colour', () => {
    const line = textLine(
      `${JSON.stringify({
        level: 'info',
        time: '2026-12-01T09:00:00.000Z',
        pid: 7,
        context: 'access',
        requestId: 'r-1',
        http: { method: 'GET', route: '/api/surveys/:id', status: 200 },
        msg: 'GET /api/surveys/:id 200 3 ms',
        batch: 'b 1',
      })}\n`,
    );
    expect(line).toBe(
      '2026-12-01T09:00:00.000Z INFO  [access] GET /api/surveys/:id 200 3 ms batch="b 1" requestId=r-1\n',
    );
    expect(line).not.toMatch(/\u001b\[/);
  });

  it('indents the lines of a stack under its entry', () => {
    const line = textLine(
      JSON.stringify({ level: 'error', time: 't', msg: 'failed', err: { stack: 'Error: x\n    at y' } }),
    );
    expect(line).toBe('t ERROR failed Error: x\n        at y\n');
  });

  it('passes a line that is not JSON through', () => {
    expect(textLine('plain')).toBe('plain\n');
  });
});
