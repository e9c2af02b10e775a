/**
 * The id given to a statement that came without one: made from the pseudonym of the SHA-256 of its
 * content, i.e. keyed with the board's secret, so that the same statement sent again gets the same id
 * and nobody without the key can recompute it (the content holds the actor's raw ID). A UUID of
 * version 8 (RFC 9562, "custom"), so it cannot be mistaken for an app's own (version 4) id.
 */
export function derivedStatementId(contentPseudonym: string): string {
  const hex = contentPseudonym.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('a content pseudonym is 64 hex digits');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
