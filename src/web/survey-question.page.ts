import { dimensionCodes, dimensionLabel, dimensionOrder, dimensionValueLabel } from '../labels/labels.js';
import type { MetricDefinition } from '../metrics/metric-catalogue.js';
import type { Survey, SurveyQuestion } from '../surveys/entities/survey.entity.js';
import type { BindingPreview } from '../surveys/survey-drafts.service.js';
import { QUESTION_TYPES, RULE_CHECKS, type GridCell, type QuestionRule } from '../surveys/survey.types.js';
import { formatNumber } from './format.js';
import { html, type SafeHtml } from './html.js';
import { localPath, renderPage, type PageContext } from './layout.js';
import { field } from './response-forms.js';
import { doneNotice, fieldError, inputField, problemBox, type BuilderState } from './survey-builder.page.js';
import { surveyBuilderMessages } from './survey-builder-messages.js';
import { fieldList, filterField } from './survey-question-form.js';

export interface QuestionPageData {
  survey: Survey;
  question: SurveyQuestion;
  questions: SurveyQuestion[];
  metrics: MetricDefinition[];
  /** Categories a grid may have: the catalogue's dimensions and the question's own. */
  dimensions: string[];
  preview: BindingPreview | null;
  previewSchools: { schoolCode: string; name: string }[];
}

const checked = (on: boolean) => (on ? html`checked` : '');
const selected = (on: boolean) => (on ? html`selected` : '');
/** A share shown as a percentage without float noise (0.07 → 7). */
const percent = (share: number) => String(Math.round(share * 1e6) / 1e4);

/** One question of a draft: text, kind, grid, binding (the metric's definition, a school's figure), checks. */
export function renderQuestion(ctx: PageContext, data: QuestionPageData, state: BuilderState = {}): string {
  const { locale } = ctx;
  const w = surveyBuilderMessages(locale);
  const { survey, question } = data;
  const title = w.questionTitle(question.code);
  const position = data.questions.findIndex((q) => q.id === question.id);
  const problems = state.problems;
  const content = html`<h1>${title}</h1>
    <p><a href="${localPath(`/surveys/${survey.id}/edit`, locale)}">${w.backToDraft}</a></p>
    ${doneNotice(ctx, state.done)} ${problemBox(ctx, state.problems)}
    ${questionForm(ctx, data, `questions.${position}.`, state.form === 'question' ? state : { problems })}
    ${previewSection(ctx, data)} ${rulesSection(ctx, data, `questions.${position}.rules.`, state)}`;
  return renderPage(ctx, title, content, { wide: true });
}

function questionForm(ctx: PageContext, data: QuestionPageData, at: string, state: BuilderState): SafeHtml {
  const { locale } = ctx;
  const w = surveyBuilderMessages(locale);
  const { survey, question } = data;
  const typed = state.draft;
  const err = (id: string, path: string) => fieldError(state.problems, id, (f) => f === at + path);
  const text = (id: string, name: string, label: string, saved: string, path: string, extra: SafeHtml) =>
    inputField({
      id,
      name,
      label,
      extra,
      value: typed ? field(typed, name) : saved,
      problems: state.problems,
      field: (f) => f === at + path,
    });
  const type = typed ? field(typed, 'type') : question.type;
  const gridDims = new Set(typed ? fieldList(typed, 'gridDims') : (question.gridDims ?? []));
  const metric = data.metrics.find((m) => m.id === question.binding?.metric);
  const [typeErr, choicesErr, gridErr, metricErr, filterErr] = [
    err('q-type', 'type'),
    err('q-choices', 'choices'),
    err('q-grid', 'gridDims'),
    fieldError(state.problems, 'q-metric', (f) => f === `${at}binding` || f === `${at}binding.metric`),
    err('q-filter', 'binding.filter'),
  ];
  return html`<h2 id="question-h">${w.questionFormTitle}</h2>
    <form
      method="post"
      action="${localPath(`/surveys/${survey.id}/questions/${question.id}`, locale)}"
      aria-labelledby="question-h"
    >
      ${text('q-code', 'code', w.questionCode, question.code, 'code', html`required maxlength="32"`)}
      <p class="help">${w.questionCodeHelp}</p>
      ${text('q-text-ja', 'textJa', w.questionTextJa, question.text.ja, 'text.ja', html`required maxlength="500"`)}
      ${text('q-text-en', 'textEn', w.questionTextEn, question.text.en, 'text.en', html`required maxlength="500"`)}
      <label for="q-type">${w.questionType}</label>
      <select id="q-type" name="type" ${typeErr.describedBy}>
        ${QUESTION_TYPES.map((t) => html`<option value="${t}" ${selected(t === type)}>${w.types[t]}</option>`)}
      </select>
      ${typeErr.note}
      <div>
        <input
          type="checkbox"
          id="q-required"
          name="required"
          value="yes"
          ${checked(typed ? field(typed, 'required') === 'yes' : question.required)}
        />
        <label class="inline" for="q-required">${w.required}</label>
      </div>
      <label for="q-choices">${w.choices}</label>
      <textarea
        id="q-choices"
        name="choices"
        rows="3"
        aria-describedby="q-choices-help ${choicesErr.note ? 'q-choices-error' : ''}"
      >
${typed ? field(typed, 'choices') : (question.choices ?? []).join('\n')}</textarea>
      <p class="help" id="q-choices-help">${w.choicesHelp}</p>
      ${choicesErr.note}
      <fieldset id="q-grid" ${gridErr.describedBy}>
        <legend>${w.gridDims}</legend>
        <p class="help">${w.gridDimsHelp}</p>
        ${gridErr.note}
        <ul class="legend">
          ${data.dimensions.map(
            (d) =>
              html`<li>
                <input type="checkbox" id="q-grid-${d}" name="gridDims" value="${d}" ${checked(gridDims.has(d))} />
                <label class="inline" for="q-grid-${d}">${dimensionLabel(d, locale)}</label>
              </li>`,
          )}
        </ul>
      </fieldset>
      <label for="q-metric">${w.binding}</label>
      <select id="q-metric" name="metric" aria-describedby="q-metric-help" ${metricErr.invalid}>
        <option value="">${w.notBound}</option>
        ${data.metrics.map(
          (m) =>
            html`<option value="${m.id}" ${selected(m.id === question.binding?.metric)}>${m.title[locale]}</option>`,
        )}
      </select>
      <p class="help" id="q-metric-help">${w.metricHelp}</p>
      ${metricErr.note}
      <input type="hidden" name="boundMetric" value="${question.binding?.metric ?? ''}" />
      ${metric ? definition(ctx, metric) : ''} ${metric ? filterBoxes(ctx, question, metric, filterErr) : ''}
      <div><button type="submit" id="save-question">${w.saveQuestion}</button></div>
    </form>`;
}

function definition(ctx: PageContext, metric: MetricDefinition): SafeHtml {
  const w = surveyBuilderMessages(ctx.locale);
  return html`<dl id="metric-definition">
    <dt>${w.definition}</dt>
    <dd>${metric.description[ctx.locale]}</dd>
    <dt>${w.unit}</dt>
    <dd>${w.units[metric.unit] ?? metric.unit}</dd>
    <dt>${w.answers}</dt>
    <dd>${metric.answers}</dd>
  </dl>`;
}

function filterBoxes(
  ctx: PageContext,
  question: SurveyQuestion,
  metric: MetricDefinition,
  e: ReturnType<typeof fieldError>,
): SafeHtml | '' {
  if (metric.dimensions.length === 0) return '';
  const { locale } = ctx;
  const w = surveyBuilderMessages(locale);
  const filter = question.binding?.filter ?? {};
  const wanted = (d: string) => {
    const value = filter[d];
    return new Set(value === undefined ? [] : Array.isArray(value) ? value : [value]);
  };
  return html`<fieldset id="q-filter" ${e.describedBy}>
    <legend>${w.filterTitle}</legend>
    <p class="help">${w.filterHelp}</p>
    ${e.note}
    ${metric.dimensions.map((d) => {
      const on = wanted(d);
      const codes = [...new Set([...dimensionCodes(d), ...on])];
      return html`<fieldset>
        <legend>${dimensionLabel(d, locale)}</legend>
        <ul class="legend">
          ${codes.map(
            (code) =>
              html`<li>
                <input
                  type="checkbox"
                  id="q-f-${d}-${code}"
                  name="${filterField(d)}"
                  value="${code}"
                  ${checked(on.has(code))}
                />
                <label class="inline" for="q-f-${d}-${code}">${dimensionValueLabel(d, code, locale)}</label>
              </li>`,
          )}
        </ul>
      </fieldset>`;
    })}
  </fieldset>`;
}

function previewSection(ctx: PageContext, data: QuestionPageData): SafeHtml | '' {
  if (!data.question.binding) return '';
  const { locale } = ctx;
  const w = surveyBuilderMessages(locale);
  const { preview } = data;
  const form = html`<form method="get" action="/surveys/${data.survey.id}/questions/${data.question.id}" class="inline">
    <input type="hidden" name="lang" value="${locale}" />
    <label for="preview-school">${w.previewSchool}</label>
    <select id="preview-school" name="school">
      ${data.previewSchools.map(
        (s) =>
          html`<option value="${s.schoolCode}" ${selected(s.schoolCode === preview?.schoolCode)}>${s.name}</option>`,
      )}
    </select>
    <button type="submit" class="secondary">${w.previewButton}</button>
  </form>`;
  return html`<h2 id="preview-h">${w.previewTitle}</h2>
    <section id="preview" aria-labelledby="preview-h">
      ${
        preview
          ? html`<p class="help">${w.previewHelp(preview.schoolName)}</p>
              ${previewValue(ctx, preview, data.question.gridDims ?? [])} ${form}`
          : html`<p>${w.previewNone}</p>`
      }
    </section>`;
}

function previewValue(ctx: PageContext, preview: BindingPreview, gridDims: string[]): SafeHtml {
  const { locale } = ctx;
  const w = surveyBuilderMessages(locale);
  if (!Array.isArray(preview.value))
    return html`<p class="value" id="preview-value">
      ${typeof preview.value === 'number' ? formatNumber(preview.value, locale) : preview.value}
    </p>`;
  const cells = [...preview.value].sort((a: GridCell, b: GridCell) => {
    for (const d of gridDims) {
      const c = dimensionOrder(d)(a.dims[d] ?? '', b.dims[d] ?? '');
      if (c !== 0) return c;
    }
    return 0;
  });
  const total = cells.reduce((sum, c) => sum + c.value, 0);
  return html`<table id="preview-value">
    <thead>
      <tr>
        ${gridDims.map((d) => html`<th scope="col">${dimensionLabel(d, locale)}</th>`)}
        <th scope="col" class="num">${w.cellValue}</th>
      </tr>
    </thead>
    <tbody>
      ${cells.map(
        (c) =>
          html`<tr>
            ${gridDims.map((d) => html`<td>${dimensionValueLabel(d, c.dims[d] ?? '', locale)}</td>`)}
            <td class="num">${formatNumber(c.value, locale)}</td>
          </tr>`,
      )}
    </tbody>
    <tfoot>
      <tr>
        <th scope="row" colspan="${Math.max(gridDims.length, 1)}">${w.total}</th>
        <td class="num" id="preview-total">${formatNumber(total, locale)}</td>
      </tr>
    </tfoot>
  </table>`;
}

function rulesSection(ctx: PageContext, data: QuestionPageData, at: string, state: BuilderState): SafeHtml {
  const { locale } = ctx;
  const w = surveyBuilderMessages(locale);
  const { survey, question } = data;
  const base = `/surveys/${survey.id}/questions/${question.id}/rules`;
  const rules = question.rules;
  return html`<h2 id="rules-h">${w.rulesTitle}</h2>
    <p class="help">${w.rulesHelp}</p>
    ${rules.length === 0 ? html`<p>${w.noRules}</p>` : ''}
    ${rules.map(
      (rule, r) =>
        html`<section class="question" id="rule-${r}" aria-labelledby="rule-${r}-h">
          <h3 id="rule-${r}-h">${w.ruleTitle(r + 1)}</h3>
          ${ruleForm(ctx, data, `r${r}`, localPath(`${base}/${r}`, locale), rule, `${at}${r}.`, state, w.saveRule)}
          <form method="post" action="${localPath(`${base}/${r}/delete`, locale)}">
            <button type="submit" class="secondary" id="r${r}-delete">
              ${w.deleteRule}<span class="sr-only"> (${w.ruleTitle(r + 1)})</span>
            </button>
          </form>
        </section>`,
    )}
    <section class="question" id="rule-new" aria-labelledby="rule-new-h">
      <h3 id="rule-new-h">${w.addRuleTitle}</h3>
      ${ruleForm(ctx, data, 'rn', localPath(base, locale), null, `${at}${rules.length}.`, state, w.addRule)}
    </section>`;
}

function ruleForm(
  ctx: PageContext,
  data: QuestionPageData,
  id: string,
  action: string,
  rule: QuestionRule | null,
  at: string,
  state: BuilderState,
  button: string,
): SafeHtml {
  const w = surveyBuilderMessages(ctx.locale);
  const mine = state.form === id;
  const typed = mine ? state.draft : undefined;
  const problems = mine ? state.problems : undefined;
  const value = (name: string, saved: string) => (typed ? field(typed, name) : saved);
  const severity = value('severity', rule?.severity ?? 'error');
  const check = value('check', rule?.check ?? 'range');
  const saved = (key: 'min' | 'max') => (rule?.check === 'range' && rule[key] !== undefined ? String(rule[key]) : '');
  const threshold = rule && 'threshold' in rule ? percent(rule.threshold) : '';
  const other = value('question', rule?.check === 'not_more_than' ? rule.question : '');
  const number = (name: 'min' | 'max' | 'threshold', label: string, savedValue: string) =>
    inputField({
      id: `${id}-${name}`,
      name,
      label,
      value: value(name, savedValue),
      problems,
      field: (f) => f === at + name,
      extra: html`inputmode="decimal"`,
    });
  const questionErr = fieldError(problems, `${id}-question`, (f) => f === `${at}question`);
  const choiceErr = fieldError(problems, `${id}-check`, (f) => f === `${at}check` || f === `${at}severity`);
  return html`<form method="post" action="${action}">
    <label for="${id}-severity">${w.severity}</label>
    <select id="${id}-severity" name="severity">
      ${(['error', 'query'] as const).map(
        (s) => html`<option value="${s}" ${selected(s === severity)}>${w.severities[s]}</option>`,
      )}
    </select>
    <label for="${id}-check">${w.check}</label>
    <select id="${id}-check" name="check" ${choiceErr.describedBy}>
      ${RULE_CHECKS.map((c) => html`<option value="${c}" ${selected(c === check)}>${w.checks[c]}</option>`)}
    </select>
    ${choiceErr.note} ${number('min', w.min, saved('min'))} ${number('max', w.max, saved('max'))}
    <label for="${id}-question">${w.otherQuestion}</label>
    <select id="${id}-question" name="question" ${questionErr.describedBy} ${questionErr.invalid}>
      <option value="">${w.none}</option>
      ${data.questions
        .filter((q) => q.id !== data.question.id)
        .map((q) => html`<option value="${q.code}" ${selected(q.code === other)}>${q.text[ctx.locale]}</option>`)}
    </select>
    ${questionErr.note} ${number('threshold', w.threshold, threshold)}
    <div><button type="submit" id="${id}-save">${button}</button></div>
  </form>`;
}
