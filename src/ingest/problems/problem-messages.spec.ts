import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../../common/project-root.js';
import { listValue } from '@duckdb/node-api';
import { parseRules, readRules, rulesFor } from '../staging/rule-engine.js';
import { PROBLEM_MESSAGES, say } from './problem-catalogue.js';
import { problemMessage, ruleMessagesByCode, rulesFiles, withMessages } from './problem-messages.js';
import { fillMessage, placesOf, type ProblemMessage } from './problem-text.js';

/** Kana or kanji: a Japanese text has some. */
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const catalogue = Object.entries(PROBLEM_MESSAGES as Record<string, ProblemMessage>);

describe('every problem has words in Japanese and English', () => {
  it.each(catalogue)('%s (a TypeScript problem)', (_code, message) => {
    expect(message.en.trim()).not.toBe('');
    expect(message.ja).toMatch(JAPANESE);
    expect(placesOf(message.ja)).toEqual(placesOf(message.en));
    for (const words of Object.values(message.terms ?? {}))
      for (const term of Object.values(words)) {
        expect(term.ja.trim()).not.toBe('');
        expect(term.en.trim()).not.toBe('');
      }
  });

  it('reads the rules files: every rule has @says_ja and @says, naming the same parts', () => {
    const files = rulesFiles();
    expect(files).toEqual(expect.arrayContaining(['attendance/rules', 'student-facts/rules', 'values/school-code']));
    for (const name of files)
      for (const rule of readRules(name)) {
        expect({ code: rule.code, ja: JAPANESE.test(rule.saysJa) }).toEqual({ code: rule.code, ja: true });
        expect(placesOf(rule.saysJa)).toEqual(placesOf(rule.says));
      }
    expect(ruleMessagesByCode().get('attendance/rules:status_required')?.ja).toBe('status（出欠）は必須です');
  });

  it('a rule without @says_ja, or whose texts name different parts, does not load', () => {
    const rule = (says: string) => `-- @rule r\n-- @severity error\n${says}\n-- @when\nx IS NULL;\n`;
    expect(() => parseRules('t/rules', rule('-- @says x is required'))).toThrow(/needs @severity, @says_ja/);
    expect(() => parseRules('t/rules', rule('-- @says_ja x は必須です\n-- @says {{x}} is required'))).toThrow(
      /different \{\{parts\}\}/,
    );
    expect(parseRules('t/rules', rule('-- @says_ja {{x}} は必須です\n-- @says {{x}} is required'))[0]).toMatchObject({
      code: 't/rules:r',
      saysJa: '{{x}} は必須です',
    });
  });

  it('fills a catalogued rule’s params from its @param lines: text, a part said plain, or a vocabulary', () => {
    const rule = (params: string) =>
      `-- @rule r\n-- @severity error\n-- @column {{column}}\n-- @says_code oneroster.either\n${params}-- @when\n{{column}} IS NULL;\n`;
    const templates = parseRules('t/rules', rule('-- @param column {{column}}\n-- @param values $statuses\n'));
    const [filled] = rulesFor(templates, { column: '"status"' }, { statuses: listValue(['active', 'tobedeleted']) });
    const said = say('oneroster.either', { column: 'status', values: ['active', 'tobedeleted'] });
    expect(filled).toMatchObject({ ...said, column: 'status', when: '"status" IS NULL' });
    expect(JSON.stringify(filled.params)).toBe(JSON.stringify(said.params));
    expect(() => rulesFor(templates, { column: '"status"' })).toThrow(/no such text or list value/);
    expect(() => parseRules('t/rules', rule('-- @param column {{column}}\n'))).toThrow(/one for each of its places/);
    const [placeless] = rulesFor(parseRules('t/rules', rule('').replace('oneroster.either', 'oneroster.no_role')), {
      column: 'sourcedId',
    });
    expect(placeless).not.toHaveProperty('params');
  });

  it('no problem is raised in TypeScript with words of its own (a `rule:` literal) outside the catalogue', () => {
    const ingest = join(projectRoot(), 'src', 'ingest');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return name === 'problems' ? [] : files(path);
        return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
      });
    const found = files(ingest).flatMap((file) => ruleLiterals(relative(ingest, file), readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
    expect(ruleLiterals('x.ts', "problem({ severity: 'error', rule: `bad ${x}` })")).toEqual([
      'x.ts: rule: `bad ${x}`',
    ]);
  });
});

/** The `rule:` properties of a source whose value is a string written there. */
function ruleLiterals(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const literals: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAssignment(node) &&
      node.name.getText() === 'rule' &&
      (ts.isStringLiteral(node.initializer) ||
        ts.isTemplateExpression(node.initializer) ||
        ts.isNoSubstitutionTemplateLiteral(node.initializer))
    )
      literals.push(`${file}: ${node.getText()}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return literals;
}

describe('problem words', () => {
  it('fills params, terms and lists in the locale', () => {
    const missing = say('file.header_missing_column', { column: 'student_id', feed: 'attendance' });
    expect(missing.rule).toBe(
      'header matches no feed: required column student_id is missing ' +
        '(the other columns are those of a attendance file)',
    );
    expect(problemMessage(missing, 'ja')).toBe(
      '見出しがどのデータにも合いません。必須の列 student_id がありません（ほかの列は「出欠」のファイルのものです）',
    );
    const either = say('oneroster.either', { column: 'status', values: ['active', 'tobedeleted'] });
    expect(either.rule).toBe('status must be active or tobedeleted');
    expect(problemMessage(either, 'ja')).toBe('status は active または tobedeleted にしてください');
    expect(fillMessage(PROBLEM_MESSAGES['xapi.id_uuid'], { layout: 'lines' }, 'ja')).toBe(
      'id は UUID にしてください（行番号 = ファイルの行）',
    );
  });

  it('says a rules file’s problem from its file, and an old problem (no code) in its English words', () => {
    expect(
      problemMessage({ code: 'student-facts/rules:date_required', params: { date: 'date' }, rule: '' }, 'ja'),
    ).toBe('date は必須です');
    expect(problemMessage({ rule: 'status is required' }, 'ja')).toBe('status is required');
  });

  it('adds `message` to a report’s problems, keeping every field', () => {
    const problem = { severity: 'error', file: 'a.csv', row: 2, column: 'status', value: null };
    const report = {
      batchId: 'b',
      problems: [{ ...problem, ...say('csv.unknown_column') }],
      problemsByRule: [{ severity: 'error', file: 'a.csv', column: 'status', count: 1, ...say('csv.unknown_column') }],
    };
    const said = withMessages(report, 'en');
    expect(said.problems[0]).toEqual({ ...report.problems[0], message: 'unknown column, ignored' });
    expect(said.problemsByRule[0].message).toBe('unknown column, ignored');
    expect(withMessages(report, 'ja').problems[0].message).toBe('知らない列です。読み飛ばしました');
  });
});
