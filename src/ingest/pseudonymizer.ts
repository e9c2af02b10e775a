import { createHmac } from 'node:crypto';

/**
 * Keyed HMAC-SHA256 of person IDs with the board's secret: the same key gives the same pseudonym
 * across feeds and years; without the key a pseudonym cannot be reversed or recomputed.
 * The raw value is hashed as it is (trimmed), so an ID given in any feed maps to one pseudonym.
 */
export class Pseudonymizer {
  /** `null` key: the input is already pseudonymised (`--pre-pseudonymized`); IDs pass through. */
  constructor(private readonly key: Buffer | null) {}

  get prePseudonymized(): boolean {
    return this.key === null;
  }

  pseudonym(rawId: string): string {
    if (this.key === null) return rawId.trim();
    return createHmac('sha256', this.key).update(rawId.trim(), 'utf8').digest('hex');
  }
}

/** What a pre-pseudonymised ID must look like: 64 lowercase hex digits. */
export const PSEUDONYM_PATTERN = /^[0-9a-f]{64}$/;
