import type { AnswerView } from '../surveys/response-view.js';
import type { AnswerValue, GridCell } from '../surveys/survey.types.js';
import type { Locale } from '../config/config.js';
import { formatNumber } from './format.js';
import { html, type SafeHtml } from './html.js';
import { dimensionLabel, dimensionOrder, dimensionValueLabel } from '../labels/labels.js';
import type { Messages } from './messages.js';
import { cellDimField, cellValueField, field, type FormBody } from './response-forms.js';
import { textOf } from '../common/text-of.js';

/** The order people expect to read categories in (小1 before 小2, 男 before 女): the label catalogue's. */
function compareValues(dimension: string, a: string, b: string): number {
  return dimensionOrder(dimension)(a, b);
}

/** Blank rows offered under a list-shaped grid, to add a category combination the data did not have. */
const ADD_ROWS = 3;

interface ViewContext {
  m: Messages;
  locale: Locale;
}

type Dims = Record<string, string>;
const keyOf = (dims: Dims, gridDims: string[]) => JSON.stringify(gridDims.map((d) => dims[d] ?? ''));
const cellsOf = (value: AnswerValue | null): GridCell[] => (Array.isArray(value) ? value : []);

/** Every category combination the answer, the data or last year knows, in reading order. */
function knownCells(answer: AnswerView): Dims[] {
  const gridDims = answer.gridDims ?? [];
  const seen = new Map<string, Dims>();
  for (const cell of [...cellsOf(answer.value), ...cellsOf(answer.prefilledValue), ...cellsOf(answer.lastYearValue)]) {
    seen.set(keyOf(cell.dims, gridDims), cell.dims);
  }
  return [...seen.values()].sort((a, b) => {
    for (const d of gridDims) {
      const c = compareValues(d, a[d] ?? '', b[d] ?? '');
      if (c !== 0) return c;
    }
    return 0;
  });
}

function lookup(value: AnswerValue | null, gridDims: string[]): Map<string, number> {
  return new Map(cellsOf(value).map((c) => [keyOf(c.dims, gridDims), c.value]));
}

function uniqueValues(cells: Dims[], dimension: string): string[] {
  return [...new Set(cells.map((c) => c[dimension]))].sort((a, b) => compareValues(dimension, a, b));
}

interface GridRenderOptions {
  /** Inputs instead of figures: the id prefix for labels, and what the user typed last time (after a refused post). */
  edit?: { idPrefix: string; draft?: FormBody };
}

/** A grid as a table: two dimensions as rows × columns, otherwise one row per cell. */
export function gridTable(answer: AnswerView, ctx: ViewContext, options: GridRenderOptions = {}): SafeHtml {
  const { m, locale } = ctx;
  const gridDims = answer.gridDims ?? [];
  const cells = knownCells(answer);
  const current = lookup(answer.value, gridDims);
  const prefilled = lookup(answer.prefilledValue, gridDims);
  const showWas = answer.prefilledValue !== null && answer.source === 'changed';
  const label = (d: string, v: string) => dimensionValueLabel(d, v, locale);
  const dimName = (d: string) => dimensionLabel(d, locale);
  const edit = options.edit;

  const cellIndex = new Map(cells.map((dims, index) => [keyOf(dims, gridDims), index]));
  const show = (dims: Dims) => {
    const key = keyOf(dims, gridDims);
    const value = current.get(key) ?? 0;
    const was = prefilled.get(key) ?? 0;
    return html`${formatNumber(value, locale)}${showWas && was !== value ? html`<span class="was">${m.dataFigure}: ${formatNumber(was, locale)}</span>` : ''}`;
  };
  const input = (dims: Dims, caption: string) => {
    const index = cellIndex.get(keyOf(dims, gridDims))!;
    const id = `${edit!.idPrefix}-cell-${index}`;
    const name = cellValueField(index);
    const typed = edit!.draft ? field(edit!.draft, name) : String(current.get(keyOf(dims, gridDims)) ?? 0);
    return html`<label class="sr-only" for="${id}">${caption}</label
      ><input
        type="number"
        id="${id}"
        name="${name}"
        value="${typed}"
        min="0"
        step="1"
        inputmode="numeric"
        required
      />${gridDims.map((d) => html`<input type="hidden" name="${cellDimField(index, d)}" value="${dims[d]}" />`)}`;
  };
  const sum = (list: Dims[]) => list.reduce((total, dims) => total + (current.get(keyOf(dims, gridDims)) ?? 0), 0);

  if (gridDims.length === 2 && cells.length > 0) {
    const [rowDim, colDim] = gridDims;
    const rows = uniqueValues(cells, rowDim);
    const cols = uniqueValues(cells, colDim);
    const at = (r: string, c: string): Dims => ({ [rowDim]: r, [colDim]: c });
    if (edit) {
      // Every row × column combination gets an input, so a cell the data had no row for can be filled in.
      for (const r of rows)
        for (const c of cols)
          if (!cellIndex.has(keyOf(at(r, c), gridDims))) cellIndex.set(keyOf(at(r, c), gridDims), cellIndex.size);
    }
    return html`<table>
      <caption class="sr-only">
        ${answer.text[locale]}
      </caption>
      <thead>
        <tr>
          <th scope="col">${dimName(rowDim)} / ${dimName(colDim)}</th>
          ${cols.map((c) => html`<th scope="col" class="num">${label(colDim, c)}</th>`)}${edit ? '' : html`<th scope="col" class="num">${m.total}</th>`}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <th scope="row">${label(rowDim, r)}</th>
              ${cols.map((c) => html`<td class="num">${edit ? input(at(r, c), `${label(rowDim, r)} ${label(colDim, c)}`) : show(at(r, c))}</td>`)}${
                edit ? '' : html`<td class="num">${formatNumber(sum(cols.map((c) => at(r, c))), locale)}</td>`
              }
            </tr>`,
        )}
      </tbody>
      ${
        edit
          ? ''
          : html`<tfoot>
              <tr>
                <th scope="row">${m.total}</th>
                ${cols.map((c) => html`<td class="num">${formatNumber(sum(rows.map((r) => at(r, c))), locale)}</td>`)}
                <td class="num">${formatNumber(sum(cells), locale)}</td>
              </tr>
            </tfoot>`
      }
    </table>`;
  }

  if (!edit && cells.length === 0) return html`<p class="value">${m.emptyGrid}</p>`;
  const addRows = edit
    ? Array.from({ length: ADD_ROWS }, (_, n) => {
        const index = cells.length + n;
        const id = `${edit.idPrefix}-cell-${index}`;
        return html`<tr>
          ${gridDims.map(
            (d) =>
              html`<td>
                <label class="sr-only" for="${id}-${d}">${m.addRows}: ${dimName(d)}</label
                ><input
                  type="text"
                  id="${id}-${d}"
                  name="${cellDimField(index, d)}"
                  value="${edit.draft ? field(edit.draft, cellDimField(index, d)) : ''}"
                  size="8"
                />
              </td>`,
          )}
          <td class="num">
            <label class="sr-only" for="${id}">${m.addRows}: ${m.answerLabel}</label
            ><input
              type="number"
              id="${id}"
              name="${cellValueField(index)}"
              value="${edit.draft ? field(edit.draft, cellValueField(index)) : ''}"
              min="0"
              step="1"
              inputmode="numeric"
            />
          </td>
        </tr>`;
      })
    : [];
  return html`<table>
    <caption class="sr-only">
      ${answer.text[locale]}
    </caption>
    <thead>
      <tr>
        ${gridDims.map((d) => html`<th scope="col">${dimName(d)}</th>`)}
        <th scope="col" class="num">${m.answerLabel}</th>
      </tr>
    </thead>
    <tbody>
      ${cells.map(
        (dims) =>
          html`<tr>
            ${gridDims.map((d) => html`<td>${label(d, dims[d])}</td>`)}
            <td class="num">${edit ? input(dims, gridDims.map((d) => label(d, dims[d])).join(' ')) : show(dims)}</td>
          </tr>`,
      )}${
        edit && addRows.length > 0
          ? html`<tr>
                <th scope="rowgroup" colspan="${gridDims.length + 1}">${m.addRows}</th>
              </tr>
              ${addRows}`
          : ''
      }
    </tbody>
    ${
      edit
        ? ''
        : html`<tfoot>
            <tr>
              <th scope="row" colspan="${gridDims.length}">${m.total}</th>
              <td class="num">${formatNumber(sum(cells), locale)}</td>
            </tr>
          </tfoot>`
    }
  </table>`;
}

/** A figure or text as read: a number, a choice, a text, or a grid's table. */
export function answerValue(answer: AnswerView, value: AnswerValue | null, ctx: ViewContext): SafeHtml {
  if (value === null || value === '') return html`<span class="value">${ctx.m.noAnswer}</span>`;
  if (answer.type === 'grid') return gridTable({ ...answer, value }, ctx);
  if (typeof value === 'number') return html`<span class="value">${formatNumber(value, ctx.locale)}</span>`;
  return html`<span class="value">${textOf(value)}</span>`;
}

/** A short form of a figure for one line (a grid: its total). */
export function figureText(value: AnswerValue | null, ctx: ViewContext): string {
  if (value === null) return ctx.m.noAnswer;
  if (Array.isArray(value))
    return `${ctx.m.total} ${formatNumber(
      value.reduce((s, c) => s + c.value, 0),
      ctx.locale,
    )}`;
  return typeof value === 'number' ? formatNumber(value, ctx.locale) : value;
}

/** The inputs that carry a new value: one for a scalar, one number per cell for a grid. */
export function valueInputs(
  answer: AnswerView,
  ctx: ViewContext,
  idPrefix: string,
  labelText: string,
  draft?: FormBody,
): SafeHtml {
  if (answer.type === 'grid')
    return html`<fieldset>
      <legend>${labelText}</legend>
      ${gridTable(answer, ctx, { edit: { idPrefix, draft } })}
    </fieldset>`;
  const id = `${idPrefix}-value`;
  const current = draft
    ? field(draft, 'value')
    : answer.value === null || Array.isArray(answer.value)
      ? ''
      : String(answer.value);
  const labelled = (control: SafeHtml) => html`<label for="${id}">${labelText}</label>${control}`;
  switch (answer.type) {
    case 'integer':
      return labelled(
        html`<input
          type="number"
          id="${id}"
          name="value"
          value="${current}"
          min="0"
          step="1"
          inputmode="numeric"
          required
        />`,
      );
    case 'number':
      return labelled(
        html`<input
          type="number"
          id="${id}"
          name="value"
          value="${current}"
          step="any"
          inputmode="decimal"
          required
        />`,
      );
    case 'choice':
      return labelled(
        html`<select id="${id}" name="value" required>
          <option value=""></option>
          ${(answer.choices ?? []).map((c) => html`<option${c === current ? html` selected` : ''}>${c}</option>`)}
        </select>`,
      );
    case 'text':
      return labelled(html`<textarea id="${id}" name="value" rows="4" maxlength="5000" required>${current}</textarea>`);
  }
}
