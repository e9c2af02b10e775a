import { dimensionLabel, dimensionOrder, dimensionValueLabel } from '../labels/labels.js';
import type { EvidenceView } from '../surveys/evidence.service.js';
import type { AnswerView, ResponseView } from '../surveys/response-view.js';
import { figureText } from './answer-value.view.js';
import { formatNumber } from './format.js';
import { html } from './html.js';
import { localPath, renderPage, type PageContext } from './layout.js';
import type { MetricTitle } from './response.page.js';

/**
 * The evidence behind one pre-filled figure, as the school reads it: how many students' records it
 * counts, by grade and class. The pseudonymous rows stay in the API; a page needs no person.
 */
export function renderEvidencePage(
  ctx: PageContext,
  view: ResponseView,
  answer: AnswerView,
  evidence: EvidenceView,
  metricTitle: MetricTitle,
): string {
  const { m, locale } = ctx;
  const byGrade = dimensionOrder('grade');
  const rows = [...evidence.breakdown].sort(
    (a, b) => byGrade(a.grade, b.grade) || a.homeroom.localeCompare(b.homeroom, 'ja'),
  );
  const total = rows.reduce((sum, r) => sum + r.rows, 0);
  const back = localPath(`/responses/${view.id}`, locale, {}, `q-${answer.code}`);
  const title = `${m.evidenceTitle}: ${answer.text[locale]}`;
  const content = html`<p><a href="${back}">← ${m.backToResponse}</a></p>
    <h1>${title}</h1>
    <dl>
      <dt>${m.schoolName}</dt>
      <dd>${view.schoolName} (${view.schoolCode})</dd>
      <dt>${m.dataFigure}</dt>
      <dd>${figureText(answer.prefilledValue, ctx)}</dd>
      ${
        answer.provenance
          ? html`<dt>${m.provenance}</dt>
              <dd>${metricTitle(answer.provenance.metric) ?? answer.provenance.metric}</dd>`
          : ''
      }
    </dl>
    ${
      evidence.available && rows.length > 0
        ? html`<p>${m.evidenceIntro}</p>
            <table>
              <caption class="sr-only">
                ${title}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${dimensionLabel('grade', locale)}</th>
                  <th scope="col">${m.homeroom}</th>
                  <th scope="col" class="num">${m.students}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (r) =>
                    html`<tr>
                      <td>${dimensionValueLabel('grade', r.grade, locale)}</td>
                      <td>${r.homeroom}</td>
                      <td class="num">${formatNumber(r.rows, locale)}</td>
                    </tr>`,
                )}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colspan="2">${m.total}</th>
                  <td class="num">${formatNumber(total, locale)}</td>
                </tr>
              </tfoot>
            </table>`
        : html`<p>${m.evidenceNone}</p>`
    }`;
  return renderPage(ctx, title, content, { wide: true });
}
