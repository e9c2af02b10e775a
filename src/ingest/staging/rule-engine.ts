import { DuckDBListValue, type DuckDBValue } from '@duckdb/node-api';
import type { ProblemParams, Severity } from '../ingest.types.js';
import { ingestFile, ingestSql, joinSql, quoteIdent, render, type Part, type Sql } from '../sql/ingest-sql.js';
import { boundParams, type StagingArea } from './staging-area.js';
import { PROBLEM_MESSAGES } from '../problems/problem-catalogue.js';
import { fillMessage, placesOf, type ProblemMessage } from '../problems/problem-text.js';

export const WITHHELD = '(withheld)';

/**
 * A validation rule, read from a feed's rules file (`queries/ingest/<feed>/rules.sql`, see readRules):
 * rows where `when` holds get a problem; an error also rejects the row.
 */
export interface Rule {
  id: string;
  severity: Severity;
  column: string | null;
  /** What the report says, in English. */
  rule: string;
  /** The problem's code (`<rules file>:<rule>`, or a catalogue code), and what fills its words. */
  code: string;
  params?: ProblemParams;
  /** SQL boolean over the rows' columns. */
  when: Sql;
  /** SQL for the value shown; 'withheld' for person IDs (never shown); default: the column. */
  value?: Sql | 'withheld';
  /**
   * Statements run before the rule, in order: `prepare` makes a table the rule reads, `guard` counts
   * (`n`) what could make the rule fire: 0, and the rule is not run over the rows.
   */
  steps: { kind: 'prepare' | 'guard'; sql: Sql }[];
  /**
   * `file`: about how the file writes a value (a blank, a form, a word outside the vocabulary): a direct
   * load's typed reader refuses such a file, so only rows staged one by one are checked for it.
   * `rows`: about what the rows say; checked on rows staged one by one and on rows a direct load wrote.
   */
  applies: 'file' | 'rows';
}

/** A rule as its file has it: every part a template, its words, and the values it needs to apply at all. */
interface RuleTemplate extends Omit<Rule, 'rule' | 'params'> {
  says: string;
  saysJa: string;
  /** The catalogue's message when the file names it (`@says_code`): its `{{places}}` are filled from values. */
  message?: ProblemMessage;
  /** A catalogued rule's params as its file gives them (`@param`), in order; none: filled from values. */
  fixedParams: [string, string][];
  needs: string[];
}

const Q = {
  validate: ingestSql('rules/validate'),
  hit: ingestSql('rules/hit'),
  condition: ingestSql('rules/condition'),
  rejectRows: ingestSql('rules/reject-rows'),
  errorCount: ingestSql('rules/error-count'),
  null: ingestSql('rules/null'),
};

/**
 * The rules of a rules file. A rule starts at `-- @rule <id>`; `-- @severity`, `-- @column`, `-- @says_ja`
 * and `-- @says` (what the report says in Japanese and in English: both are required, and name the same
 * `{{parts}}`) — or `-- @says_code <code>`, a message of the catalogue (src/ingest/problems) whose places
 * the feed fills from the values it gives (rulesFor), or the file from its `-- @param <place> <text>` lines
 * (one for each place, in the order the params are kept: a text, with `{{parts}}` said plain, or `$value`,
 * a value of the feed such as a vocabulary bound as a list),
 * `-- @value <SQL | withheld>`, `-- @applies file|rows` (default rows) and `-- @needs <value>` (the rule
 * applies only when that value is given) describe it; `-- @prepare`, `-- @guard` and `-- @when` start its
 * statements, each ending with `;`. Other comment lines are for the reader.
 */
export const readRules = (name: string): RuleTemplate[] => parseRules(name, ingestFile(name));

/** The rules of a rules file's text (see readRules); `name` names the file in errors and in codes. */
export function parseRules(name: string, text: string): RuleTemplate[] {
  const blocks = text.split(/^-- @rule\s+/m).slice(1);
  if (blocks.length === 0) throw new Error(`queries/ingest/${name}.sql holds no rule`);
  return blocks.map((block) => {
    const [head, ...rest] = block.split('\n');
    const id = head.trim();
    const meta = new Map<string, string>();
    const sections: { kind: string; lines: string[] }[] = [];
    const fixedParams: [string, string][] = [];
    for (const line of rest) {
      const tag = /^-- @(\w+)\s*(.*)$/.exec(line);
      if (tag && ['prepare', 'guard', 'when'].includes(tag[1])) sections.push({ kind: tag[1], lines: [] });
      else if (tag?.[1] === 'param') fixedParams.push(paramOf(name, id, tag[2]));
      else if (tag) meta.set(tag[1], tag[2].trim());
      else if (!/^\s*--/.test(line) && sections.length > 0) sections[sections.length - 1].lines.push(line);
    }
    const sqlOf = (lines: string[]) => lines.join('\n').trim().replace(/;$/, '').trim() as Sql;
    const when = sections.filter((s) => s.kind === 'when');
    const severity = meta.get('severity');
    const saysCode = meta.get('says_code');
    const message = saysCode === undefined ? undefined : catalogued(name, id, saysCode, meta);
    const [says, saysJa] = message ? [message.en, message.ja] : [meta.get('says'), meta.get('says_ja')];
    if (when.length !== 1 || (severity !== 'error' && severity !== 'warning') || !says || !saysJa)
      throw new Error(`queries/ingest/${name}.sql: rule ${id} needs @severity, @says_ja, @says and one @when`);
    if (placesOf(says).join() !== placesOf(saysJa).join())
      throw new Error(`queries/ingest/${name}.sql: rule ${id}: @says and @says_ja name different {{parts}}`);
    if (fixedParams.length > 0 && (!message || placesOf(says).some((p) => !fixedParams.some(([n]) => n === p))))
      throw new Error(
        `queries/ingest/${name}.sql: rule ${id}: @param goes with @says_code, one for each of its places`,
      );
    const value = meta.get('value');
    return {
      id,
      code: saysCode ?? `${name}:${id}`,
      message,
      fixedParams,
      severity,
      column: meta.get('column') ?? null,
      says,
      saysJa,
      when: sqlOf(when[0].lines),
      value: value === undefined ? undefined : value === 'withheld' ? 'withheld' : (value as Sql),
      steps: sections
        .filter((s) => s.kind !== 'when')
        .map((s) => ({ kind: s.kind as 'prepare' | 'guard', sql: sqlOf(s.lines) })),
      applies: meta.get('applies') === 'file' ? 'file' : 'rows',
      needs: (meta.get('needs') ?? '').split(/\s+/).filter(Boolean),
    };
  });
}

/** `-- @param <place> <text>`: a catalogued rule's param, its text (with `{{parts}}`) or `$value`. */
function paramOf(name: string, id: string, text: string): [string, string] {
  const param = /^(\w+)\s+(\S.*)$/.exec(text.trim());
  if (!param) throw new Error(`queries/ingest/${name}.sql: rule ${id}: @param needs a place and its text`);
  return [param[1], param[2]];
}

/**
 * The rules of a file for one table: `{{parts}}` filled (tables, columns, SQL of files; see render), the
 * rules whose `@needs` values are not given left out. In what the report says, a part is the column's
 * plain name.
 */
export function rulesFor(
  templates: readonly RuleTemplate[],
  parts: Readonly<Record<string, Part>>,
  values: Readonly<Record<string, DuckDBValue>> = {},
): Rule[] {
  const plain = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => plainPart(parts[name], name));
  return templates
    .filter((t) =>
      t.needs.every((name) => values[name] !== undefined && values[name] !== null && values[name] !== false),
    )
    .map(({ says, saysJa: _ja, needs: _needs, message, fixedParams, ...t }) => ({
      ...t,
      ...(message
        ? fixedParams.length > 0
          ? fixedSaid(message, fixedParams, plain, values)
          : catalogueSaid(message, values)
        : { rule: plain(says), ...paramsOf(placesOf(says), plain) }),
      column: t.column === null ? null : plain(t.column),
      when: render(t.when, parts),
      value: t.value === undefined || t.value === 'withheld' ? t.value : render(t.value, parts),
      steps: t.steps.map((step) => ({ ...step, sql: render(step.sql, parts) })),
    }));
}

/** The parts a rule's words name, as params (the column's plain name): none, and no params. */
function paramsOf(parts: string[], plain: (text: string) => string): { params?: ProblemParams } {
  return parts.length === 0 ? {} : { params: Object.fromEntries(parts.map((part) => [part, plain(`{{${part}}}`)])) };
}

/** A rule's `@says_code`: a message of the catalogue, and the rule gives no words of its own. */
function catalogued(name: string, id: string, code: string, meta: Map<string, string>): ProblemMessage {
  const message = (PROBLEM_MESSAGES as Record<string, ProblemMessage>)[code];
  if (!message || meta.has('says') || meta.has('says_ja'))
    throw new Error(
      `queries/ingest/${name}.sql: rule ${id}: @says_code ${code} is no message of the catalogue, or has words too`,
    );
  return message;
}

/** A part as the report names it: an identifier's plain name (a column as written in the file). */
function plainPart(part: Part | undefined, name: string): string {
  if (part === undefined) return '';
  if (typeof part !== 'string') throw new Error(`{{${name}}} is named in a rule's words but is no identifier`);
  return part.replace(/^"(.*)"$/, '$1');
}

/** A catalogued rule's words and params from its `@param`s: text, or a value of the feed (a list: a vocabulary). */
function fixedSaid(
  message: ProblemMessage,
  fixed: readonly [string, string][],
  plain: (text: string) => string,
  values: Readonly<Record<string, DuckDBValue>>,
) {
  const params: ProblemParams = Object.fromEntries(
    fixed.map(([place, text]): [string, string | string[]] => {
      if (!text.startsWith('$')) return [place, plain(text)];
      const value = values[text.slice(1)];
      if (value instanceof DuckDBListValue) return [place, value.items.map(String)];
      if (typeof value !== 'string') throw new Error(`@param ${place} ${text}: no such text or list value`);
      return [place, value];
    }),
  );
  return { rule: fillMessage(message, params, 'en'), params };
}

/**
 * The English words and params of a catalogued rule, its places filled from the feed's values; a message
 * without places has no params (as `say` gives it).
 */
function catalogueSaid(message: ProblemMessage, values: Readonly<Record<string, DuckDBValue>>) {
  const places = placesOf(message.en);
  if (places.length === 0) return { rule: message.en };
  const params = Object.fromEntries(places.map((place) => [place, String(values[place] as string)]));
  return { rule: fillMessage(message, params, 'en'), params };
}

/** Runs a rule's steps: false when a guard finds nothing that could make it fire. */
export async function mayFire(area: StagingArea, rule: Rule, values: Readonly<Record<string, DuckDBValue>>) {
  for (const step of rule.steps) {
    const { params, types } = boundParams(step.sql, values);
    if (step.kind === 'prepare') {
      await area.session.run(step.sql, params, types);
      continue;
    }
    const [{ n }] = await area.session.all<{ n: bigint | number | null }>(step.sql, params, types);
    if (Number(n ?? 0) === 0) return false;
  }
  return true;
}

/**
 * Applies the rules to a staged table (with `line` and `rejected`) in one scan: each row gets the list
 * of rules it breaks, unnested into problems; rows with an error are then marked rejected. A rule whose
 * guard finds nothing is not run over the rows. `values`: what the rules' SQL binds ($scope_school ...).
 */
export async function applyRules(
  area: StagingArea,
  table: string,
  fileName: string,
  rules: readonly Rule[],
  values: Readonly<Record<string, DuckDBValue>> = {},
): Promise<void> {
  const applied: Rule[] = [];
  for (const rule of rules) if (await mayFire(area, rule, values)) applied.push(rule);
  if (applied.length === 0) return;
  const bound: Record<string, DuckDBValue> = { ...values, file: fileName };
  const hits = applied.map((rule, i) => {
    bound[`severity_${i}`] = rule.severity;
    bound[`column_${i}`] = rule.column;
    bound[`rule_${i}`] = rule.rule;
    bound[`code_${i}`] = rule.code;
    bound[`params_${i}`] = rule.params === undefined ? null : JSON.stringify(rule.params);
    if (rule.value === 'withheld') bound[`value_${i}`] = WITHHELD;
    const value: Part =
      rule.value === 'withheld'
        ? { param: `value_${i}` }
        : rule.value !== undefined
          ? { sql: rule.value }
          : rule.column
            ? quoteIdent(rule.column)
            : { sql: Q.null };
    return render(Q.hit, {
      when: { sql: rule.when },
      severity: { param: `severity_${i}` },
      column: { param: `column_${i}` },
      rule: { param: `rule_${i}` },
      code: { param: `code_${i}` },
      params: { param: `params_${i}` },
      value,
    });
  });
  const any = joinSql(
    applied.map((rule) => render(Q.condition, { when: { sql: rule.when } })),
    ' OR ',
  );
  const before = await errorCount(area, fileName);
  const sql = render(Q.validate, { hits: { sql: joinSql(hits, ', ') }, any: { sql: any }, table });
  const { params } = boundParams(sql, bound);
  await area.session.run(sql, params);
  if ((await errorCount(area, fileName)) === before) return;
  await area.run(Q.rejectRows, { table }, [fileName]);
}

async function errorCount(area: StagingArea, fileName: string): Promise<number> {
  const [{ n }] = await area.all<{ n: bigint }>(Q.errorCount, {}, [fileName]);
  return Number(n);
}

/**
 * For rows a direct load wrote: runs a rule's steps on `session` (in the load's transaction) up to its
 * first guard, and whether that guard finds something that could make the rule fire.
 */
export async function guardFires(
  session: StagingArea['session'],
  rule: Rule,
  values: Readonly<Record<string, DuckDBValue>>,
): Promise<boolean> {
  for (const step of rule.steps) {
    const { params, types } = boundParams(step.sql, values);
    if (step.kind === 'prepare') {
      await session.run(step.sql, params, types);
      continue;
    }
    const [{ n }] = await session.all<{ n: bigint | number | null }>(step.sql, params, types);
    return Number(n ?? 0) > 0;
  }
  return false;
}
