import type { Survey, SurveyQuestion } from '../surveys/entities/survey.entity.js';
import type { SurveyWarning } from '../surveys/survey-definition-check.js';
import { formatAcademicYear } from './format.js';
import { html, type SafeHtml } from './html.js';
import { localPath, renderPage, type PageContext } from './layout.js';
import { field, type FormBody } from './response-forms.js';
import { surveyBuilderMessages, type BuilderDone } from './survey-builder-messages.js';
import type { PageProblem } from './survey-definition-problems.js';
import { fieldList } from './survey-question-form.js';

export interface TemplateChoice {
  name: string;
  title: { ja: string; en: string };
  overall: { bound: number; total: number };
}

/** What a refused form showed: its problems, and what was typed, to fill the form in again. */
export interface BuilderState {
  done?: BuilderDone;
  problems?: PageProblem[];
  /** Which form was refused, and what it was sent with. */
  form?: string;
  draft?: FormBody;
}

/** The refusals, all at the top (each field also shows its own beside it). */
export function problemBox(ctx: PageContext, problems: PageProblem[] | undefined): SafeHtml | '' {
  if (!problems || problems.length === 0) return '';
  const w = surveyBuilderMessages(ctx.locale);
  return html`<div class="alert danger" role="alert" id="form-problem">
    <p>${w.problemTitle}</p>
    <ul>
      ${problems.map((p) => html`<li>${p.text}</li>`)}
    </ul>
  </div>`;
}

/** A field's own refusal, beside it (`id` + `-error`, which the input names in aria-describedby). */
export function fieldError(problems: PageProblem[] | undefined, id: string, match: (field: string) => boolean) {
  const found = (problems ?? []).filter((p) => match(p.field));
  if (found.length === 0) return { note: '' as const, describedBy: '' as const, invalid: '' as const };
  return {
    note: html`<p class="field-error" id="${id}-error">${found.map((p) => p.text).join(' ')}</p>`,
    describedBy: html` aria-describedby="${id}-error"`,
    invalid: html` aria-invalid="true"`,
  };
}

/** A labelled one-line input, its refusal beside it (`extra`: its other attributes). */
export function inputField(o: {
  id: string;
  name: string;
  label: string;
  value: string;
  problems: PageProblem[] | undefined;
  field: (name: string) => boolean;
  type?: string;
  extra?: SafeHtml;
}): SafeHtml {
  const e = fieldError(o.problems, o.id, o.field);
  return html`<label for="${o.id}">${o.label}</label>
    <input
      type="${o.type ?? 'text'}"
      id="${o.id}"
      name="${o.name}"
      value="${o.value}"
      ${o.extra ?? ''}
      ${e.describedBy}
      ${e.invalid}
    />
    ${e.note}`;
}

export function doneNotice(ctx: PageContext, done: BuilderDone | undefined): SafeHtml | '' {
  return done ? html`<p class="alert ok" role="status">${surveyBuilderMessages(ctx.locale).done[done]}</p>` : '';
}

/** The two ways to make a survey, under the board's list of surveys: a template, or a copy of an earlier one. */
export function renderCreateForms(
  ctx: PageContext,
  data: { templates: TemplateChoice[]; copySources: Survey[]; defaultYear: number },
): SafeHtml {
  const { locale } = ctx;
  const w = surveyBuilderMessages(locale);
  return html`<h2 id="create-h">${w.createTitle}</h2>
    <h3 id="template-h">${w.fromTemplateTitle}</h3>
    <p class="help">${w.fromTemplateHelp}</p>
    <form method="post" action="${localPath('/surveys/from-template', locale)}" aria-labelledby="template-h">
      <label for="new-template">${w.template}</label>
      <select id="new-template" name="template" required>
        ${data.templates.map(
          (t) =>
            html`<option value="${t.name}">
              ${t.title[locale]} — ${w.coverage(t.overall.bound, t.overall.total)}
            </option>`,
        )}
      </select>
      <label for="new-year">${w.academicYear}</label>
      <input
        type="number"
        id="new-year"
        name="academicYear"
        value="${data.defaultYear}"
        min="2000"
        max="2100"
        required
      />
      <div><button type="submit" id="create-from-template">${w.createButton}</button></div>
    </form>
    <h3 id="copy-h">${w.copyTitle}</h3>
    <p class="help">${w.copyHelp}</p>
    ${
      data.copySources.length === 0
        ? html`<p>${w.noCopySource}</p>`
        : html`<form method="post" action="${localPath('/surveys/copy', locale)}" aria-labelledby="copy-h">
            <label for="copy-source">${w.copySource}</label>
            <select id="copy-source" name="source" required>
              ${data.copySources.map(
                (s) =>
                  html`<option value="${s.id}">
                    ${s.title[locale]} (${formatAcademicYear(s.academicYear, locale)})
                  </option>`,
              )}
            </select>
            <div><button type="submit" id="copy-survey">${w.copyButton}</button></div>
          </form>`
    }`;
}

export interface DraftPageData {
  survey: Survey;
  questions: SurveyQuestion[];
  schools: { schoolCode: string; name: string }[];
  /** The schools the draft's targets match now (ticked). */
  targetCodes: string[];
  metricTitle: (metric: string) => string;
}

/** A draft: its settings and schools, its questions (each edited on its own page), and the button that issues it. */
export function renderDraft(ctx: PageContext, data: DraftPageData, state: BuilderState = {}): string {
  const { locale } = ctx;
  const w = surveyBuilderMessages(locale);
  const { survey, questions } = data;
  const title = w.draftTitle(survey.title[locale]);
  const refused = (form: string) => (state.form === form ? state : {});
  const content = html`<h1>${title}</h1>
    <p class="help">${w.draftHelp}</p>
    ${doneNotice(ctx, state.done)} ${problemBox(ctx, state.problems)} ${warningsBox(ctx, survey)}
    ${settingsForm(ctx, data, refused('settings'))}
    <h2 id="questions-h">${w.questionsTitle}</h2>
    <table id="questions" aria-labelledby="questions-h">
      <thead>
        <tr>
          <th scope="col">${w.questionCode}</th>
          <th scope="col">${w.questionText}</th>
          <th scope="col">${w.questionType}</th>
          <th scope="col">${w.binding}</th>
          <th scope="col">${w.rulesTitle}</th>
          <th scope="col"><span class="sr-only">${w.editQuestion}</span></th>
        </tr>
      </thead>
      <tbody>
        ${questions.map(
          (q) =>
            html`<tr id="question-${q.code}">
              <td>${q.code}</td>
              <th scope="row">${q.text[locale]}</th>
              <td>${w.types[q.type]}</td>
              <td>${q.binding ? data.metricTitle(q.binding.metric) : w.notBound}</td>
              <td class="num">${q.rules.length}</td>
              <td class="actions">
                <a href="${localPath(`/surveys/${survey.id}/questions/${q.id}`, locale)}"
                  >${w.editQuestion}<span class="sr-only"> (${q.text[locale]})</span></a
                >
                <form
                  class="inline"
                  method="post"
                  action="${localPath(`/surveys/${survey.id}/questions/${q.id}/delete`, locale)}"
                >
                  <button type="submit" class="secondary">
                    ${w.deleteQuestion}<span class="sr-only"> (${q.text[locale]})</span>
                  </button>
                </form>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${addQuestionForm(ctx, survey, questions.length, refused('add'))}
    <h2 id="issue-h">${w.issueTitle}</h2>
    <p class="help">${w.issueHelp(data.targetCodes.length)}</p>
    <form method="post" action="${localPath(`/surveys/${survey.id}/issue`, locale)}" aria-labelledby="issue-h">
      <button type="submit" id="issue">${w.issueButton}</button>
    </form>`;
  return renderPage(ctx, title, content, { wide: true });
}

function warningsBox(ctx: PageContext, survey: Survey): SafeHtml | '' {
  const warnings = survey.warnings as SurveyWarning[];
  if (warnings.length === 0) return '';
  return html`<div class="alert warn" id="warnings">
    <p>${surveyBuilderMessages(ctx.locale).warningsTitle}</p>
    <ul>
      ${warnings.map((x) => html`<li>${x.message[ctx.locale]}</li>`)}
    </ul>
  </div>`;
}

function settingsForm(ctx: PageContext, data: DraftPageData, state: BuilderState): SafeHtml {
  const { locale } = ctx;
  const w = surveyBuilderMessages(locale);
  const { survey } = data;
  const typed = state.draft;
  const value = (name: string, saved: string) => (typed ? field(typed, name) : saved);
  const ticked = new Set(typed ? fieldList(typed, 'school') : data.targetCodes);
  const input = (id: string, name: string, label: string, type: string, saved: string, path: string, extra: SafeHtml) =>
    inputField({
      id,
      name,
      label,
      type,
      extra,
      value: value(name, saved),
      problems: state.problems,
      field: (f) => f === path,
    });
  const text = (id: string, name: string, label: string, saved: string, path: string) => {
    const e = fieldError(state.problems, id, (f) => f === path);
    return html`<label for="${id}">${label}</label>
      <textarea id="${id}" name="${name}" rows="3" maxlength="5000" ${e.describedBy}>${value(name, saved)}</textarea>
      ${e.note}`;
  };
  const targets = fieldError(state.problems, 's-targets', (f) => f.startsWith('targets'));
  const year = String(survey.academicYear);
  return html`<h2 id="settings-h">${w.settingsTitle}</h2>
    <form method="post" action="${localPath(`/surveys/${survey.id}/settings`, locale)}" aria-labelledby="settings-h">
      ${input('s-title-ja', 'titleJa', w.titleJa, 'text', survey.title.ja, 'title.ja', html`required maxlength="500"`)}
      ${input('s-title-en', 'titleEn', w.titleEn, 'text', survey.title.en, 'title.en', html`required maxlength="500"`)}
      ${text('s-desc-ja', 'descriptionJa', w.descriptionJa, survey.description.ja, 'description.ja')}
      ${text('s-desc-en', 'descriptionEn', w.descriptionEn, survey.description.en, 'description.en')}
      ${input('s-year', 'academicYear', w.academicYear, 'number', year, 'academicYear', html`required`)}
      ${input('s-as-of', 'asOfDate', w.asOfDate, 'date', survey.asOfDate, 'asOfDate', html`required`)}
      ${input('s-deadline', 'deadline', w.deadline, 'date', survey.deadline, 'deadline', html`required`)}
      <fieldset id="s-targets" ${targets.describedBy}>
        <legend>${w.targetsTitle}</legend>
        <p class="help">${w.targetsHelp}</p>
        ${targets.note}
        <ul class="legend">
          ${data.schools.map(
            (s) =>
              html`<li>
                <input
                  type="checkbox"
                  id="s-school-${s.schoolCode}"
                  name="school"
                  value="${s.schoolCode}"
                  ${ticked.has(s.schoolCode) ? html`checked` : ''}
                />
                <label class="inline" for="s-school-${s.schoolCode}">${s.name}</label>
              </li>`,
          )}
        </ul>
      </fieldset>
      <div><button type="submit" id="save-settings">${w.saveSettings}</button></div>
    </form>`;
}

function addQuestionForm(ctx: PageContext, survey: Survey, position: number, state: BuilderState): SafeHtml {
  const { locale } = ctx;
  const w = surveyBuilderMessages(locale);
  const at = `questions.${position}.`;
  const typed = state.draft ?? {};
  const input = (id: string, name: string, label: string, path: string, extra = html`required`) =>
    inputField({
      id,
      name,
      label,
      extra,
      value: field(typed, name),
      problems: state.problems,
      field: (f) => f === at + path,
    });
  return html`<h3 id="add-h">${w.addQuestionTitle}</h3>
    <p class="help">${w.addQuestionHelp}</p>
    <form method="post" action="${localPath(`/surveys/${survey.id}/questions`, locale)}" aria-labelledby="add-h">
      ${input('n-code', 'code', w.questionCode, 'code', html`required maxlength="32"`)}
      <p class="help">${w.questionCodeHelp}</p>
      ${input('n-text-ja', 'textJa', w.questionTextJa, 'text.ja')}
      ${input('n-text-en', 'textEn', w.questionTextEn, 'text.en')}
      <label for="n-type">${w.questionType}</label>
      <select id="n-type" name="type">
        ${(['integer', 'number', 'text'] as const).map(
          (t) => html`<option value="${t}" ${field(typed, 'type') === t ? html`selected` : ''}>${w.types[t]}</option>`,
        )}
      </select>
      <div><button type="submit" id="add-question">${w.addQuestionButton}</button></div>
    </form>`;
}
