import type { Locale } from '../config/config.js';
import { label } from '../labels/labels.js';
import { formatAcademicYear, formatNumber } from '../web/format.js';
import { html, SafeHtml } from '../web/html.js';
import { localPath, renderPage, type PageContext } from '../web/layout.js';
import { CASE_STATUSES } from '../watch/cases.repository.js';
import { identifySection, trendChart } from '../watch/watch.pages.js';
import { watchMessages } from '../watch/watch.messages.js';
import { chartPoints } from './dashboard-chart.js';
import { dashboardMessages } from './dashboards.messages.js';
import { CHART_CAPTION_ID, DEFAULT_MIN_DAYS } from './dashboards.service.js';
import type { AttendancePeriod, DashboardView } from './dashboards.types.js';

const percent = (rate: number | null, locale: Locale) =>
  rate === null ? '—' : `${formatNumber(Math.round(rate * 1000) / 10, locale)}%`;

function queryForm(ctx: PageContext, view: DashboardView, path: string, homeroom: string | null): SafeHtml {
  const m = dashboardMessages(ctx.locale);
  return html`<form method="get" action="${path}" class="inline-form">
    <input type="hidden" name="lang" value="${ctx.locale}" />
    ${homeroom ? html`<input type="hidden" name="homeroom" value="${homeroom}" />` : ''}
    <label for="asOf">${m.asOf}</label>
    <input id="asOf" name="asOf" type="date" value="${view.current?.asOf ?? ''}" />
    <label for="minDays">${m.minDays}</label>
    <input
      id="minDays"
      name="minDays"
      type="number"
      min="1"
      max="250"
      value="${String(view.current?.minDays ?? DEFAULT_MIN_DAYS)}"
    />
    <button type="submit">${m.show}</button>
  </form>`;
}

function attendanceTable(ctx: PageContext, view: DashboardView, period: AttendancePeriod): SafeHtml {
  const { locale } = ctx;
  const m = dashboardMessages(locale);
  const classLink = (homeroomId: string | null) =>
    homeroomId && view.scope === 'school'
      ? html`<td>
          <a
            href="${localPath(`/dashboard/schools/${view.schoolCode}/classes`, locale, {
              homeroom: homeroomId,
              asOf: period.asOf,
            })}"
            >${m.classPage}</a
          >
        </td>`
      : view.scope === 'school'
        ? html`<td>—</td>`
        : '';
  return html`<table id="attendance-by-class">
    <caption>
      ${m.attendanceTitle(formatAcademicYear(period.academicYear, locale), period.asOf)}
    </caption>
    <thead>
      <tr>
        <th scope="col">${m.homeroom}</th>
        <th scope="col">${m.grade}</th>
        <th scope="col">${m.students}</th>
        <th scope="col">${m.schoolDays}</th>
        <th scope="col">${m.absentDays}</th>
        <th scope="col">${m.rate}</th>
        <th scope="col">${m.studentsOver(period.minDays)}</th>
        ${view.scope === 'school' ? html`<th scope="col">${m.classPage}</th>` : ''}
      </tr>
    </thead>
    <tbody>
      ${period.homerooms.map(
        (row) =>
          html`<tr data-homeroom="${row.homeroomId ?? ''}">
            <th scope="row">${row.title ?? m.noHomeroom}</th>
            <td>${row.grade ? label('grade', row.grade, locale) : '—'}</td>
            <td>${formatNumber(row.students, locale)}</td>
            <td>${formatNumber(row.schoolDays, locale)}</td>
            <td>${formatNumber(row.absentDays, locale)}</td>
            <td>${percent(row.rate, locale)}</td>
            <td>${formatNumber(row.studentsOver, locale)}</td>
            ${classLink(row.homeroomId)}
          </tr>`,
      )}
    </tbody>
    <tfoot>
      <tr id="attendance-total">
        <th scope="row">${m.total}</th>
        <td></td>
        <td>${formatNumber(period.total.students, locale)}</td>
        <td>${formatNumber(period.total.schoolDays, locale)}</td>
        <td>${formatNumber(period.total.absentDays, locale)}</td>
        <td>${percent(period.total.rate, locale)}</td>
        <td>${formatNumber(period.total.studentsOver, locale)}</td>
        ${view.scope === 'school' ? html`<td></td>` : ''}
      </tr>
    </tfoot>
  </table>`;
}

function comparison(ctx: PageContext, view: DashboardView, current: AttendancePeriod): SafeHtml {
  const { locale } = ctx;
  const m = dashboardMessages(locale);
  const previous = view.previous;
  const years = [current, ...(previous ? [previous] : [])];
  const rows: [string, (p: AttendancePeriod) => string][] = [
    [m.students, (p) => formatNumber(p.total.students, locale)],
    [m.schoolDays, (p) => formatNumber(p.total.schoolDays, locale)],
    [m.absentDays, (p) => formatNumber(p.total.absentDays, locale)],
    [m.rate, (p) => percent(p.total.rate, locale)],
    [m.studentsOver(current.minDays), (p) => formatNumber(p.total.studentsOver, locale)],
  ];
  const points = chartPoints(current, previous, locale);
  const months = [...new Set(points.map((point) => point.month))];
  const series = [...new Set(points.map((point) => point.series))];
  return html`<section aria-labelledby="compare-heading">
    <h2 id="compare-heading">${m.compareTitle}</h2>
    <p>${view.scope === 'class' ? m.compareNoteClass : previous ? m.compareNote(previous.asOf) : ''}</p>
    <table id="year-comparison">
      <thead>
        <tr>
          <th scope="col">${m.figure}</th>
          ${years.map(
            (p, k) => html`<th scope="col">${k === 0 ? m.thisYear(p.academicYear) : m.lastYear(p.academicYear)}</th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          ([name, value]) =>
            html`<tr>
              <th scope="row">${name}</th>
              ${years.map((p) => html`<td>${value(p)}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
    <figure class="dashboard-chart">
      <figcaption id="${CHART_CAPTION_ID}">${m.chartCaption}</figcaption>
      ${view.chart ? new SafeHtml(view.chart) : '' /* vega's SVG of our own spec and rows; vega escapes its texts */}
    </figure>
    <table id="year-chart-data">
      <caption>
        ${m.chartCaption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${m.month}</th>
          ${series.map((name) => html`<th scope="col">${name}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${months.map(
          (month) =>
            html`<tr>
              <th scope="row">${m.monthLabel(month)}</th>
              ${series.map((name) => {
                const point = points.find((p) => p.month === month && p.series === name);
                return html`<td>${point ? formatNumber(point.perStudent, locale) : '—'}</td>`;
              })}
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

function watchSection(ctx: PageContext, view: DashboardView): SafeHtml {
  const { locale } = ctx;
  const m = dashboardMessages(locale);
  const w = watchMessages(locale);
  const listPath = localPath(`/watch/schools/${view.schoolCode}`, locale);
  return html`<section aria-labelledby="watch-heading">
    <h2 id="watch-heading">${m.watchTitle}</h2>
    <p id="flagged-count">${m.flagged(view.watch.flagged, view.watch.asOf)}</p>
    <p><a href="${listPath}">${m.watchList}</a></p>
    ${
      view.scope === 'class' && view.watch.students.length > 0
        ? html`<table id="flagged-students">
              <thead>
                <tr>
                  <th scope="col">${w.student}</th>
                  <th scope="col">${w.homeroom}</th>
                  <th scope="col">${w.absentDays}</th>
                  <th scope="col">${w.indicators}</th>
                  <th scope="col">${w.trend}</th>
                </tr>
              </thead>
              <tbody>
                ${view.watch.students.map(
                  (s) =>
                    html`<tr>
                      <td><code>${s.student.slice(0, 12)}</code></td>
                      <td>${s.homeroom ?? '—'}</td>
                      <td>${s.absentDays}</td>
                      <td>${s.indicators.map((i) => i.title[locale]).join('、')}</td>
                      <td>${trendChart(s.weeklyAbsences, locale)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            ${identifySection(locale, view.schoolCode, view.watch.asOf)}`
        : ''
    }
  </section>`;
}

function casesSection(ctx: PageContext, view: DashboardView): SafeHtml {
  const { locale } = ctx;
  const m = dashboardMessages(locale);
  return html`<section aria-labelledby="cases-heading">
    <h2 id="cases-heading">${m.casesTitle}</h2>
    <table id="case-status-counts">
      <caption>
        ${m.byStatus}
      </caption>
      <thead>
        <tr>
          <th scope="col">${m.status}</th>
          <th scope="col">${m.count}</th>
        </tr>
      </thead>
      <tbody>
        ${CASE_STATUSES.map(
          (status) =>
            html`<tr data-status="${status}">
              <th scope="row">${label('caseStatus', status, locale)}</th>
              <td>${formatNumber(view.cases.byStatus[status] ?? 0, locale)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      view.cases.open.length === 0
        ? html`<p>${m.noOpenCases}</p>`
        : html`<table id="open-cases">
            <caption>
              ${m.openCases}
            </caption>
            <thead>
              <tr>
                <th scope="col">${m.student}</th>
                <th scope="col">${m.status}</th>
                <th scope="col">${m.responsible}</th>
                <th scope="col">${m.nextReview}</th>
                <th scope="col"><span class="sr-only">${m.viewCase}</span></th>
              </tr>
            </thead>
            <tbody>
              ${view.cases.open.map(
                (c) =>
                  html`<tr>
                    <td><code>${c.student.slice(0, 12)}</code></td>
                    <td>${label('caseStatus', c.status, locale)}</td>
                    <td>${c.responsible ? label('caseResponsible', c.responsible, locale) : m.unset}</td>
                    <td>${c.nextReviewOn ?? m.unset}</td>
                    <td><a href="${localPath(`/watch/cases/${c.id}`, locale)}">${m.viewCase}</a></td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

function homeroomChoices(ctx: PageContext, view: DashboardView): SafeHtml {
  const { locale } = ctx;
  const m = dashboardMessages(locale);
  if (view.choices.length === 0) return html`<p>${m.noHomerooms}</p>`;
  const chosen = new Set(view.homerooms?.map((h) => h.homeroomId));
  return html`<nav aria-label="${m.chooseHomeroom}">
    <ul class="plain" id="homeroom-choices">
      ${view.choices.map(
        (h) =>
          html`<li>
            <a
              href="${localPath(`/dashboard/schools/${view.schoolCode}/classes`, locale, { homeroom: h.homeroomId })}"
              ${chosen.has(h.homeroomId) && chosen.size === 1 ? html`aria-current="page"` : ''}
              >${h.title}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

export function renderDashboardPage(ctx: PageContext, view: DashboardView): string {
  const { locale } = ctx;
  const m = dashboardMessages(locale);
  const school = view.scope === 'school';
  const title = school ? m.schoolTitle : m.classTitle;
  const path = school ? `/dashboard/schools/${view.schoolCode}` : `/dashboard/schools/${view.schoolCode}/classes`;
  const single = !school && view.homerooms?.length === 1 ? view.homerooms[0].homeroomId : null;
  const heading = school
    ? `${title}(${view.schoolCode})`
    : `${title}(${view.homerooms?.map((h) => h.title).join('、') || view.schoolCode})`;
  const content = html`<h1>${heading}</h1>
    ${school ? '' : homeroomChoices(ctx, view)} ${queryForm(ctx, view, path, single)}
    ${
      view.current
        ? html`<section aria-labelledby="attendance-heading">
              <h2 id="attendance-heading">${m.byClassTitle}</h2>
              ${attendanceTable(ctx, view, view.current)}
              <p>${m.rateNote}</p>
            </section>
            ${comparison(ctx, view, view.current)}`
        : school || (view.homerooms?.length ?? 0) > 0
          ? html`<p>${m.noData}</p>`
          : ''
    }
    ${school || (view.homerooms?.length ?? 0) > 0 ? html`${watchSection(ctx, view)} ${casesSection(ctx, view)}` : ''}`;
  return renderPage(ctx, title, content, { wide: true });
}
