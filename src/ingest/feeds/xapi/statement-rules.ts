import type { InlineRule as Rule } from '../../staging.js';
import { ROW_MEANING, type StatementLayout } from './read-statements.js';

/** An IRI: a scheme, a colon, and no spaces (RFC 3987, loosely: apps send http(s) and urn IRIs). */
const IRI_PATTERN = String.raw`[A-Za-z][A-Za-z0-9+.\-]*:\S+`;
/** Values shown in a problem are cut: a broken field can be arbitrarily long. */
const shown = (column: string) => `left(${column}, 100)`;

/**
 * The errors a statement can have, over the typed table (see typeStatements). Each rejects its
 * statement; with --accept-partial the others load. Field rules apply to statements that parse as
 * a JSON object only, so that one defect gives one problem.
 */
export function statementRules(layout: StatementLayout): Rule[] {
  const where = ` (${ROW_MEANING[layout]})`;
  const object = 'json_ok AND is_object';
  const rules: Rule[] = [
    { severity: 'error', column: null, rule: 'not valid JSON', when: 'NOT json_ok' },
    { severity: 'error', column: null, rule: 'a statement must be a JSON object', when: 'json_ok AND NOT is_object' },
    {
      severity: 'error',
      column: 'id',
      rule: 'id must be a UUID',
      value: shown('statement_id_text'),
      when: `${object} AND statement_id_present AND NOT statement_id_valid`,
    },
    {
      severity: 'error',
      column: 'actor',
      rule: 'actor has neither account.name nor mbox: nobody to link the statement to',
      when: `${object} AND actor_source IS NULL`,
    },
    {
      severity: 'error',
      column: 'actor.mbox',
      rule: 'actor.mbox must be a mailto: IRI',
      value: 'withheld',
      when: `${object} AND actor_mbox_not_mailto`,
    },
    { severity: 'error', column: 'verb.id', rule: 'verb.id is required', when: `${object} AND NOT verb_id_present` },
    {
      severity: 'error',
      column: 'verb.id',
      rule: 'verb.id must be an IRI',
      value: shown('verb_id_text'),
      when: `${object} AND verb_id_present AND (verb_id IS NULL OR NOT regexp_full_match(verb_id, '${IRI_PATTERN}'))`,
    },
    { severity: 'error', column: 'timestamp', rule: 'timestamp is required', when: `${object} AND NOT ts_present` },
    {
      severity: 'error',
      column: 'timestamp',
      rule: 'timestamp must be an ISO 8601 date and time with seconds and a UTC offset (e.g. 2023-02-28T12:00:21.619+09:00)',
      value: shown('ts_text'),
      when: `${object} AND ts_present AND ts IS NULL`,
    },
    {
      severity: 'error',
      column: 'result.duration',
      rule: 'result.duration must be an ISO 8601 duration in weeks, days, hours, minutes, seconds (e.g. PT4H35M20.00S, P1DT2H)',
      value: shown('duration_text'),
      when: `${object} AND duration_present AND duration_s IS NULL`,
    },
    {
      severity: 'error',
      column: 'result.score.scaled',
      rule: 'result.score.scaled must be a number',
      value: shown('score_scaled_text'),
      when: `${object} AND score_scaled_present AND score_scaled IS NULL`,
    },
    {
      severity: 'error',
      column: 'result.score.scaled',
      rule: 'result.score.scaled must be between -1 and 1',
      value: shown('score_scaled_text'),
      when: `${object} AND NOT score_scaled BETWEEN -1 AND 1`,
    },
    {
      severity: 'error',
      column: 'result.score.raw',
      rule: 'result.score.raw must be a number',
      value: shown('score_raw_text'),
      when: `${object} AND score_raw_present AND score_raw IS NULL`,
    },
    {
      severity: 'error',
      column: 'result.success',
      rule: 'result.success must be true or false',
      value: shown('success_text'),
      when: `${object} AND success_present AND success IS NULL`,
    },
    {
      severity: 'error',
      column: 'result.completion',
      rule: 'result.completion must be true or false',
      value: shown('completion_text'),
      when: `${object} AND completion_present AND completion IS NULL`,
    },
  ];
  // Columns name the statement's JSON path, not a staging column: a value is shown only when set.
  return rules.map((rule) => ({ ...rule, value: rule.value ?? 'NULL', rule: rule.rule + where }));
}
