import type { Locale } from '../config/config.js';
import { label } from '../labels/labels.js';
import type { ReturnStatus } from '../surveys/survey-reports.service.js';
import { formatNumber } from './format.js';
import { html, type SafeHtml } from './html.js';

/** The order a board reads progress in: done first, then what is still open, the late last. */
const ORDER: ReturnStatus[] = ['submitted', 'in_progress', 'returned', 'not_opened', 'overdue'];
/** Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by the legend's words too. */
const COLOUR: Record<ReturnStatus, string> = {
  submitted: '#1d6b35',
  in_progress: '#1d4e89',
  returned: '#8a5300',
  not_opened: '#616e7c',
  overdue: '#b00020',
};
const WIDTH = 600;
const HEIGHT = 28;

/**
 * The survey's progress as one stacked bar (server-drawn SVG: the pages run no script, and attributes,
 * not inline style, so the CSP holds), with a legend that gives every count in words.
 */
export function progressChart(counts: Record<ReturnStatus, number>, title: string, locale: Locale): SafeHtml {
  const total = ORDER.reduce((sum, status) => sum + counts[status], 0);
  let x = 0;
  const bars = ORDER.filter((status) => counts[status] > 0).map((status) => {
    const width = total === 0 ? 0 : (counts[status] / total) * WIDTH;
    const rect = html`<rect
      x="${x.toFixed(1)}"
      y="0"
      width="${width.toFixed(1)}"
      height="${HEIGHT}"
      fill="${COLOUR[status]}"
    ></rect>`;
    x += width;
    return rect;
  });
  const words = ORDER.map(
    (status) => `${label('responseStatus', status, locale)} ${formatNumber(counts[status], locale)}`,
  ).join(locale === 'ja' ? '、' : ', ');
  const submitted = total === 0 ? 0 : Math.round((counts.submitted / total) * 100);
  return html`<figure class="progress-chart">
    <figcaption id="progress-caption">${title}: ${submitted}%</figcaption>
    <svg
      viewBox="0 0 ${WIDTH} ${HEIGHT}"
      width="100%"
      height="${HEIGHT}"
      role="img"
      aria-labelledby="progress-caption progress-words"
      preserveAspectRatio="none"
    >
      <rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#e4e7eb"></rect>
      ${bars}
    </svg>
    <ul class="legend" id="progress-words">
      ${ORDER.map(
        (status) =>
          html`<li>
            <svg width="12" height="12" aria-hidden="true">
              <rect width="12" height="12" fill="${COLOUR[status]}"></rect>
            </svg>
            ${label('responseStatus', status, locale)} ${formatNumber(counts[status], locale)}
          </li>`,
      )}
    </ul>
    <p class="sr-only">${words}</p>
  </figure>`;
}
