import type { Rule, Staging } from './staging.js';

/**
 * Rules for values no vocabulary closes: dates in another form than the one the formats name, and free
 * text (names, subjects, IDs a school makes up).
 */

/** The longest free-text value kept (a subject, a programme name, an assessment ID): anything longer is not one. */
export const MAX_TEXT_LENGTH = 200;

const CONTROL_CHARACTERS = String.raw`[\x00-\x1f\x7f]`;

/**
 * A date DuckDB reads though it is not written YYYY-MM-DD (2025/04/01, 2025-4-1, 2025-04-01T09:00):
 * loaded as read, with a warning that shows how it was read. `day` is the SQL of the date read.
 */
export function dateFormRule(column: string, day: string): Rule {
  const text = `"${column}"`;
  return {
    severity: 'warning',
    column,
    rule: 'date not written YYYY-MM-DD: loaded as the date after the arrow',
    value: `${text} || ' → ' || CAST(${day} AS VARCHAR)`,
    when: `${text} IS NOT NULL AND ${day} IS NOT NULL AND NOT (${text} LIKE '____-__-__')`,
  };
}

/**
 * Free text: longer than MAX_TEXT_LENGTH is an error (the value shown cut short); a line break, tab or
 * other control character is a warning, and normaliseText replaces each run of them by one space.
 */
export function textRules(columns: readonly string[]): Rule[] {
  return columns.flatMap((column): Rule[] => {
    const text = `"${column}"`;
    return [
      {
        severity: 'error',
        column,
        rule: `longer than ${MAX_TEXT_LENGTH} characters`,
        value: `left(${text}, 40) || '…'`,
        when: `length(${text}) > ${MAX_TEXT_LENGTH}`,
      },
      {
        severity: 'warning',
        column,
        rule: 'a line break or other control character: loaded with a space instead',
        value: 'NULL',
        when: `regexp_matches(${text}, '${CONTROL_CHARACTERS}')`,
      },
    ];
  });
}

/** After validation: each run of control characters in these columns becomes one space (textRules warned of it). */
export async function normaliseText(staging: Staging, table: string, columns: readonly string[]): Promise<void> {
  for (const column of columns) {
    const text = `"${column}"`;
    await staging.session.run(
      `UPDATE ${table} SET ${text} = trim(regexp_replace(${text}, '${CONTROL_CHARACTERS}+', ' ', 'g'))
       WHERE regexp_matches(${text}, '${CONTROL_CHARACTERS}')`,
    );
  }
}
