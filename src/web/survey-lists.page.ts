import type { ReturnStatus } from '../surveys/survey-reports.service.js';
import type { Survey } from '../surveys/entities/survey.entity.js';
import { formatAcademicYear, formatDate } from './format.js';
import { html, type SafeHtml } from './html.js';
import type { Page } from '../common/page.js';
import { localPath, renderPage, type PageContext } from './layout.js';
import { renderPager } from './pager.js';

export interface SchoolSurveyRow {
  responseId: string;
  survey: Survey;
  status: ReturnStatus;
}

const STATUSES: ReturnStatus[] = ['not_opened', 'in_progress', 'returned', 'overdue', 'submitted'];

/** A school's surveys: status, deadline, and a link to answer each. */
export function renderMyResponses(ctx: PageContext, page: Page<SchoolSurveyRow>): string {
  const { m, locale } = ctx;
  const rows = page.items;
  const content = html`<h1>${m.myResponsesTitle}</h1>
    ${
      rows.length === 0
        ? html`<p>${m.noResponses}</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">${m.surveyTitle}</th>
                <th scope="col">${m.academicYear}</th>
                <th scope="col">${m.deadline}</th>
                <th scope="col">${m.status}</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (r) =>
                  html`<tr>
                    <th scope="row">
                      <a href="${localPath(`/responses/${r.responseId}`, locale)}">${r.survey.title[locale]}</a>
                    </th>
                    <td>${formatAcademicYear(r.survey.academicYear, locale)}</td>
                    <td class="nowrap">${formatDate(r.survey.deadline, locale)}</td>
                    <td><span class="badge s-${r.status}">${m.returnStatus[r.status]}</span></td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${renderPager(ctx, page)}`;
  return renderPage(ctx, m.myResponsesTitle, content, { wide: true });
}

export interface BoardSurveyRow {
  survey: Survey;
  /** Null for a draft: it has no responses yet. */
  counts: Record<ReturnStatus, number> | null;
}

/** The board's surveys, newest first, with how many schools are at each status; then the forms that make one. */
export function renderSurveyList(ctx: PageContext, page: Page<BoardSurveyRow>, create: SafeHtml | '' = ''): string {
  const { m, locale } = ctx;
  const rows = page.items;
  const content = html`<h1>${m.surveysTitle}</h1>
    ${
      rows.length === 0
        ? html`<p>${m.noSurveys}</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">${m.surveyTitle}</th>
                <th scope="col">${m.academicYear}</th>
                <th scope="col">${m.deadline}</th>
                ${STATUSES.map((s) => html`<th scope="col" class="num">${m.returnStatus[s]}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (r) =>
                  html`<tr>
                    <th scope="row">
                      <a
                        href="${localPath(
                          r.survey.status === 'draft' ? `/surveys/${r.survey.id}/edit` : `/surveys/${r.survey.id}`,
                          locale,
                        )}"
                        >${r.survey.title[locale]}</a
                      >${r.counts ? '' : html` <span class="badge">${m.surveyStatus[r.survey.status]}</span>`}
                    </th>
                    <td>${formatAcademicYear(r.survey.academicYear, locale)}</td>
                    <td class="nowrap">${formatDate(r.survey.deadline, locale)}</td>
                    ${STATUSES.map((s) => html`<td class="num">${r.counts ? r.counts[s] : '—'}</td>`)}
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${renderPager(ctx, page)} ${create}`;
  return renderPage(ctx, m.surveysTitle, content, { wide: true });
}
