import type { Locale } from '../config/config.js';
import { label } from '../labels/labels.js';
import { localPath, renderPage, type PageContext } from '../web/layout.js';
import { html, type SafeHtml } from '../web/html.js';
import type { CaseDetailView } from './cases.service.js';
import { CASE_AGENCIES, CASE_RESPONSIBLE, CASE_STATUSES } from './cases.repository.js';
import { watchMessages } from './watch.messages.js';
import type { IdentifiedWatchList, WatchStudent, WatchSummaryView } from './watch.types.js';

type Identity = IdentifiedWatchList['students'][number]['identity'];

/** The weekly absence trend as a small bar chart, drawn on the server (SVG, no script, no inline style). */
export function trendChart(weeks: { week: string; absences: number }[], locale: Locale): SafeHtml {
  const m = watchMessages(locale);
  const total = weeks.reduce((sum, w) => sum + w.absences, 0);
  const width = 6 * weeks.length;
  const bars = weeks.map((w, k) => {
    const h = Math.min(5, w.absences) * 4;
    return html`<rect x="${k * 6}" y="${20 - h}" width="5" height="${h}" fill="#8a1c1c"></rect>`;
  });
  return html`<svg
    role="img"
    width="${width}"
    height="21"
    viewBox="0 0 ${width} 21"
    aria-label="${m.trendLabel(weeks.length, total)}"
  >
    <title>${m.trendLabel(weeks.length, total)}</title>
    <line x1="0" y1="20.5" x2="${width}" y2="20.5" stroke="#555"></line>
    ${bars}
  </svg>`;
}

function studentRows(
  ctx: PageContext,
  students: (WatchStudent & { identity?: Identity; caseId?: string | null })[],
  options: { identified: boolean; mayOpen: boolean; academicYear: number | null },
): SafeHtml {
  const { locale } = ctx;
  const m = watchMessages(locale);
  return html`${students.map(
    (s) =>
      html`<tr>
        ${
          options.identified
            ? html`<td>${s.identity?.localId ?? '—'}</td>
                <td>${s.identity?.shussekiNo ?? '—'}</td>`
            : html`<td><code>${s.student.slice(0, 12)}</code></td>`
        }
        <td>${s.grade ? label('grade', s.grade, locale) : '—'}</td>
        <td>${s.identity?.homeroomTitle ?? s.homeroom ?? '—'}</td>
        <td>${s.urgency}</td>
        <td>${s.absentDays}</td>
        <td>${s.lateOrEarly}</td>
        <td>
          <ul class="plain">
            ${s.indicators.map((i) => html`<li>${i.title[locale]}${i.since ? html`(${i.since}〜)` : ''}</li>`)}
          </ul>
        </td>
        <td>${trendChart(s.weeklyAbsences, locale)}</td>
        <td>${s.reasons.map((r) => `${label('absenceReason', r.reason, locale)} ${r.days}`).join('、') || '—'}</td>
        ${
          options.mayOpen
            ? html`<td>
                ${
                  s.caseId
                    ? html`<a href="${localPath(`/watch/cases/${s.caseId}`, locale)}">${m.viewCase}</a>`
                    : html`<form method="post" action="${localPath('/watch/cases', locale)}">
                        <input type="hidden" name="schoolCode" value="${s.schoolCode}" />
                        <input type="hidden" name="student" value="${s.student}" />
                        <input type="hidden" name="academicYear" value="${String(options.academicYear ?? '')}" />
                        <input type="hidden" name="openedFrom" value="${s.indicators.map((i) => i.id).join(',')}" />
                        <button type="submit">${m.openCase}</button>
                      </form>`
                }
              </td>`
            : ''
        }
      </tr>`,
  )}`;
}

/**
 * The school's roster files, sent with the list's as-of date, re-identify its flagged students on the answering
 * page only (roster-identities.ts): the list page's and the class dashboard's form.
 */
export function identifySection(locale: Locale, schoolCode: string, asOf: string | null): SafeHtml {
  const m = watchMessages(locale);
  return html`<section aria-labelledby="identify-heading">
    <h2 id="identify-heading">${m.identifyTitle}</h2>
    <p>${m.identifyHelp}</p>
    <form
      method="post"
      enctype="multipart/form-data"
      action="${localPath(`/watch/schools/${schoolCode}/identify`, locale)}"
    >
      <input type="hidden" name="asOf" value="${asOf ?? ''}" />
      <label for="roster-files">${m.rosterFiles}</label>
      <input id="roster-files" name="files" type="file" multiple accept=".csv,text/csv" />
      <button type="submit">${m.identify}</button>
    </form>
  </section>`;
}

export function renderWatchListPage(
  ctx: PageContext,
  view: {
    schoolCode: string;
    asOf: string | null;
    refreshedAt: string | null;
    students: (WatchStudent & { identity?: Identity; caseId?: string | null })[];
    identified: boolean;
    unmatched?: number;
    mayOpen: boolean;
    mayIdentify: boolean;
  },
): string {
  const { locale } = ctx;
  const m = watchMessages(locale);
  const academicYear = view.asOf ? Number(view.asOf.slice(0, 4)) - (Number(view.asOf.slice(5, 7)) < 4 ? 1 : 0) : null;
  const path = `/watch/schools/${view.schoolCode}`;
  const content = html`<h1>${m.title}(${view.schoolCode})</h1>
    <form method="get" action="${path}">
      <input type="hidden" name="lang" value="${locale}" />
      <label for="asOf">${m.asOf}</label>
      <input id="asOf" name="asOf" type="date" value="${view.asOf ?? ''}" />
      <button type="submit">${m.show}</button>
    </form>
    <p>${m.asOf}: ${view.asOf ?? '—'}${view.refreshedAt ? html` / ${m.refreshed}: ${view.refreshedAt}` : ''}</p>
    ${view.asOf === null ? html`<p>${m.neverRefreshed}</p>` : ''}
    ${view.unmatched ? html`<p>${m.unmatched(view.unmatched)}</p>` : ''}
    ${
      view.students.length === 0
        ? html`<p>${m.none}</p>`
        : html`<table id="watch-list">
            <caption>
              ${m.title}
            </caption>
            <thead>
              <tr>
                ${
                  view.identified
                    ? html`<th scope="col">${m.localId}</th>
                        <th scope="col">${m.shussekiNo}</th>`
                    : html`<th scope="col">${m.student}</th>`
                }
                <th scope="col">${m.grade}</th>
                <th scope="col">${m.homeroom}</th>
                <th scope="col">${m.urgency}</th>
                <th scope="col">${m.absentDays}</th>
                <th scope="col">${m.lateOrEarly}</th>
                <th scope="col">${m.indicators}</th>
                <th scope="col">${m.trend}</th>
                <th scope="col">${m.reasons}</th>
                ${view.mayOpen ? html`<th scope="col">${m.caseColumn}</th>` : ''}
              </tr>
            </thead>
            <tbody>
              ${studentRows(ctx, view.students, { identified: view.identified, mayOpen: view.mayOpen, academicYear })}
            </tbody>
          </table>`
    }
    ${view.mayIdentify ? identifySection(locale, view.schoolCode, view.asOf) : ''}`;
  return renderPage(ctx, m.title, content, { wide: true });
}

function options(
  codes: readonly string[],
  vocabulary: 'caseStatus' | 'caseResponsible' | 'caseAgency',
  selected: string | null,
  locale: Locale,
  unset?: string,
) {
  return html`${unset !== undefined ? html`<option value="" ${selected === null ? 'selected' : ''}>${unset}</option>` : ''}${codes.map(
    (code) =>
      html`<option value="${code}" ${code === selected ? 'selected' : ''}>${label(vocabulary, code, locale)}</option>`,
  )}`;
}

export function renderCasePage(
  ctx: PageContext,
  kase: CaseDetailView,
  titles: Map<string, { ja: string; en: string }>,
): string {
  const { locale } = ctx;
  const m = watchMessages(locale);
  const action = (suffix = '') => localPath(`/watch/cases/${kase.id}${suffix}`, locale);
  const closed = kase.status === 'closed';
  const content = html`<h1>${m.caseTitle}</h1>
    <p><a href="${localPath(`/watch/schools/${kase.schoolCode}`, locale)}">${m.back}</a></p>
    <dl>
      <dt>${m.student}</dt>
      <dd><code>${kase.student.slice(0, 12)}</code></dd>
      <dt>${m.status}</dt>
      <dd id="case-status">${label('caseStatus', kase.status, locale)}</dd>
      <dt>${m.responsible}</dt>
      <dd id="case-responsible">${kase.responsible ? label('caseResponsible', kase.responsible, locale) : m.unset}</dd>
      <dt>${m.nextReview}</dt>
      <dd id="case-review">${kase.nextReviewOn ?? m.unset}</dd>
      <dt>${m.openedFrom}</dt>
      <dd>${kase.openedFrom.map((id) => titles.get(id)?.[locale] ?? id).join('、') || '—'}</dd>
    </dl>
    ${
      closed
        ? ''
        : html`<form id="case-form" method="post" action="${action()}">
            <label for="status">${m.status}</label>
            <select id="status" name="status">
              ${options(CASE_STATUSES, 'caseStatus', kase.status, locale)}
            </select>
            <label for="responsible">${m.responsible}</label>
            <select id="responsible" name="responsible">
              ${options(CASE_RESPONSIBLE, 'caseResponsible', kase.responsible, locale, m.unset)}
            </select>
            <label for="nextReviewOn">${m.nextReview}</label>
            <input id="nextReviewOn" name="nextReviewOn" type="date" value="${kase.nextReviewOn ?? ''}" />
            <button type="submit">${m.save}</button>
          </form>`
    }
    <h2>${m.referrals}</h2>
    <ul id="case-referrals">
      ${kase.referrals.map((r) => html`<li>${label('caseAgency', r.agency, locale)}(${r.referredOn})</li>`)}
    </ul>
    ${
      closed
        ? ''
        : html`<form id="refer-form" method="post" action="${action('/referrals')}">
            <label for="agency">${m.agency}</label>
            <select id="agency" name="agency">
              ${options(CASE_AGENCIES, 'caseAgency', null, locale)}
            </select>
            <label for="referredOn">${m.referredOn}</label>
            <input id="referredOn" name="referredOn" type="date" required />
            <button type="submit">${m.refer}</button>
          </form>`
    }
    <h2>${m.notes}</h2>
    <ul id="case-notes">
      ${kase.notes.map((n) => html`<li>${n.createdAt.slice(0, 10)} ${n.author ?? ''}: ${n.body}</li>`)}
    </ul>
    <form id="note-form" method="post" action="${action('/notes')}">
      <label for="note">${m.note}</label>
      <textarea id="note" name="body" rows="3" maxlength="2000" required></textarea>
      <button type="submit">${m.addNote}</button>
    </form>`;
  return renderPage(ctx, m.caseTitle, content);
}

export function renderBoardPage(
  ctx: PageContext,
  summary: WatchSummaryView,
  cases: { schoolCode: string; byStatus: Record<string, number>; byReferral: Record<string, number> }[],
): string {
  const { locale } = ctx;
  const m = watchMessages(locale);
  const show = (value: number | null) => (value === null ? m.redacted : String(value));
  const caseOf = new Map(cases.map((c) => [c.schoolCode, c]));
  const content = html`<h1>${m.boardTitle}</h1>
    <p>${summary.exact ? m.exactNote : m.controlledNote}</p>
    <table id="watch-summary">
      <caption>
        ${m.summaryTitle}
      </caption>
      <thead>
        <tr>
          <th scope="col">${m.school}</th>
          <th scope="col">${m.enrolled}</th>
          <th scope="col">${m.flagged}</th>
          ${summary.exact ? html`<th scope="col">${m.schoolList}</th>` : ''}
        </tr>
      </thead>
      <tbody>
        ${summary.schools.map(
          (s) =>
            html`<tr>
              <th scope="row">${s.schoolCode}</th>
              <td>${show(s.students)}</td>
              <td>${show(s.flagged)}</td>
              ${
                summary.exact
                  ? html`<td><a href="${localPath(`/watch/schools/${s.schoolCode}`, locale)}">${m.schoolList}</a></td>`
                  : ''
              }
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      summary.exact
        ? html`<table id="case-counts">
            <caption>
              ${m.casesTitle}
            </caption>
            <thead>
              <tr>
                <th scope="col">${m.school}</th>
                ${CASE_STATUSES.map((s) => html`<th scope="col">${label('caseStatus', s, locale)}</th>`)}
                ${CASE_AGENCIES.map((a) => html`<th scope="col">${label('caseAgency', a, locale)}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${[...caseOf.values()].map(
                (c) =>
                  html`<tr>
                    <th scope="row">${c.schoolCode}</th>
                    ${CASE_STATUSES.map((s) => html`<td>${c.byStatus[s] ?? 0}</td>`)}
                    ${CASE_AGENCIES.map((a) => html`<td>${c.byReferral[a] ?? 0}</td>`)}
                  </tr>`,
              )}
            </tbody>
          </table>`
        : ''
    }`;
  return renderPage(ctx, m.boardTitle, content, { wide: true });
}
