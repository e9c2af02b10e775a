/**
 * The survey builder's forms read into the shapes the surveys service takes. Nothing is checked here
 * beyond reading: a bad value goes on to the service, whose rules (the API's) name the field.
 */
import type { DraftQuestion, DraftSettings } from '../surveys/survey-drafts.service.js';
import type { Binding, QuestionRule, QuestionType, SurveyTargets } from '../surveys/survey.types.js';
import { field, type FormBody } from './response-forms.js';

/** Every value of a repeated field (checkboxes): a list, or past 20 values the object the form parser makes of it. */
export function fieldList(body: FormBody | undefined, name: string): string[] {
  const value = body?.[name];
  if (typeof value === 'string') return [value];
  const items = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
  return items.filter((item): item is string => typeof item === 'string');
}

/** A number as typed (full-width digits, commas); '' is none; anything else is NaN, which the rules refuse. */
export function numberOf(text: string): number | undefined {
  const normalized = text.normalize('NFKC').replace(/[,\s]/g, '');
  return normalized === '' ? undefined : Number(normalized);
}

/**
 * The schools ticked as targets: every school is "all" (schools added later included); the schools the
 * current targets already match keep those targets (a template's school type); any other choice is a list.
 */
export function targetsOf(
  ticked: string[],
  allSchools: string[],
  current: SurveyTargets,
  currentSchools: string[],
): SurveyTargets {
  const chosen = [...new Set(ticked)].sort();
  const same = (codes: string[]) =>
    codes.length === chosen.length && [...codes].sort().every((c, i) => c === chosen[i]);
  if (allSchools.length > 0 && same(allSchools)) return { kind: 'all' };
  if (same(currentSchools)) return current;
  return { kind: 'list', schoolCodes: chosen };
}

export function settingsOf(body: FormBody, targets: (ticked: string[]) => SurveyTargets): DraftSettings {
  return {
    title: { ja: field(body, 'titleJa').trim(), en: field(body, 'titleEn').trim() },
    description: { ja: field(body, 'descriptionJa'), en: field(body, 'descriptionEn') },
    academicYear: numberOf(field(body, 'academicYear')) ?? Number.NaN,
    asOfDate: field(body, 'asOfDate').trim(),
    deadline: field(body, 'deadline').trim(),
    targets: targets(fieldList(body, 'school')),
  };
}

/** The name of the checkboxes of one dimension of the binding's filter. */
export const filterField = (dimension: string) => `filter.${dimension}`;

/**
 * A question's form. The filter boxes were drawn for the metric saved before (`boundMetric`): when another
 * metric is chosen they do not apply to it, and the new binding starts with no filter.
 */
export function questionOf(
  body: FormBody,
  metricDimensions: (metric: string) => string[],
): Omit<DraftQuestion, 'id' | 'rules'> {
  const type = field(body, 'type') as QuestionType;
  const metric = field(body, 'metric');
  let binding: Binding | undefined;
  if (metric) {
    const filter: Record<string, string | string[]> = {};
    if (metric === field(body, 'boundMetric')) {
      for (const dimension of metricDimensions(metric)) {
        const values = fieldList(body, filterField(dimension));
        if (values.length > 0) filter[dimension] = values.length === 1 ? values[0] : values;
      }
    }
    binding = { metric, ...(Object.keys(filter).length > 0 ? { filter } : {}) };
  }
  const choices = field(body, 'choices')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  return {
    code: field(body, 'code').trim(),
    text: { ja: field(body, 'textJa').trim(), en: field(body, 'textEn').trim() },
    type,
    ...(type === 'choice' ? { choices } : {}),
    ...(type === 'grid' ? { gridDims: fieldList(body, 'gridDims') } : {}),
    ...(binding ? { binding } : {}),
    required: field(body, 'required') === 'yes',
  };
}

/** A rule's form: only the inputs its check uses are read (a threshold in %, kept as a share). */
export function ruleOf(body: FormBody): QuestionRule {
  const severity = field(body, 'severity') as QuestionRule['severity'];
  const check = field(body, 'check');
  switch (check) {
    case 'range': {
      const [min, max] = [numberOf(field(body, 'min')), numberOf(field(body, 'max'))];
      return { severity, check, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
    }
    case 'not_more_than':
      return { severity, check, question: field(body, 'question') };
    case 'change_from_prefill':
    case 'change_from_last_year': {
      const percent = numberOf(field(body, 'threshold'));
      return { severity, check, threshold: percent === undefined ? Number.NaN : percent / 100 };
    }
    default:
      // An unknown check goes on as it is: the rules refuse it, naming the field.
      return { severity, check } as unknown as QuestionRule;
  }
}
