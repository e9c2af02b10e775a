import { createHash, createHmac } from 'node:crypto';

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

  /**
   * The key's fingerprint: the HMAC of a fixed text under it. It tells keys apart and reveals nothing
   * of the key (warehouse-ledger.ts). Null when the input is already pseudonymised.
   */
  fingerprint(): string | null {
    if (this.key === null) return null;
    return createHmac('sha256', this.key).update('shirube pseudonym key fingerprint v1', 'utf8').digest('hex');
  }

  pseudonym(rawId: string): string {
    if (this.key === null) return rawId.trim();
    return createHmac('sha256', this.key).update(rawId.trim(), 'utf8').digest('hex');
  }

  /**
   * The key as HMAC's inner and outer pads (RFC 2104: the key, hashed first when longer than SHA-256's
   * 64-byte block, zero-padded, XOR 0x36 and 0x5c), so that the same HMAC-SHA256 can be computed where
   * the IDs are — sha256(outer || sha256(inner || id)) — instead of one by one here. Null when the
   * input is already pseudonymised.
   */
  hmacPads(): { inner: Buffer; outer: Buffer } | null {
    if (this.key === null) return null;
    const block = Buffer.alloc(64);
    (this.key.length > 64 ? createHash('sha256').update(this.key).digest() : this.key).copy(block);
    return { inner: Buffer.from(block.map((b) => b ^ 0x36)), outer: Buffer.from(block.map((b) => b ^ 0x5c)) };
  }
}

/**
 * SQL: whether an ID starts and ends with a printable ASCII character. Such an ID is trimmed alike by
 * any notion of space, so its pseudonym may be computed in SQL (hmacSql) exactly as pseudonym() does.
 */
export const plainIdSql = (id: string) => `(${id}[1] BETWEEN '!' AND '~' AND ${id}[-1] BETWEEN '!' AND '~')`;

/** SQL: the HMAC-SHA256 (hex) of an ID, the key's pads (hmacPads) bound as the BLOB parameters `inner` and `outer`. */
export const hmacSql = (id: string, inner: string, outer: string) =>
  `sha256(${outer} || unhex(sha256(${inner} || encode(${id}))))`;

/** What a pre-pseudonymised ID must look like: 64 lowercase hex digits. */
export const PSEUDONYM_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The file `shirube pseudonymize` writes beside its output: the fingerprint of the key it used, so that
 * an ingest of the output (`--pre-pseudonymized`) can check it against the warehouse's key.
 */
export const KEY_FINGERPRINT_FILE = 'pseudonym-key.fingerprint';
