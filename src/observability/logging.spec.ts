import { logFormat } from './logging.js';

describe('logFormat', () => {
  it('is text for a person at a terminal and JSON lines otherwise, unless SHIRUBE_LOG_FORMAT says', () => {
    expect(logFormat({ log: { format: undefined, level: undefined } }, true)).toBe('text');
    expect(logFormat({ log: { format: undefined, level: undefined } }, false)).toBe('json');
    expect(logFormat({ log: { format: 'json', level: undefined } }, true)).toBe('json');
    expect(logFormat({ log: { format: 'text', level: undefined } }, false)).toBe('text');
  });
});
