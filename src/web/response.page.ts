import type { AnswerView, ResponseView } from '../surveys/response-view.js';
import { answerValue, figureText, valueInputs } from './answer-value.view.js';
import { formatDate, formatDateTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { localPath, renderPage, type PageContext } from './layout.js';
import type { Messages } from './messages.js';
import { field, type FormBody } from './response-forms.js';

export type DoneKey = keyof Messages['done'];
export const DONE_KEYS = ['confirm', 'change', 'explain', 'submit', 'return'] as const satisfies readonly DoneKey[];

/** Which form a refused post came from: its message goes next to it, and what was typed stays typed. */
export interface FormProblem {
  questionId: string;
  /** `value`: the change form of a pre-filled answer, or the answer form of a manual one. */
  form: 'confirm' | 'value' | 'explain';
  message: string;
  /** For an explanation: which query. */
  rule?: string;
  draft?: FormBody;
}

export interface ResponsePageState {
  /** A notice after a successful post (PRG: it comes back as ?done=). */
  done?: DoneKey;
  /** A stale write: someone or new data changed the answer first. */
  conflict?: boolean;
  /** A write to a response submitted in the meantime (another tab, another person). */
  submitted?: boolean;
  /** Submission refused: the blockers are listed. */
  cannotSubmit?: boolean;
  problem?: FormProblem;
}

/** A metric's title in the page language, when the catalogue knows it. */
export type MetricTitle = (metricId: string) => string | undefined;

const EDITABLE = new Set<ResponseView['status']>(['not_opened', 'in_progress', 'returned']);

const statusBadge = (m: Messages, status: ResponseView['status']) =>
  html`<span class="badge s-${status}">${m.returnStatus[status]}</span>`;

function blockersOf(view: ResponseView) {
  return view.answers.flatMap((a) =>
    a.findings.filter((f) => f.severity === 'error' || !f.explanation).map((f) => ({ answer: a, finding: f })),
  );
}

export function renderResponsePage(
  ctx: PageContext,
  view: ResponseView,
  metricTitle: MetricTitle,
  state: ResponsePageState = {},
): string {
  const { m, locale, actor } = ctx;
  const canEdit = actor?.role === 'school' && EDITABLE.has(view.status);
  const back =
    actor?.role === 'board_admin' ? localPath(`/surveys/${view.survey.id}`, locale) : localPath('/responses', locale);
  const action = (suffix: string) => localPath(`/responses/${view.id}${suffix}`, locale);
  const version = (n: number) => html`<input type="hidden" name="version" value="${n}" />`;
  const problemFor = (a: AnswerView, form: FormProblem['form'], rule?: string) =>
    state.problem &&
    state.problem.questionId === a.questionId &&
    state.problem.form === form &&
    (rule === undefined || state.problem.rule === rule)
      ? state.problem
      : undefined;
  const problemLine = (problem: FormProblem | undefined, id: string) =>
    problem ? html`<p class="field-error" role="alert" id="${id}">${problem.message}</p>` : '';

  const findings = (a: AnswerView) => {
    if (a.findings.length === 0) return '';
    return html`<ul class="findings" aria-label="${m.findingsTitle}">
      ${a.findings.map((f) => {
        if (f.severity === 'error')
          return html`<li class="error"><span class="badge">${m.errorBadge}</span> ${f.message[locale]}</li>`;
        const id = `exp-${a.code}-${f.rule.replace(/[^a-z0-9_]/gi, '_')}`;
        const problem = problemFor(a, 'explain', f.rule);
        const typed = problem?.draft ? field(problem.draft, 'text') : (f.explanation ?? '');
        return html`<li class="query">
          <span class="badge">${m.queryBadge}</span>
          ${f.message[locale]}${f.explanation ? html` <span class="badge confirmed">${m.explained}</span>` : ''}
          ${
            canEdit
              ? html`<form method="post" action="${action(`/answers/${a.questionId}/explanations`)}">
                  ${version(a.version)}<input type="hidden" name="rule" value="${f.rule}" />
                  <label for="${id}">${m.explanation}</label>${problemLine(problem, `${id}-error`)}
                  <textarea
                    id="${id}"
                    name="text"
                    rows="2"
                    maxlength="2000"
                    required${problem ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}
                  >
${typed}</textarea>
                  <button type="submit">${m.explain}</button>
                </form>`
              : f.explanation
                ? html`<p>${m.explanation}: ${f.explanation}</p>`
                : ''
          }
        </li>`;
      })}
    </ul>`;
  };

  const changeForm = (a: AnswerView) => {
    const problem = problemFor(a, 'value');
    const id = `chg-${a.code}`;
    return html`<details${problem ? html` open` : ''}><summary>${m.change}</summary>
<form method="post" action="${action(`/answers/${a.questionId}`)}">${version(a.version)}
${problemLine(problem, `${id}-error`)}
${valueInputs(a, ctx, id, m.newValue, problem?.draft)}
<label for="${id}-reason">${m.reason}</label>
<p class="help" id="${id}-reason-help">${m.reasonHelp}</p>
<textarea id="${id}-reason" name="reason" rows="2" maxlength="2000" required aria-describedby="${id}-reason-help">${problem?.draft ? field(problem.draft, 'reason') : ''}</textarea>
<button type="submit">${m.saveChange}</button>
</form></details>`;
  };

  const confirmForm = (a: AnswerView) => {
    const [kind, label] = a.dataChangedSinceConfirmed
      ? ['confirm-new', m.confirmNew]
      : a.source === 'changed'
        ? ['revert', m.revertToData]
        : a.confirmed
          ? ['', '']
          : ['confirm', m.confirm];
    if (!label) return '';
    return html`<form
      method="post"
      action="${action(`/answers/${a.questionId}/confirm`)}"
      class="inline"
      data-action="${kind}"
    >
      ${version(a.version)}${problemLine(problemFor(a, 'confirm'), `cf-${a.code}-error`)}<button
        type="submit"
        aria-describedby="h-${a.code}"
      >
        ${label}
      </button>
    </form>`;
  };

  const answerForm = (a: AnswerView) => {
    const problem = problemFor(a, 'value');
    const id = `ans-${a.code}`;
    return html`<form method="post" action="${action(`/answers/${a.questionId}`)}">
      ${version(a.version)} ${problemLine(problem, `${id}-error`)}
      ${valueInputs(a, ctx, id, m.answerLabel, problem?.draft)} <button type="submit">${m.save}</button>
    </form>`;
  };

  const meta = (a: AnswerView) => {
    const rows: SafeHtml[] = [];
    if (a.prefilledValue !== null && a.source === 'changed')
      rows.push(
        html`<dt>${m.dataFigure}</dt>
          <dd>${figureText(a.prefilledValue, ctx)}</dd>`,
      );
    if (a.changeReason)
      rows.push(
        html`<dt>${m.changeReason}</dt>
          <dd>${a.changeReason}</dd>`,
      );
    if (a.provenance) {
      const title = metricTitle(a.provenance.metric);
      rows.push(
        html`<dt>${m.provenance}</dt>
          <dd>
            <dl>
              <dt>${m.metric}</dt>
              <dd><code>${a.provenance.metric}</code>${title ? ` (${title})` : ''}</dd>
              <dt>${m.batches}</dt>
              <dd>${a.provenance.batches.length}</dd>
              <dt>${m.computedAt}</dt>
              <dd>${formatDateTime(a.provenance.computedAt, locale)}</dd>
            </dl>
          </dd>`,
      );
    }
    if (a.lastYearValue !== null)
      rows.push(
        html`<dt>${m.lastYear}</dt>
          <dd>${figureText(a.lastYearValue, ctx)}</dd>`,
      );
    return rows.length > 0 ? html`<dl>${rows}</dl>` : '';
  };

  const question = (a: AnswerView) => {
    const prefilled = a.prefilledValue !== null;
    return html`<section class="question" id="q-${a.code}" aria-labelledby="h-${a.code}">
      <h3 id="h-${a.code}">
        ${a.text[locale]}
        <span class="badge ${a.source}">${m.sources[a.source]}</span
        >${a.confirmed && a.source === 'prefilled' ? html`<span class="badge confirmed">${m.confirmedBadge}</span>` : ''}
      </h3>
      ${a.dataChangedSinceConfirmed ? html`<div class="alert warn" role="status"><strong>${m.dataChanged}</strong><br />${m.dataChangedDetail} ${m.newDataFigure}: ${figureText(a.prefilledValue, ctx)}</div>` : ''}
      ${a.value === null && canEdit && !prefilled ? '' : answerValue(a, a.value, ctx)} ${meta(a)} ${findings(a)}
      ${
        canEdit
          ? prefilled
            ? html`<div class="actions">${confirmForm(a)}</div>
                ${changeForm(a)}`
            : answerForm(a)
          : ''
      }
    </section>`;
  };

  const blockers = blockersOf(view);
  const submitSection = () => {
    if (view.status === 'submitted')
      return html`<div class="alert ok" role="status">
        ${m.submittedNotice}${view.submittedAt ? html` (${m.submittedAt}: ${formatDateTime(view.submittedAt, locale)})` : ''}
      </div>`;
    if (!canEdit) return '';
    return html`<section id="submit" aria-labelledby="submit-h">
      <h2 id="submit-h">${m.submitTitle}</h2>
      ${
        blockers.length > 0
          ? html`<div class="alert danger" id="blockers">
              <p><strong>${m.blockersTitle}</strong></p>
              <ul>
                ${blockers.map(
                  ({ answer, finding }) =>
                    html`<li>
                      <a href="#q-${answer.code}">${answer.text[locale]}</a>:
                      ${finding.severity === 'query' ? html`${m.blockerQuery} — ` : ''}${finding.message[locale]}
                    </li>`,
                )}
              </ul>
            </div>`
          : html`<p class="help">${m.submitHelp}</p>`
      }
      <form method="post" action="${action('/submit')}">
        ${version(view.version)}
        <button type="submit" ${view.canSubmit ? '' : html` disabled aria-describedby="blockers"`}>${m.submit}</button>
      </form>
    </section>`;
  };

  const returnForm = () =>
    actor?.role === 'board_admin' && view.status === 'submitted'
      ? html`<section aria-labelledby="return-h">
          <h2 id="return-h">${m.returnForCorrection}</h2>
          <form method="post" action="${localPath(`/surveys/${view.survey.id}/responses/${view.id}/return`, locale)}">
            <label for="return-reason">${m.returnReason}</label
            ><textarea id="return-reason" name="reason" rows="2" maxlength="2000" required></textarea>
            <button type="submit">${m.returnButton}</button>
          </form>
        </section>`
      : '';

  const content = html`<p><a href="${back}">← ${actor?.role === 'board_admin' ? m.surveysNav : m.responsesNav}</a></p>
    <h1>${view.survey.title[locale]}</h1>
    ${state.done ? html`<div class="alert ok" role="status">${m.done[state.done]}</div>` : ''}
    ${state.conflict ? html`<div class="alert danger" role="alert">${m.conflict} <a href="${localPath(`/responses/${view.id}`, locale)}">${m.reload}</a></div>` : ''}
    ${state.submitted ? html`<div class="alert danger" role="alert">${m.alreadySubmitted} <a href="${localPath(`/responses/${view.id}`, locale)}">${m.reload}</a></div>` : ''}
    ${state.cannotSubmit ? html`<div class="alert danger" role="alert">${m.cannotSubmit}</div>` : ''}
    ${view.status === 'returned' ? html`<div class="alert warn" role="status"><strong>${m.returnedNotice}</strong>${view.returnReason ? html`<br />${m.returnReasonLabel}: ${view.returnReason}` : ''}</div>` : ''}
    <dl>
      <dt>${m.schoolName}</dt>
      <dd>${view.schoolName} (${view.schoolCode})</dd>
      <dt>${m.academicYear}</dt>
      <dd>${view.survey.academicYear}</dd>
      <dt>${m.asOfDate}</dt>
      <dd>${formatDate(view.survey.asOfDate, locale)}</dd>
      <dt>${m.deadline}</dt>
      <dd>${formatDate(view.survey.deadline, locale)}</dd>
      <dt>${m.status}</dt>
      <dd>${statusBadge(m, view.status)}</dd>
    </dl>
    ${actor?.role === 'school' ? '' : html`<p class="help">${m.readOnlyNotice}</p>`} ${view.answers.map(question)}
    ${submitSection()} ${returnForm()}`;
  return renderPage(ctx, `${view.survey.title[locale]} — ${view.schoolName}`, content, { wide: true });
}
