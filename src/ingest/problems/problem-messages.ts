import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../../common/project-root.js';
import type { Locale } from '../../config/config.js';
import type { BatchReport } from '../ingest-report.js';
import type { Problem } from '../ingest.types.js';
import { readRules } from '../staging/rule-engine.js';
import { PROBLEM_MESSAGES } from './problem-catalogue.js';
import { fillMessage, type ProblemMessage, type ProblemParams } from './problem-text.js';

const INGEST_QUERIES = () => join(projectRoot(), 'queries', 'ingest');

/** The rules files under queries/ingest (every `.sql` file holding `-- @rule`), as readRules names them. */
export function rulesFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.sql') ? [join(dir, entry.name)] : [],
    );
  return walk(INGEST_QUERIES())
    .filter((path) => /^-- @rule\s/m.test(readFileSync(path, 'utf8')))
    .map((path) =>
      relative(INGEST_QUERIES(), path)
        .split('\\')
        .join('/')
        .replace(/\.sql$/, ''),
    )
    .sort();
}

let ruleMessages: Map<string, ProblemMessage> | null = null;

/** Every rule of every rules file, by code, with the words its file gives (read once). */
export function ruleMessagesByCode(): ReadonlyMap<string, ProblemMessage> {
  ruleMessages ??= new Map(
    rulesFiles().flatMap((name) =>
      readRules(name).map((rule) => [rule.code, { ja: rule.saysJa, en: rule.says }] as const),
    ),
  );
  return ruleMessages;
}

/** The words of a code: of the catalogue, or of a rules file's rule; undefined for an unknown code. */
export function messageOf(code: string): ProblemMessage | undefined {
  return (PROBLEM_MESSAGES as Record<string, ProblemMessage>)[code] ?? ruleMessagesByCode().get(code);
}

/**
 * What a problem says in the locale. A problem recorded before problems had codes (an old batch's report)
 * has its English words only.
 */
export function problemMessage(
  problem: { code?: string | null; params?: ProblemParams | null; rule: string },
  locale: Locale,
): string {
  const message = problem.code ? messageOf(problem.code) : undefined;
  return message ? fillMessage(message, problem.params ?? undefined, locale) : problem.rule;
}

/** A report whose problems (listed and counted) carry their words in a locale (`message`). */
export type SaidReport<R> = R extends { problems: (infer P)[]; problemsByRule: (infer C)[] }
  ? Omit<R, 'problems' | 'problemsByRule'> & {
      problems: (P & { message: string })[];
      problemsByRule: (C & { message: string })[];
    }
  : R;

/** A report's problems with their words in the locale (`message`): what the API and the CLI show. */
export function withMessages<R extends object>(report: R, locale: Locale): SaidReport<R> {
  if (!('problems' in report) || !('problemsByRule' in report)) return report as SaidReport<R>;
  const said = <P extends { code?: string | null; params?: ProblemParams | null; rule: string }>(problems: P[]) =>
    problems.map((p) => ({ ...p, message: problemMessage(p, locale) }));
  return {
    ...report,
    problems: said(report.problems as Problem[]),
    problemsByRule: said(report.problemsByRule as BatchReport['problemsByRule']),
  } as SaidReport<R>;
}

/** The language an API request asks for (its Accept-Language's first of ja and en), else the default. */
export function requestLocale(acceptLanguage: string | undefined, fallback: Locale): Locale {
  for (const range of (acceptLanguage ?? '').split(',')) {
    const tag = range.split(';')[0].trim().toLowerCase();
    if (tag === 'ja' || tag.startsWith('ja-')) return 'ja';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return fallback;
}
