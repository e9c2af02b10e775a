import { createHash, randomBytes } from 'node:crypto';

/** A random bearer secret: 32 bytes, URL-safe, with a prefix that says what it is (`shb_` token, `shs_` session, `shc_` the local command line's token of a running server). */
export function newSecret(prefix: 'shb' | 'shs' | 'shc'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Only this digest is stored. A fast hash is right here: the secret has 256 bits of entropy, so it cannot be guessed. */
export function digestSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
