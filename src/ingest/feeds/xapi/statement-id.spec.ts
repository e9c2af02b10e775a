import { derivedStatementId } from './statement-id.js';

describe('derivedStatementId', () => {
  const pseudonym = '0123456789abcdef'.repeat(4);

  it('is a version 8 UUID made from the pseudonym', () => {
    expect(derivedStatementId(pseudonym)).toBe('01234567-89ab-8def-8123-456789abcdef');
  });

  it('differs for another pseudonym', () => {
    expect(derivedStatementId('f'.repeat(64))).not.toBe(derivedStatementId(pseudonym));
  });

  it('refuses anything but 64 hex digits', () => {
    expect(() => derivedStatementId('xapi-statement')).toThrow('64 hex digits');
  });
});
