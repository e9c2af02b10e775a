import type { Locale } from '../../config/config.js';
import type { Label } from '../../labels/labels.js';

import type { ProblemParams } from '../ingest.types.js';

/**
 * What fills a message's `{{name}}` places (ProblemParams): a column or file name, a number, a library's
 * own words, or a list of values (a vocabulary), said `a, b, c` (`{{name}}`) or `a or b` (`{{name:or}}`).
 */
export type { ProblemParams };

const JOINED = { list: { ja: '、', en: ', ' }, or: { ja: ' または ', en: ' or ' } } as const;

/**
 * A problem's words in both languages. `{{name}}` is filled from the problem's params; a param named in
 * `terms` is itself a code, put into words from its vocabulary (a layout, a kind of record ...).
 */
export interface ProblemMessage extends Label {
  terms?: Readonly<Record<string, Readonly<Record<string, Label>>>>;
}

/** Fills `{{name}}` places; a place without a param stays as written (a rules file's column part, say). */
export function fillMessage(message: ProblemMessage, params: ProblemParams | undefined, locale: Locale): string {
  return message[locale].replace(/\{\{(\w+)(?::(or))?\}\}/g, (place, name: string, or?: 'or') => {
    const value = params?.[name];
    if (value === undefined) return place;
    if (Array.isArray(value)) return (value as readonly string[]).join(JOINED[or ?? 'list'][locale]);
    const term = message.terms?.[name]?.[String(value)];
    return term ? term[locale] : String(value);
  });
}

/** The `{{name}}` places of a text, sorted: the ja and en texts of one message name the same ones. */
export const placesOf = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{\{(\w+)(?::or)?\}\}/g)].map((m) => m[1]))].sort();
