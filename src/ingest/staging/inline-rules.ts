import type { Severity } from '../ingest.types.js';
import type { Sql } from '../sql/ingest-sql.js';
import type { Rule } from './rule-engine.js';
import { say, type Said } from '../problems/problem-catalogue.js';

/**
 * A rule still written in TypeScript (OneRoster and xAPI, not yet moved to rules files under
 * queries/ingest/): SQL over the staged table's columns, as the rule engine runs a rule of a file.
 */
export interface InlineRule extends Said {
  severity: Severity;
  column: string | null;
  when: string;
  /** SQL for the value shown, or 'withheld'. */
  value?: string;
}

/** An inline rule as the rule engine runs it: no guard, checked on staged rows. */
export const fromInline = (rule: InlineRule | Rule): Rule =>
  'id' in rule
    ? rule
    : {
        id: 'inline',
        severity: rule.severity,
        column: rule.column,
        rule: rule.rule,
        code: rule.code,
        ...(rule.params ? { params: rule.params } : {}),
        when: rule.when as Sql,
        value: rule.value as Sql | 'withheld' | undefined,
        steps: [],
        applies: 'file',
      };

/** Rows that repeat an earlier row's natural key: an error on the later rows (the first one stands). */
export function duplicateRule(
  table: string,
  keys: string[],
  column: string,
  what: string,
  severity: Severity = 'error',
): InlineRule {
  const notNull = keys.map((k) => `${k} IS NOT NULL`).join(' AND ');
  return {
    severity,
    column,
    ...say('oneroster.repeat', { key: what }),
    value: 'NULL',
    // The aggregate finds the repeated keys (a parallel hash aggregate); the window runs over their rows only.
    when: `line IN (SELECT line FROM (SELECT line, min(line) OVER (PARTITION BY ${keys.join(', ')}) AS first_line FROM ${table}
                    WHERE (${keys.join(', ')}) IN (SELECT (${keys.join(', ')}) FROM ${table} WHERE ${notNull} GROUP BY ALL HAVING count(*) > 1))
                    WHERE line <> first_line)`,
  };
}
