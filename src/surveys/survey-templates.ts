import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root.js';
import { academicYearLabel } from '../labels/labels.js';
import type { MetricDefinition } from '../metrics/metric-catalogue.js';
import { ADDITIVE_UNITS } from './prefill.js';
import type { Binding, Localized, QuestionRule, QuestionType, SurveyTargets } from './survey.types.js';

/**
 * A survey template (survey-templates/*.json): a national form, cell by cell. Every numeric cell is either
 * bound to a catalogue metric (pre-filled per school) or marked as needing a person's judgement, with the
 * reason. A template becomes the body of `POST /api/surveys` for a school year (surveyFromTemplate).
 */
export interface TemplateQuestion {
  code: string;
  section: string;
  text: Localized;
  type: Extract<QuestionType, 'integer' | 'grid'>;
  gridDims?: string[];
  /** grid: the values of each dimension, i.e. the form's rows and columns (cells = their product). */
  cells?: Record<string, string[]>;
  binding?: Binding;
  /** Why no data answers this question (exactly one of binding and judgement). */
  judgement?: Localized;
  /** A metric a person can look at while answering a judgement question. */
  reference?: Binding;
  rules?: QuestionRule[];
}

export interface SurveyTemplate {
  id: string;
  source: { ja: string; en: string; publisher: string; url?: string; edition: string };
  title: Localized;
  description: Localized;
  /** The reference date: 1 May of the school year (学校基本調査) or its end, 31 March (問題行動・不登校調査). */
  asOf: 'may_1' | 'end_of_year';
  deadlineDays: number;
  targets: SurveyTargets;
  sections: { code: string; title: Localized }[];
  questions: TemplateQuestion[];
}

export interface SectionCoverage {
  code: string;
  title: Localized;
  bound: number;
  total: number;
  /** bound / total, 0–1 (1 for a section without cells). */
  ratio: number;
}

export interface TemplateCoverage {
  template: string;
  title: Localized;
  sections: SectionCoverage[];
  overall: { bound: number; total: number; ratio: number };
  judgement: { question: string; section: string; cells: number; reason: Localized }[];
}

export class SurveyTemplateError extends Error {
  constructor(
    readonly template: string,
    readonly problems: string[],
  ) {
    super(`survey template ${template}: ${problems.join('; ')}`);
    this.name = 'SurveyTemplateError';
  }
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function templatesDir(): string {
  return join(projectRoot(), 'survey-templates');
}

/** The templates shipped (file names without .json), sorted. */
export function templateNames(dir = templatesDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** A template by name, or null when none has that name. Structural problems throw SurveyTemplateError. */
export function loadTemplate(name: string, dir = templatesDir()): SurveyTemplate | null {
  if (!NAME.test(name) || !templateNames(dir).includes(name)) return null;
  const template = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as SurveyTemplate;
  const problems = structuralProblems(template);
  if (template.id !== name) problems.unshift(`id "${template.id}" does not match the file name ${name}.json`);
  if (problems.length > 0) throw new SurveyTemplateError(name, problems);
  return template;
}

/** The number of numeric cells of a question: 1, or for a grid the product of its dimensions' values. */
export function cellCount(question: TemplateQuestion): number {
  if (question.type !== 'grid') return 1;
  return (question.gridDims ?? []).reduce((n, dim) => n * (question.cells?.[dim]?.length ?? 0), 1);
}

function structuralProblems(template: SurveyTemplate): string[] {
  const problems: string[] = [];
  const sections = new Set((template.sections ?? []).map((s) => s.code));
  const codes = new Set<string>();
  if (!template.title?.ja || !template.title?.en) problems.push('title needs ja and en');
  if (!['may_1', 'end_of_year'].includes(template.asOf)) problems.push('asOf must be may_1 or end_of_year');
  if (!Number.isInteger(template.deadlineDays) || template.deadlineDays < 1)
    problems.push('deadlineDays must be a positive integer');
  if (!Array.isArray(template.questions) || template.questions.length === 0) return [...problems, 'no questions'];
  for (const q of template.questions) {
    const at = `question ${q.code}`;
    if (codes.has(q.code)) problems.push(`${at}: code used twice`);
    codes.add(q.code);
    if (!sections.has(q.section)) problems.push(`${at}: no section ${q.section}`);
    if (!q.text?.ja || !q.text?.en) problems.push(`${at}: text needs ja and en`);
    if (q.type !== 'integer' && q.type !== 'grid') problems.push(`${at}: type must be integer or grid (numeric cells)`);
    if (!!q.binding === !!q.judgement) problems.push(`${at}: needs exactly one of binding and judgement`);
    if (q.judgement && (!q.judgement.ja || !q.judgement.en))
      problems.push(`${at}: judgement needs a reason in ja and en`);
    if (q.type === 'grid') {
      const dims = q.gridDims ?? [];
      if (dims.length === 0) problems.push(`${at}: a grid needs gridDims`);
      const listed = Object.keys(q.cells ?? {});
      if (listed.length !== dims.length || dims.some((d) => !(q.cells?.[d]?.length ?? 0)))
        problems.push(`${at}: cells must list the values of each of gridDims (${dims.join(', ')})`);
    } else if (q.cells || q.gridDims) problems.push(`${at}: an integer question has no gridDims or cells`);
  }
  return problems;
}

/** Bindings checked against the metric catalogue: the metric exists and has the dimensions used, counts add up. */
export function bindingProblems(template: SurveyTemplate, metrics: MetricDefinition[]): string[] {
  const byId = new Map(metrics.map((m) => [m.id, m]));
  const problems: string[] = [];
  for (const q of template.questions) {
    for (const [kind, binding] of [
      ['binding', q.binding],
      ['reference', q.reference],
    ] as const) {
      if (!binding) continue;
      const metric = byId.get(binding.metric);
      if (!metric) {
        problems.push(`question ${q.code}: ${kind} to unknown metric ${binding.metric}`);
        continue;
      }
      const used = [...Object.keys(binding.filter ?? {}), ...(kind === 'binding' ? (q.gridDims ?? []) : [])];
      for (const dim of used)
        if (!metric.dimensions.includes(dim))
          problems.push(`question ${q.code}: metric ${metric.id} has no dimension ${dim}`);
      if (kind === 'binding' && !ADDITIVE_UNITS.has(metric.unit))
        problems.push(`question ${q.code}: metric ${metric.id} is in ${metric.unit}, which a form cell cannot add up`);
    }
  }
  return problems;
}

/** Bound and total numeric cells per section and overall, and the judgement questions with their reasons. */
export function templateCoverage(template: SurveyTemplate): TemplateCoverage {
  const ratio = (bound: number, total: number) => (total === 0 ? 1 : bound / total);
  const sections = template.sections.map((section) => {
    const questions = template.questions.filter((q) => q.section === section.code);
    const total = questions.reduce((n, q) => n + cellCount(q), 0);
    const bound = questions.filter((q) => q.binding).reduce((n, q) => n + cellCount(q), 0);
    return { code: section.code, title: section.title, bound, total, ratio: ratio(bound, total) };
  });
  const bound = sections.reduce((n, s) => n + s.bound, 0);
  const total = sections.reduce((n, s) => n + s.total, 0);
  return {
    template: template.id,
    title: template.title,
    sections,
    overall: { bound, total, ratio: ratio(bound, total) },
    judgement: template.questions
      .filter((q) => q.judgement)
      .map((q) => ({ question: q.code, section: q.section, cells: cellCount(q), reason: q.judgement! })),
  };
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** The template's description, then each question left to the school with the reason no data answers it. */
function describeJudgement(template: SurveyTemplate): Localized {
  const left = template.questions.filter((q) => q.judgement);
  if (left.length === 0) return template.description;
  const lines = (locale: 'ja' | 'en') =>
    left.map((q) => `- ${q.code} ${q.text[locale]}: ${q.judgement![locale]}`).join('\n');
  return {
    ja: `${template.description.ja}\n\n学校の判断で回答する設問(データにないもの):\n${lines('ja')}`,
    en: `${template.description.en}\n\nQuestions the school answers (no data holds them):\n${lines('en')}`,
  };
}

/**
 * The body of `POST /api/surveys` for a school year: the reference date from the template, the deadline
 * that many days later (or the one given), and each grid's binding kept to the form's cells (a value the
 * form has no cell for, such as sex not recorded, stays out of the pre-filled grid).
 */
export function surveyFromTemplate(
  template: SurveyTemplate,
  options: { academicYear: number; deadline?: string },
): {
  title: Localized;
  description: Localized;
  academicYear: number;
  asOfDate: string;
  deadline: string;
  targets: SurveyTargets;
  questions: {
    code: string;
    text: Localized;
    type: QuestionType;
    gridDims?: string[];
    binding?: Binding;
    rules: QuestionRule[];
    required: boolean;
  }[];
} {
  const { academicYear } = options;
  const asOfDate = template.asOf === 'may_1' ? `${academicYear}-05-01` : `${academicYear + 1}-03-31`;
  const deadline =
    options.deadline ?? isoDate(new Date(Date.parse(`${asOfDate}T00:00:00Z`) + template.deadlineDays * 86_400_000));
  const yearJa = academicYearLabel(academicYear, 'ja');
  return {
    title: { ja: `${yearJa} ${template.title.ja}`, en: `FY${academicYear} ${template.title.en}` },
    description: describeJudgement(template),
    academicYear,
    asOfDate,
    deadline,
    targets: template.targets,
    questions: template.questions.map((q) => ({
      code: q.code,
      text: q.text,
      type: q.type,
      ...(q.type === 'grid' ? { gridDims: q.gridDims } : {}),
      ...(q.binding
        ? {
            binding: {
              metric: q.binding.metric,
              filter: { ...(q.type === 'grid' ? q.cells : {}), ...(q.binding.filter ?? {}) },
            },
          }
        : {}),
      rules: q.rules ?? [],
      // A judgement question is answered by the school; a bound one is confirmed or corrected.
      required: true,
    })),
  };
}

/** Coverage as lines a person reads (the CLI's `survey coverage` without --json). */
export function coverageText(coverage: TemplateCoverage): string {
  const percent = (r: number) => `${(r * 100).toFixed(1)}%`;
  const width = Math.max(...coverage.sections.map((s) => s.title.ja.length), 4);
  return [
    `${coverage.template} — ${coverage.title.ja}`,
    ...coverage.sections.map(
      (s) =>
        `  ${s.title.ja.padEnd(width, '　')}  ${String(s.bound).padStart(4)} / ${String(s.total).padEnd(4)} ${percent(s.ratio).padStart(6)}`,
    ),
    `  ${'全体'.padEnd(width, '　')}  ${String(coverage.overall.bound).padStart(4)} / ${String(coverage.overall.total).padEnd(4)} ${percent(coverage.overall.ratio).padStart(6)}`,
    ...(coverage.judgement.length ? ['  学校の判断が必要な設問:'] : []),
    ...coverage.judgement.map((j) => `    ${j.question} (${j.cells}): ${j.reason.ja}`),
  ].join('\n');
}
