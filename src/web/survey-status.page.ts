import { label } from '../labels/labels.js';
import type { SurveyReminder } from '../reminders/survey-reminder.entity.js';
import type { Survey } from '../surveys/entities/survey.entity.js';
import { boardMessagesFor } from './board-messages.js';
import { progressChart } from './progress-chart.js';
import type { Burden, ReturnStatus, SchoolStatus } from '../surveys/survey-reports.service.js';
import { formatAcademicYear, formatDate, formatDateTime, formatNumber } from './format.js';
import { html } from './html.js';
import { localPath, renderPage, type PageContext } from './layout.js';
import type { Messages } from './messages.js';

export interface SurveyStatusData {
  survey: Survey;
  counts: Record<ReturnStatus, number>;
  schools: SchoolStatus[];
  overdue: SchoolStatus[];
  burden: { total: Burden; schools: ({ schoolCode: string } & Burden)[] };
  /** The reminders mailed for this survey (newest first), and whether mail can be sent at all. */
  reminders: { history: SurveyReminder[]; mailConfigured: boolean; daysBefore: number };
}

export interface SurveyStatusState {
  done?: keyof Messages['done'];
  /** The response was not (or no longer) submitted: someone returned it first, or it was never submitted. */
  notSubmitted?: boolean;
  /** A refused return: its message goes next to that school's form. */
  problem?: { responseId: string; message: string };
  /** What the "remind" button just did. */
  reminded?: { sent: number; withoutAddress: number; failed: number };
}

const STATUSES: ReturnStatus[] = ['not_opened', 'in_progress', 'returned', 'overdue', 'submitted'];
const BURDEN: (keyof Burden)[] = ['prefilled', 'changed', 'manual'];

/** The board's status page for one survey: counts, every school's status and burden, the overdue list, results, returns. */
export function renderSurveyStatus(ctx: PageContext, data: SurveyStatusData, state: SurveyStatusState = {}): string {
  const { m, locale } = ctx;
  const b = boardMessagesFor(locale);
  const { survey } = data;
  const nameOf = new Map(data.schools.map((s) => [s.schoolCode, s.schoolName]));
  const lastReminder = new Map<string, SurveyReminder>();
  for (const r of data.reminders.history) if (!lastReminder.has(r.schoolCode)) lastReminder.set(r.schoolCode, r);
  const burdenOf = new Map(data.burden.schools.map((b) => [b.schoolCode, b]));
  const num = (n: number) => formatNumber(n, locale);

  const returnForm = (s: SchoolStatus) => {
    if (s.status !== 'submitted') return '';
    const id = `ret-${s.schoolCode}`;
    const problem = state.problem?.responseId === s.responseId ? state.problem : undefined;
    return html`<details${problem ? html` open` : ''}><summary>${m.returnForCorrection}</summary>
<form method="post" action="${localPath(`/surveys/${survey.id}/responses/${s.responseId}/return`, locale)}">
${problem ? html`<p class="field-error" role="alert" id="${id}-error">${problem.message}</p>` : ''}
<label for="${id}">${m.returnReason}</label><textarea id="${id}" name="reason" rows="2" maxlength="2000" required></textarea>
<button type="submit">${m.returnButton}</button></form></details>`;
  };

  function remindersSection() {
    const { history, mailConfigured, daysBefore } = data.reminders;
    return html`<h2 id="reminders-h">${b.remindersTitle}</h2>
      <p class="help">${b.remindHelp(daysBefore)}</p>
      ${
        mailConfigured
          ? html`<form method="post" action="${localPath(`/surveys/${survey.id}/remind`, locale)}">
              <button type="submit" id="remind">${b.remindButton}</button>
            </form>`
          : html`<p class="alert warn">${b.mailNotConfigured}</p>`
      }
      ${
        history.length === 0
          ? html`<p>${b.noReminders}</p>`
          : html`<table aria-labelledby="reminders-h" id="reminders">
              <thead>
                <tr>
                  <th scope="col">${b.sentAt}</th>
                  <th scope="col">${m.schoolName}</th>
                  <th scope="col">${b.reminderKind}</th>
                  <th scope="col" class="num">${b.recipients}</th>
                </tr>
              </thead>
              <tbody>
                ${history.map(
                  (r) =>
                    html`<tr>
                      <td class="nowrap">${formatDateTime(r.sentAt, locale)}</td>
                      <td>${nameOf.get(r.schoolCode) ?? r.schoolCode}</td>
                      <td>${label('reminderKind', r.kind, locale)}</td>
                      <td class="num">${num(r.recipients)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`;
  }

  const content = html`<p><a href="${localPath('/surveys', locale)}">← ${m.surveysTitle}</a></p>
    <h1>${survey.title[locale]}</h1>
    ${state.done ? html`<div class="alert ok" role="status">${m.done[state.done]}</div>` : ''}
    ${
      state.reminded
        ? html`<div class="alert ok" role="status" id="reminded">
            ${b.reminded(state.reminded.sent, state.reminded.withoutAddress, state.reminded.failed)}
          </div>`
        : ''
    }
    ${state.notSubmitted ? html`<div class="alert danger" role="alert">${m.notSubmitted} <a href="${localPath(`/surveys/${survey.id}`, locale)}">${m.reload}</a></div>` : ''}
    <dl>
      <dt>${m.academicYear}</dt>
      <dd>${formatAcademicYear(survey.academicYear, locale)}</dd>
      <dt>${m.asOfDate}</dt>
      <dd>${formatDate(survey.asOfDate, locale)}</dd>
      <dt>${m.deadline}</dt>
      <dd>${formatDate(survey.deadline, locale)}</dd>
      <dt>${m.status}</dt>
      <dd>${m.surveyStatus[survey.status]}</dd>
    </dl>
    ${survey.status === 'draft' ? html`<p class="alert warn">${m.notIssued}</p>` : ''}
    <table aria-label="${m.status}">
      <thead>
        <tr>
          ${STATUSES.map((s) => html`<th scope="col" class="num">${m.returnStatus[s]}</th>`)}
          <th scope="col" class="num">${m.total}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          ${STATUSES.map((s) => html`<td class="num">${num(data.counts[s])}</td>`)}
          <td class="num">${num(data.schools.length)}</td>
        </tr>
      </tbody>
    </table>

    ${survey.status === 'draft' ? '' : progressChart(data.counts, b.progressTitle, locale)}

    <h2 id="schools-h">${m.schoolsTitle}</h2>
    <p class="help">${m.burdenHelp}</p>
    <table aria-labelledby="schools-h">
      <thead>
        <tr>
          <th scope="col" rowspan="2">${m.schoolName}</th>
          <th scope="col" rowspan="2">${m.status}</th>
          <th scope="col" rowspan="2">${m.submittedAt}</th>
          <th scope="col" rowspan="2">${b.lastReminder}</th>
          <th scope="colgroup" colspan="3">${m.burdenTitle}</th>
          <th scope="col" rowspan="2"><span class="sr-only">${m.viewResponse}</span></th>
        </tr>
        <tr>
          ${BURDEN.map((b) => html`<th scope="col" class="num">${m.burden[b]}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${data.schools.map((s) => {
          const burden = burdenOf.get(s.schoolCode);
          return html`<tr id="school-${s.schoolCode}">
            <th scope="row">${s.schoolName}<br /><small>${s.schoolCode}</small></th>
            <td><span class="badge s-${s.status}">${m.returnStatus[s.status]}</span></td>
            <td class="nowrap">${s.submittedAt ? formatDateTime(s.submittedAt, locale) : '—'}</td>
            <td class="nowrap last-reminder">
              ${lastReminder.has(s.schoolCode) ? formatDateTime(lastReminder.get(s.schoolCode)!.sentAt, locale) : '—'}
            </td>
            ${BURDEN.map((b) => html`<td class="num">${burden ? num(burden[b]) : '—'}</td>`)}
            <td>
              <a href="${localPath(`/responses/${s.responseId}`, locale)}"
                >${m.viewResponse}<span class="sr-only"> (${s.schoolName})</span></a
              >${returnForm(s)}
            </td>
          </tr>`;
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colspan="4">${m.total}</th>
          ${BURDEN.map((b) => html`<td class="num">${num(data.burden.total[b])}</td>`)}
          <td></td>
        </tr>
      </tfoot>
    </table>

    <h2>${m.overdueTitle}</h2>
    ${
      data.overdue.length === 0
        ? html`<p>${m.noOverdue}</p>`
        : html`<ul id="overdue">
            ${data.overdue.map((s) => html`<li>${s.schoolName} (${s.schoolCode})</li>`)}
          </ul>`
    }
    ${survey.status === 'issued' ? remindersSection() : ''}

    <h2>${m.resultsTitle}</h2>
    <ul>
      <li><a href="${localPath(`/surveys/${survey.id}/results`, locale)}" id="results-link">${b.resultsLink}</a></li>
      <li><a href="${localPath(`/surveys/${survey.id}/results.csv`, locale)}" download>${m.resultsCsv}</a></li>
      <li>
        <a href="${localPath(`/surveys/${survey.id}/results.csv`, locale, { codes: '1' })}" download
          >${m.resultsCsvCodes}</a
        >
      </li>
    </ul>`;
  return renderPage(ctx, survey.title[locale], content, { wide: true });
}
