import { academicYearLabel, label } from '../labels/labels.js';
import type { ReportRunView } from '../reports/dto/report.view.js';
import type { ReportTemplateView } from '../reports/reports.service.js';
import { boardMessagesFor } from './board-messages.js';
import { html } from './html.js';
import { localPath, renderPage, type PageContext } from './layout.js';

export interface ReportChoices {
  schools: { code: string; name: string }[];
  programmes: { id: string; name: string }[];
  surveys: { id: string; title: string }[];
  years: number[];
}

/** The templates this user may render, each with a form of its parameters that posts back for the PDF. */
export function renderReportsPage(
  ctx: PageContext,
  templates: ReportTemplateView[],
  choices: ReportChoices,
  problem?: { id: string; message: string },
): string {
  const { m, locale } = ctx;
  const b = boardMessagesFor(locale);
  const input = (t: ReportTemplateView, p: ReportTemplateView['parameters'][number], prefix = '') => {
    const id = `${t.id}-${prefix}${p.name}`;
    const required = p.required ? html` required` : '';
    const select = (options: { value: string; label: string }[]) =>
      html`<select id="${id}" name="${p.name}" ${required}>
        <option value="">${m.chooseOne}</option>
        ${options.map((o) => html`<option value="${o.value}">${o.label}</option>`)}
      </select>`;
    let control;
    switch (p.type) {
      case 'academicYear':
        control = select(
          [...choices.years].reverse().map((y) => ({ value: String(y), label: academicYearLabel(y, locale) })),
        );
        break;
      case 'academicYears':
        control = html`<input
          id="${id}"
          name="${p.name}"
          placeholder="${m.yearsHint}"
          value="${choices.years.join(',')}"
          ${required}
        />`;
        break;
      case 'school':
        control = select(choices.schools.map((s) => ({ value: s.code, label: `${s.name}(${s.code})` })));
        break;
      case 'programme':
        control = select(choices.programmes.map((g) => ({ value: g.id, label: g.name })));
        break;
      case 'survey':
        control = select(choices.surveys.map((s) => ({ value: s.id, label: s.title })));
        break;
      default:
        control = select((p.choices ?? []).map((c) => ({ value: c, label: label('outcome', c, locale) })));
    }
    return html`<p><label for="${id}">${p.label[locale]}</label><br />${control}</p>`;
  };
  const content = html`<h1>${m.reportsTitle}</h1>
    <p>${m.reportsIntro}</p>
    ${templates.map(
      (t) =>
        html`<section id="${t.id}">
          <h2>${t.title[locale]}</h2>
          <p>${t.description[locale]}</p>
          ${problem?.id === t.id ? html`<p class="error" role="alert">${m.reportFailed}: ${problem.message}</p>` : ''}
          <form method="post" action="/reports/${t.id}?lang=${locale}">
            ${t.parameters.map((p) => input(t, p))}
            <button type="submit">${m.renderPdf}</button>
          </form>
          ${
            t.eachSchool && ctx.actor?.role === 'board_admin'
              ? html`<details>
                  <summary>${b.everySchoolTitle}</summary>
                  <form method="post" action="/reports/${t.id}/runs?lang=${locale}">
                    <p class="help">${b.everySchoolHelp}</p>
                    ${t.parameters.filter((p) => p.type !== 'school').map((p) => input(t, p, 'all-'))}
                    <button type="submit" id="${t.id}-run">${b.everySchoolButton}</button>
                  </form>
                </details>`
              : ''
          }
        </section>`,
    )}`;
  return renderPage(ctx, m.reportsTitle, content, { wide: true });
}

/** One every-school run: how far it is, what failed, and its zip once done (reload to follow it). */
export function renderReportRunPage(ctx: PageContext, run: ReportRunView, title: string): string {
  const { locale } = ctx;
  const b = boardMessagesFor(locale);
  const content = html`<p><a href="${localPath('/reports', locale)}">← ${ctx.m.reportsTitle}</a></p>
    <h1>${title}</h1>
    <p id="run-status">${b.runStatus[run.status]}</p>
    <label for="run-progress">${b.runProgress(run.rendered, run.total)}</label>
    <progress id="run-progress" max="${run.total}" value="${run.rendered}"></progress>
    ${
      run.failures.length > 0
        ? html`<h2>${b.runFailures}</h2>
            <ul id="run-failures">
              ${run.failures.map((f) => html`<li>${f.school}: ${f.message}</li>`)}
            </ul>`
        : ''
    }
    ${
      run.status === 'done'
        ? html`<p>
            <a class="button" id="run-zip" href="${localPath(`/reports/runs/${run.id}/zip`, locale)}" download
              >${b.runZip}</a
            >
          </p>`
        : run.status === 'running'
          ? html`<p><a href="${localPath(`/reports/runs/${run.id}`, locale)}" id="run-reload">${b.runReload}</a></p>`
          : ''
    }`;
  return renderPage(ctx, title, content);
}
