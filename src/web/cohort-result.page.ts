/**
 * A cohort result on the page: what ran, the attrition, the charts, every table (as published: after
 * disclosure control) with its columns and categories in words, and each table's downloads.
 */
import type { CohortResult, ResultTable } from '../cohorts/cohort-result.js';
import { textOf } from '../common/text-of.js';
import type { Locale } from '../config/config.js';
import {
  cohortColumnLabel,
  cohortGroupLabel,
  cohortMethodLabel,
  cohortTableLabel,
  caseSideLabel,
  effectKindLabel,
} from '../labels/cohort-labels.js';
import {
  academicYearLabel,
  dimensionValueLabel,
  isLabelledDimension,
  label,
  programmeGroupLabel,
} from '../labels/labels.js';
import type { CohortChart } from './cohort-charts.js';
import { cohortMessagesFor } from './cohort-messages.js';
import { formatNumber } from './format.js';
import { html, SafeHtml } from './html.js';
import type { PageContext } from './layout.js';

export interface ResultView {
  result: CohortResult;
  charts: CohortChart[];
  /** Where a table downloads in a format (the page's own address, never the API's). */
  download: (table: string, format: 'csv' | 'arrow') => string;
  schoolNames: Map<string, string>;
  programmeNames: Map<string, string>;
}

/** One cell in words: a redacted figure says so; codes of a known vocabulary become their words. */
function cellText(view: ResultView, table: string, column: string, value: unknown, locale: Locale): string {
  const c = cohortMessagesFor(locale);
  // An overall effect has no years since adoption: nothing was hidden there.
  if ((value === null || value === undefined) && column === 'event_time') return '—';
  if (value === null || value === undefined) return c.redacted;
  if (value === 'all') return label('aggregate', 'all', locale);
  const text = textOf(value);
  switch (column) {
    case 'group':
      return table === 'group_time'
        ? programmeGroupLabel(`adopted_${text}`, locale)
        : cohortGroupLabel(view.result.definition.groups?.by, text, locale);
    case 'arm':
      return programmeGroupLabel(text, locale);
    case 'effect':
      return effectKindLabel(text, locale);
    case 'side':
      return caseSideLabel(text, locale);
    case 'period':
      return typeof value === 'number' ? academicYearLabel(value, locale) : text;
    case 'school': {
      const name = view.schoolNames.get(text);
      return name ? `${name}(${text})` : text;
    }
    case 'programmes':
      return text
        .split(',')
        .map((p) => view.programmeNames.get(p.trim()) ?? p.trim())
        .join(locale === 'ja' ? '、' : ', ');
  }
  if (isLabelledDimension(column) && typeof value !== 'number') return dimensionValueLabel(column, text, locale);
  if (typeof value === 'boolean') return label('boolean', value, locale);
  if (typeof value === 'number') return formatNumber(value, locale);
  return text;
}

function resultTable(view: ResultView, name: string, table: ResultTable, locale: Locale): SafeHtml {
  const c = cohortMessagesFor(locale);
  const id = `table-${name}`;
  // Figures align right; a year or a group shown in words does not.
  const inWords = (column: string) => column === 'period' || column === 'group' || column === 'side';
  const numeric = (column: string) => !inWords(column) && table.rows.some((r) => typeof r[column] === 'number');
  return html`<section aria-labelledby="${id}-h" id="${id}">
    <h3 id="${id}-h">${cohortTableLabel(name, locale)}</h3>
    <ul class="downloads">
      <li><a href="${view.download(name, 'csv')}" id="download-csv-${name}" download>${c.downloadCsv}</a></li>
      <li><a href="${view.download(name, 'arrow')}" id="download-arrow-${name}" download>${c.downloadArrow}</a></li>
    </ul>
    ${
      table.rows.length === 0
        ? html`<p>${c.noRows}</p>`
        : html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="${id}-h">
            <table aria-labelledby="${id}-h">
              <thead>
                <tr>
                  ${table.columns.map(
                    (col) =>
                      html`<th scope="col" ${numeric(col) ? html`class="num"` : ''}>
                        ${cohortColumnLabel(col, locale)}
                      </th>`,
                  )}
                </tr>
              </thead>
              <tbody>
                ${table.rows.map(
                  (row) =>
                    html`<tr>
                      ${table.columns.map(
                        (col) =>
                          html`<td ${numeric(col) ? html`class="num"` : ''}>
                            ${cellText(view, name, col, row[col], locale)}
                          </td>`,
                      )}
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

export function renderCohortResult(ctx: PageContext, view: ResultView): SafeHtml {
  const { locale } = ctx;
  const c = cohortMessagesFor(locale);
  const { result } = view;
  const rules = locale === 'ja' ? result.disclosure.rulesJa : result.disclosure.rules;
  return html`<section aria-labelledby="result-h" id="result">
    <h2 id="result-h">${c.resultTitle}</h2>
    <p id="result-method">${c.ranAs(cohortMethodLabel(result.method, locale))}</p>
    ${result.savedAs ? html`<p id="result-saved">${c.ranSaved(result.savedAs.name, result.savedAs.version)}</p>` : ''}
    <p>${c.definitionId}: <code>${result.definitionHash.slice(0, 12)}</code></p>
    ${view.charts.map(
      (chart) =>
        html`<figure class="cohort-chart" id="${chart.id}">
          <figcaption id="${chart.id}-caption">${chart.title}</figcaption>
          ${new SafeHtml(chart.svg)}
        </figure>`,
    )}
    <p class="help">${c.redactedNote}</p>
    ${Object.entries(result.tables).map(([name, table]) => resultTable(view, name, table, locale))}
    <section aria-labelledby="attrition-h">
      <h3 id="attrition-h">${c.attrition}</h3>
      <table aria-labelledby="attrition-h" id="attrition">
        <thead>
          <tr>
            <th scope="col">${c.rule}</th>
            <th scope="col" class="num">${cohortColumnLabel('students', locale)}</th>
            <th scope="col" class="num">${cohortColumnLabel('schools', locale)}</th>
          </tr>
        </thead>
        <tbody>
          ${result.attrition.map(
            (step) =>
              html`<tr>
                <th scope="row">${step.label[locale]}</th>
                <td class="num">${step.students === null ? c.redacted : formatNumber(step.students, locale)}</td>
                <td class="num">${formatNumber(step.schools, locale)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
    <section aria-labelledby="disclosure-h">
      <h3 id="disclosure-h">${c.disclosure}</h3>
      <p>${c.cellsRedacted(result.disclosure.cellsRedacted)}</p>
      <ul>
        ${rules.map((r) => html`<li>${r}</li>`)}
      </ul>
    </section>
  </section>`;
}
