import { say, type ProblemCode } from '../../problems/problem-catalogue.js';
import type { InlineRule } from '../../staging.js';
import type { StatementLayout } from './read-statements.js';

/** A statement rule before its words are said with the file's layout. */
type Rule = Omit<InlineRule, 'rule' | 'code' | 'params'> & { code: ProblemCode };

/** An IRI: a scheme, a colon, and no spaces (RFC 3987, loosely: apps send http(s) and urn IRIs). */
const IRI_PATTERN = String.raw`[A-Za-z][A-Za-z0-9+.\-]*:\S+`;
/** Values shown in a problem are cut: a broken field can be arbitrarily long. */
const shown = (column: string) => `left(${column}, 100)`;

/**
 * The errors a statement can have, over the typed table (see typeStatements). Each rejects its
 * statement; with --accept-partial the others load. Field rules apply to statements that parse as
 * a JSON object only, so that one defect gives one problem.
 */
export function statementRules(layout: StatementLayout): InlineRule[] {
  const object = 'json_ok AND is_object';
  const rules: Rule[] = [
    { severity: 'error', column: null, code: 'xapi.not_json', when: 'NOT json_ok' },
    { severity: 'error', column: null, code: 'xapi.not_object', when: 'json_ok AND NOT is_object' },
    {
      severity: 'error',
      column: 'id',
      code: 'xapi.id_uuid',
      value: shown('statement_id_text'),
      when: `${object} AND statement_id_present AND NOT statement_id_valid`,
    },
    {
      severity: 'error',
      column: 'actor',
      code: 'xapi.actor_unnamed',
      when: `${object} AND actor_source IS NULL`,
    },
    {
      severity: 'error',
      column: 'actor.mbox',
      code: 'xapi.mbox_mailto',
      value: 'withheld',
      when: `${object} AND actor_mbox_not_mailto`,
    },
    { severity: 'error', column: 'verb.id', code: 'xapi.verb_required', when: `${object} AND NOT verb_id_present` },
    {
      severity: 'error',
      column: 'verb.id',
      code: 'xapi.verb_iri',
      value: shown('verb_id_text'),
      when: `${object} AND verb_id_present AND (verb_id IS NULL OR NOT regexp_full_match(verb_id, '${IRI_PATTERN}'))`,
    },
    { severity: 'error', column: 'timestamp', code: 'xapi.timestamp_required', when: `${object} AND NOT ts_present` },
    {
      severity: 'error',
      column: 'timestamp',
      code: 'xapi.timestamp_form',
      value: shown('ts_text'),
      when: `${object} AND ts_present AND ts IS NULL`,
    },
    {
      severity: 'error',
      column: 'result.duration',
      code: 'xapi.duration_form',
      value: shown('duration_text'),
      when: `${object} AND duration_present AND duration_s IS NULL`,
    },
    {
      severity: 'error',
      column: 'result.score.scaled',
      code: 'xapi.scaled_number',
      value: shown('score_scaled_text'),
      when: `${object} AND score_scaled_present AND score_scaled IS NULL`,
    },
    {
      severity: 'error',
      column: 'result.score.scaled',
      code: 'xapi.scaled_range',
      value: shown('score_scaled_text'),
      when: `${object} AND NOT score_scaled BETWEEN -1 AND 1`,
    },
    {
      severity: 'error',
      column: 'result.score.raw',
      code: 'xapi.raw_number',
      value: shown('score_raw_text'),
      when: `${object} AND score_raw_present AND score_raw IS NULL`,
    },
    {
      severity: 'error',
      column: 'result.success',
      code: 'xapi.success_boolean',
      value: shown('success_text'),
      when: `${object} AND success_present AND success IS NULL`,
    },
    {
      severity: 'error',
      column: 'result.completion',
      code: 'xapi.completion_boolean',
      value: shown('completion_text'),
      when: `${object} AND completion_present AND completion IS NULL`,
    },
  ];
  // Columns name the statement's JSON path, not a staging column: a value is shown only when set.
  return rules.map((rule) => ({ ...rule, value: rule.value ?? 'NULL', ...say(rule.code, { rows: layout }) }));
}
