/**
 * Control characters (C0: U+0000–U+001F, and DEL U+007F) in names a person gave: tested and replaced
 * character by character (no regular expression holds them).
 */
const isControl = (code: number, withDel: boolean) => code < 0x20 || (withDel && code === 0x7f);

/** Whether `text` has a control character (DEL too). */
export const hasControlCharacter = (text: string): boolean => [...text].some((ch) => isControl(ch.charCodeAt(0), true));

/** `text` with each control character replaced by `by` (DEL too, unless `withDel` is false). */
export const replaceControlCharacters = (text: string, by: string, withDel = true): string =>
  [...text].map((ch) => (isControl(ch.charCodeAt(0), withDel) ? by : ch)).join('');
