import type { AnswerValue } from '../surveys/survey.types.js';
import { boardMessagesFor } from './board-messages.js';
import { formatNumber } from './format.js';
import { html, type SafeHtml } from './html.js';
import { localPath, renderPage, type PageContext } from './layout.js';

export interface SurveyResultsData {
  survey: { id: string; title: { ja: string; en: string }; academicYear: number };
  questions: { code: string; text: { ja: string; en: string }; type: string; gridDims: string[] | null }[];
  schools: { schoolCode: string; schoolName: string; answers: Record<string, { value: AnswerValue | null }> }[];
}

const BAR_HEIGHT = 22;
const LABEL_WIDTH = 220;
const CHART_WIDTH = 640;

/** A number answer as a figure: a number itself, a grid the sum of its cells; anything else none. */
function figureOf(value: AnswerValue | null | undefined): number | null {
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.reduce((sum, cell) => sum + cell.value, 0);
  return null;
}

/** One horizontal bar a school, drawn on the server as SVG (attributes only: the CSP forbids inline style). */
function barChart(id: string, rows: { label: string; value: number }[], caption: string): SafeHtml {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const height = rows.length * BAR_HEIGHT + 4;
  const scale = (CHART_WIDTH - LABEL_WIDTH - 60) / max;
  return html`<svg
      viewBox="0 0 ${CHART_WIDTH} ${height}"
      width="100%"
      role="img"
      aria-labelledby="${id}-caption"
      class="bar-chart"
    >
      ${rows.map((r, i) => {
        const y = i * BAR_HEIGHT + 2;
        return html`<text x="${LABEL_WIDTH - 6}" y="${y + 15}" text-anchor="end" font-size="13" fill="#1f2933"
            >${r.label}</text
          >
          <rect
            x="${LABEL_WIDTH}"
            y="${y + 3}"
            width="${(r.value * scale).toFixed(1)}"
            height="${BAR_HEIGHT - 6}"
            fill="#1d4e89"
          ></rect>
          <text x="${LABEL_WIDTH + r.value * scale + 4}" y="${y + 15}" font-size="13" fill="#1f2933">${r.value}</text>`;
      })}
    </svg>
    <p class="sr-only" id="${id}-caption">${caption}</p>`;
}

/** The board's results of one survey: a chart and a table a question, and the downloads. */
export function renderSurveyResults(ctx: PageContext, data: SurveyResultsData): string {
  const { m, locale } = ctx;
  const b = boardMessagesFor(locale);
  const num = (n: number) => formatNumber(n, locale);
  const sections = data.questions.map((q, index) => {
    const id = `q-${index}`;
    const rows = data.schools.map((s) => ({ school: s.schoolName, value: s.answers[q.code]?.value ?? null }));
    const figures = rows
      .map((r) => ({ label: r.school, value: figureOf(r.value) }))
      .filter((r): r is { label: string; value: number } => r.value !== null);
    const counts = new Map<string, number>();
    if (figures.length === 0)
      for (const r of rows) if (typeof r.value === 'string') counts.set(r.value, (counts.get(r.value) ?? 0) + 1);
    return html`<section aria-labelledby="${id}-h" id="result-${q.code}">
      <h2 id="${id}-h">${q.text[locale]}</h2>
      ${
        figures.length > 0
          ? html`${q.type === 'grid' ? html`<p class="help">${b.gridTotal}</p>` : ''}
              ${barChart(id, figures, `${q.text[locale]}: ${figures.map((f) => `${f.label} ${num(f.value)}`).join(locale === 'ja' ? '、' : ', ')}`)}
              <table aria-labelledby="${id}-h">
                <thead>
                  <tr>
                    <th scope="col">${m.schoolName}</th>
                    <th scope="col" class="num">${b.figure}</th>
                  </tr>
                </thead>
                <tbody>
                  ${figures.map(
                    (f) =>
                      html`<tr>
                        <th scope="row">${f.label}</th>
                        <td class="num">${num(f.value)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
          : counts.size > 0
            ? html`${barChart(
                id,
                [...counts].map(([label, value]) => ({ label, value })),
                `${q.text[locale]}: ${[...counts].map(([l, v]) => `${l} ${v}`).join(locale === 'ja' ? '、' : ', ')}`,
              )}`
            : html`<p>${b.noAnswers}</p>`
      }
    </section>`;
  });
  const content = html`<p>
      <a href="${localPath(`/surveys/${data.survey.id}`, locale)}">← ${data.survey.title[locale]}</a>
    </p>
    <h1>${b.resultsTitle}: ${data.survey.title[locale]}</h1>
    <h2 id="downloads-h">${b.downloads}</h2>
    <ul aria-labelledby="downloads-h">
      <li>
        <a href="${localPath(`/surveys/${data.survey.id}/results.csv`, locale)}" download id="csv-words"
          >${m.resultsCsv}</a
        >
      </li>
      <li>
        <a href="${localPath(`/surveys/${data.survey.id}/results.csv`, locale, { codes: '1' })}" download
          >${m.resultsCsvCodes}</a
        >
      </li>
    </ul>
    ${sections}`;
  return renderPage(ctx, `${b.resultsTitle}: ${data.survey.title[locale]}`, content, { wide: true });
}
