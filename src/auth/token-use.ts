/** A token's last use is written at most this often: the hot path of an API call reads, it does not write. */
export const TOKEN_USE_INTERVAL_MS = 60_000;
const MAX_TOKENS = 100_000;

/**
 * Remembers, in this process, when each token's `last_used_at` was last written, so that a busy API
 * client costs one write a minute instead of one per request. The column is then right to the minute.
 */
export class TokenUseMemo {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly intervalMs = TOKEN_USE_INTERVAL_MS,
    private readonly maxTokens = MAX_TOKENS,
  ) {}

  /** Whether this use of the token is to be written now; when it is, the memo notes it. */
  due(tokenId: string, now = Date.now()): boolean {
    const last = this.written.get(tokenId);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.written.delete(tokenId);
    this.written.set(tokenId, now);
    // Insertion order: the first is the token written longest ago.
    if (this.written.size > this.maxTokens) this.written.delete(this.written.keys().next().value!);
    return true;
  }
}
