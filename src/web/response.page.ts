import type { AnswerView, ResponseView } from '../surveys/response-view.js';
import { answerValue, figureText, valueInputs } from './answer-value.view.js';
import { academicYearLabel, dateLabel } from '../labels/labels.js';
import { formatDateTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { localPath, renderPage, type PageContext } from './layout.js';
import type { Messages } from './messages.js';
import { field, type FormBody } from './response-forms.js';

export type DoneKey = keyof Messages['done'];
export const DONE_KEYS = [
  'confirm',
  'confirmAll',
  'change',
  'explain',
  'submit',
  'return',
] as const satisfies readonly DoneKey[];

/** Which form a refused post came from: its message goes next to it, and what was typed stays typed. */
export interface FormProblem {
  questionId: string;
  /** `value`: the change form of a pre-filled answer, or the answer form of a manual one. */
  form: 'confirm' | 'value' | 'explain';
  message: string;
  /** For an explanation: which query. */
  rule?: string;
  draft?: FormBody;
  /** The form was stale: the message names the figure as it is now (the draft is kept). */
  stale?: boolean;
}

export interface ResponsePageState {
  /** A notice after a successful post (PRG: it comes back as ?done=). */
  done?: DoneKey;
  /** A stale write: someone or new data changed the answer first. */
  conflict?: boolean;
  /** For a stale confirmation of every figure: the codes of the questions that moved since the page was read. */
  changed?: string[];
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

/** Whether the school has touched this answer itself (changed it, or typed one): then its rule errors show. */
const editedBySchool = (a: AnswerView) => a.source === 'changed' || (a.source === 'manual' && a.value !== null);

/** A pre-filled figure nobody has confirmed yet, still as computed: what データのとおり確認 confirms. */
const awaitingConfirmation = (a: AnswerView) =>
  a.prefilledValue !== null && a.source === 'prefilled' && !a.confirmed && !a.dataChangedSinceConfirmed;

function blockersOf(view: ResponseView) {
  return view.answers.flatMap((a) =>
    a.findings.filter((f) => f.severity === 'error' || !f.explanation).map((f) => ({ answer: a, finding: f })),
  );
}

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));

/**
 * The school's response in one visit: every question with its figure, where it came from (a short line;
 * the metric id and batches under 詳細) and its evidence; one button confirms every figure still as
 * computed, a changed figure asks for one reason, typed questions sit in the same page, and submit ends
 * it. Rule errors wait until the school edits that figure or tries to submit; queries ask for a note
 * beside the figure. Plain HTML forms: it works without JavaScript.
 */
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
  const problemFor = (a: AnswerView, form: FormProblem['form'], rule?: string): FormProblem | undefined =>
    state.problem &&
    state.problem.questionId === a.questionId &&
    state.problem.form === form &&
    (rule === undefined || state.problem.rule === rule)
      ? state.problem.stale
        ? { ...state.problem, message: fill(m.staleAnswer, { value: figureText(a.value, ctx) }) }
        : state.problem
      : undefined;
  const problemLine = (problem: FormProblem | undefined, id: string) =>
    problem ? html`<p class="field-error" role="alert" id="${id}">${problem.message}</p>` : '';
  /** Errors show once the school edited the figure, tried to submit, or just posted a form for it; never on first view. */
  const showErrors = (a: AnswerView) =>
    Boolean(state.cannotSubmit) || editedBySchool(a) || state.problem?.questionId === a.questionId;

  const findings = (a: AnswerView) => {
    const shown = a.findings.filter((f) => f.severity === 'query' || showErrors(a));
    if (shown.length === 0) return '';
    return html`<ul class="findings" aria-label="${m.findingsTitle}">
      ${shown.map((f) => {
        if (f.severity === 'error')
          return html`<li class="error"><span class="badge">${m.errorBadge}</span> ${f.message[locale]}</li>`;
        const id = `exp-${a.code}-${f.rule.replace(/[^a-z0-9_]/gi, '_')}`;
        const problem = problemFor(a, 'explain', f.rule);
        if (f.explanation && !problem)
          return html`<li class="query">
            <span class="badge">${m.queryBadge}</span> ${f.message[locale]}
            <span class="badge confirmed">${m.explained}</span>
            <p>${m.explanation}: ${f.explanation}</p>
          </li>`;
        const typed = problem?.draft ? field(problem.draft, 'text') : '';
        return html`<li class="query">
          <span class="badge">${m.queryBadge}</span> ${f.message[locale]}
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
              : ''
          }
        </li>`;
      })}
    </ul>`;
  };

  const changeForm = (a: AnswerView) => {
    const problem = problemFor(a, 'value');
    const id = `chg-${a.code}`;
    const invalid = problem ? html` aria-invalid="true"` : '';
    return html`<details class="change" ${problem ? html` open` : ''}>
      <summary>${m.change}</summary>
      <form method="post" action="${action(`/answers/${a.questionId}`)}">
        ${version(a.version)} ${problemLine(problem, `${id}-error`)}
        ${valueInputs(a, ctx, id, m.newValue, problem?.draft)}
        <label for="${id}-reason">${m.reason}</label>
        <p class="help" id="${id}-reason-help">${m.reasonHelp}</p>
        <textarea
          id="${id}-reason"
          name="reason"
          rows="2"
          maxlength="2000"
          required
          aria-describedby="${id}-reason-help"
          ${invalid}
        >
${problem?.draft ? field(problem.draft, 'reason') : (a.changeReason ?? '')}</textarea>
        <button type="submit">${m.saveChange}</button>
      </form>
    </details>`;
  };

  /** The one-question confirmations left: the latest figure after new data, or going back to the data's figure. */
  const confirmForm = (a: AnswerView) => {
    const [kind, label] = a.dataChangedSinceConfirmed
      ? ['confirm-new', m.confirmNew]
      : a.source === 'changed'
        ? ['revert', m.revertToData]
        : ['', ''];
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

  const provenance = (a: AnswerView) => {
    const p = a.provenance;
    if (!p) return '';
    const line = fill(m.provenanceLine, {
      metric: metricTitle(p.metric) ?? p.metric,
      year: academicYearLabel(p.academicYear, locale),
      at: formatDateTime(p.computedAt, locale),
    });
    const filter = Object.entries(p.filter ?? {});
    return html`<div class="provenance">
      <p><span class="label">${m.provenance}:</span> ${line}</p>
      <p><a href="${action(`/answers/${a.questionId}/evidence`)}">${m.evidence}</a></p>
      <details>
        <summary>${m.details}<span class="sr-only"> (${a.text[locale]})</span></summary>
        <dl>
          <dt>${m.metricId}</dt>
          <dd><code>${p.metric}</code></dd>
          ${
            filter.length > 0
              ? html`<dt>${m.filter}</dt>
                  <dd>
                    <code>${filter.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`).join(', ')}</code>
                  </dd>`
              : ''
          }
          <dt>${m.batches}</dt>
          <dd>${p.batches.length}</dd>
        </dl>
      </details>
    </div>`;
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
        >${a.confirmed && a.source === 'prefilled' && !a.dataChangedSinceConfirmed ? html`<span class="badge confirmed">${m.confirmedBadge}</span>` : ''}
      </h3>
      ${a.dataChangedSinceConfirmed ? html`<div class="alert warn" role="status"><strong>${m.dataChanged}</strong><br />${m.dataChangedDetail} ${m.newDataFigure}: ${figureText(a.prefilledValue, ctx)}</div>` : ''}
      ${a.value === null && canEdit && !prefilled ? '' : answerValue(a, a.value, ctx)} ${provenance(a)} ${meta(a)}
      ${findings(a)}
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
  const todo = (a: AnswerView, f: (typeof blockers)[number]['finding']) =>
    f.severity === 'query' ? m.todoExplain : a.value === null ? m.todoAnswer : m.todoCheck;
  const roundSection = () => {
    if (view.status === 'submitted')
      return html`<div class="alert ok" role="status">
        ${m.submittedNotice}${view.submittedAt ? html` (${m.submittedAt}: ${formatDateTime(view.submittedAt, locale)})` : ''}
      </div>`;
    if (!canEdit) return '';
    const waiting = view.answers.filter(awaitingConfirmation);
    const blockerList = state.cannotSubmit
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
      : blockers.length > 0
        ? html`<div class="todo" id="blockers">
            <p>${m.todoTitle}</p>
            <ul>
              ${[...new Map(blockers.map((b) => [b.answer.code, b])).values()].map(
                ({ answer, finding }) =>
                  html`<li><a href="#q-${answer.code}">${answer.text[locale]}</a>: ${todo(answer, finding)}</li>`,
              )}
            </ul>
          </div>`
        : html`<p class="help">${m.submitHelp}</p>`;
    return html`<section id="round" aria-labelledby="round-h">
      <h2 id="round-h">${m.roundTitle}</h2>
      ${
        waiting.length > 0
          ? html`<form method="post" action="${action('/confirm-all')}" id="confirm-all">
              ${version(view.version)}${view.answers.map(
                (a) => html`<input type="hidden" name="v.${a.questionId}" value="${a.version}" />`,
              )}
              <p class="help" id="confirm-all-help">${fill(m.confirmAllHelp, { n: waiting.length })}</p>
              <button type="submit" aria-describedby="confirm-all-help">${m.confirmAll}</button>
            </form>`
          : html`<p class="help">${m.allConfirmed}</p>`
      }
      ${blockerList}
      <form method="post" action="${action('/submit')}" id="submit">
        ${version(view.version)}
        <button type="submit">${m.submit}</button>
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

  const changedList = (state.changed ?? [])
    .map((code) => view.answers.find((a) => a.code === code))
    .filter((a): a is AnswerView => a !== undefined);
  const reloadLink = html`<a href="${localPath(`/responses/${view.id}`, locale)}">${m.reload}</a>`;
  const conflict = () => {
    if (!state.conflict) return '';
    if (changedList.length > 0)
      return html`<div class="alert danger" role="alert">
        <p>${m.staleChanged}</p>
        <ul>
          ${changedList.map(
            (a) =>
              html`<li>
                <a href="#q-${a.code}">${a.text[locale]}</a>: ${m.currentValue} ${figureText(a.value, ctx)}
                (${m.sources[a.source]})
              </li>`,
          )}
        </ul>
      </div>`;
    // A stale form of one question says so beside it, with what was typed kept.
    if (state.problem) return '';
    return html`<div class="alert danger" role="alert">${m.conflict} ${reloadLink}</div>`;
  };

  const content = html`<p><a href="${back}">← ${actor?.role === 'board_admin' ? m.surveysNav : m.responsesNav}</a></p>
    <h1>${view.survey.title[locale]}</h1>
    ${state.done ? html`<div class="alert ok" role="status">${m.done[state.done]}</div>` : ''} ${conflict()}
    ${state.submitted ? html`<div class="alert danger" role="alert">${m.alreadySubmitted} ${reloadLink}</div>` : ''}
    ${state.cannotSubmit ? html`<div class="alert danger" role="alert">${m.cannotSubmit}</div>` : ''}
    ${view.status === 'returned' ? html`<div class="alert warn" role="status"><strong>${m.returnedNotice}</strong>${view.returnReason ? html`<br />${m.returnReasonLabel}: ${view.returnReason}` : ''}</div>` : ''}
    <dl>
      <dt>${m.schoolName}</dt>
      <dd>${view.schoolName} (${view.schoolCode})</dd>
      <dt>${m.academicYear}</dt>
      <dd>${academicYearLabel(view.survey.academicYear, locale)}</dd>
      <dt>${m.asOfDate}</dt>
      <dd>${dateLabel(view.survey.asOfDate, locale)}</dd>
      <dt>${m.deadline}</dt>
      <dd>${dateLabel(view.survey.deadline, locale)}</dd>
      <dt>${m.status}</dt>
      <dd>${statusBadge(m, view.status)}</dd>
    </dl>
    ${
      actor?.role === 'school'
        ? canEdit
          ? html`<p class="help"><a href="#round">${m.roundTitle}</a></p>`
          : ''
        : html`<p class="help">${m.readOnlyNotice}</p>`
    }
    ${view.answers.map(question)} ${roundSection()} ${returnForm()}`;
  return renderPage(ctx, `${view.survey.title[locale]} — ${view.schoolName}`, content, { wide: true });
}
