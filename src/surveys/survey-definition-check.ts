import type { EntityManager } from 'typeorm';
/**
 * A survey definition before it is saved: the checks that refuse it (a 400 naming each field) and the
 * warnings that do not (the same figure asked by another survey of the year; a typed question the
 * metric catalogue could answer).
 */
import type { FieldProblem } from '../common/domain-error.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import type { CreateSurveyDto } from './dto/create-survey.dto.js';
import { ADDITIVE_UNITS } from './prefill.js';
import type { SurveysRepository } from './surveys.repository.js';
import { surveyDefinitionInvalid } from './surveys.errors.js';

export interface SurveyWarning {
  kind: 'duplicate_request' | 'bind_suggestion';
  question: string;
  message: { ja: string; en: string };
  otherSurveyId?: string;
  metric?: string;
}

const sameFilter = (a: object | undefined, b: object | undefined) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b ?? {}).sort());

/** Refuses a definition whose questions, rules or bindings do not hold together. */
export function checkSurveyDefinition(input: CreateSurveyDto, metrics: MetricsService): void {
  const fields: FieldProblem[] = [];
  const add = (field: string, message: string) => fields.push({ field, messages: [message] });
  const codes = input.questions.map((q) => q.code);
  if (input.deadline < input.asOfDate) add('deadline', 'the deadline is before the as-of date');
  input.questions.forEach((q, i) => {
    const at = `questions.${i}`;
    if (codes.indexOf(q.code) !== i) add(`${at}.code`, `code ${q.code} is used twice`);
    for (const [r, rule] of (q.rules ?? []).entries()) {
      if (rule.check === 'not_more_than' && !codes.includes(rule.question ?? ''))
        add(`${at}.rules.${r}.question`, `no question with code ${rule.question}`);
    }
    if (!q.binding) return;
    if (!['integer', 'number', 'grid'].includes(q.type))
      return add(`${at}.binding`, `a ${q.type} question cannot be answered from a metric`);
    let metric;
    try {
      metric = metrics.get(q.binding.metric);
    } catch {
      return add(`${at}.binding.metric`, `no metric ${q.binding.metric} in the catalogue`);
    }
    for (const dimension of Object.keys(q.binding.filter ?? {})) {
      if (!metric.dimensions.includes(dimension))
        add(
          `${at}.binding.filter`,
          `metric ${metric.id} has no dimension ${dimension} (it has: ${metric.dimensions.join(', ') || 'none'})`,
        );
    }
    for (const dimension of q.gridDims ?? []) {
      if (!metric.dimensions.includes(dimension))
        add(`${at}.gridDims`, `metric ${metric.id} has no dimension ${dimension}`);
    }
    if (!ADDITIVE_UNITS.has(metric.unit)) {
      const fixed = (d: string) => (q.gridDims ?? []).includes(d) || typeof q.binding?.filter?.[d] === 'string';
      const loose = metric.dimensions.filter((d) => !fixed(d));
      if (loose.length > 0)
        add(
          `${at}.binding.filter`,
          `${metric.id} is in ${metric.unit}, which do not add up: fix ${loose.join(', ')} to one value each`,
        );
    }
  });
  if (fields.length > 0) throw surveyDefinitionInvalid(fields);
}

/** The seed's 重複する依頼: the same figure asked in another survey of the year; and typed questions the catalogue could answer. */
export async function surveyWarnings(
  input: CreateSurveyDto,
  repository: SurveysRepository,
  metrics: MetricsService,
  manager?: EntityManager,
): Promise<SurveyWarning[]> {
  const warnings: SurveyWarning[] = [];
  const others = await repository.boundQuestionsOfYear(input.academicYear, manager);
  for (const q of input.questions) {
    if (q.binding) {
      for (const other of others) {
        if (
          other.question.binding?.metric === q.binding.metric &&
          sameFilter(other.question.binding.filter, q.binding.filter)
        ) {
          warnings.push({
            kind: 'duplicate_request',
            question: q.code,
            otherSurveyId: other.survey.id,
            metric: q.binding.metric,
            message: {
              ja: `設問 ${q.code} は同じ年度の調査「${other.survey.title.ja}」の設問 ${other.question.code} と同じ数値を求めています(重複する依頼)。`,
              en: `question ${q.code} asks for the same figure as question ${other.question.code} of "${other.survey.title.en}" in the same year (a duplicate request)`,
            },
          });
        }
      }
      continue;
    }
    const text = `${q.text.ja} ${q.text.en}`.toLowerCase();
    const match = metrics
      .list()
      .find((m) => text.includes(m.title.ja.toLowerCase()) || text.includes(m.title.en.toLowerCase()));
    if (match) {
      warnings.push({
        kind: 'bind_suggestion',
        question: q.code,
        metric: match.id,
        message: {
          ja: `設問 ${q.code} は指標「${match.title.ja}」(${match.id})で学校のデータから回答できます。指標に結び付けると学校の入力が不要になります。`,
          en: `question ${q.code} could be answered from data by the metric "${match.title.en}" (${match.id}); bind it and schools need not type it`,
        },
      });
    }
  }
  return warnings;
}
