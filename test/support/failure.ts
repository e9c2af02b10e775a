import { DomainError } from '../../src/common/domain-error.js';

/** The DomainError a call fails with, and after how many milliseconds; a call that succeeds fails the test. */
export async function failureOf(call: Promise<unknown>): Promise<{ error: DomainError; ms: number }> {
  const started = Date.now();
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return { error: error as DomainError, ms: Date.now() - started };
  }
  throw new Error('the call did not fail');
}
