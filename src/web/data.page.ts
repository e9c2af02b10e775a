import type { IngestBatch } from '../ingest/entities/ingest-batch.entity.js';
import type { BatchReport } from '../ingest/ingest.service.js';
import { problemMessage } from '../ingest/problems/problem-messages.js';
import { WITHHELD } from '../ingest/staging.js';
import { label } from '../labels/labels.js';
import { UPLOAD_SCRIPT_URL } from './assets.js';
import { boardMessagesFor } from './board-messages.js';
import { formatDateTime, formatNumber } from './format.js';
import { html } from './html.js';
import { localPath, renderPage, type PageContext } from './layout.js';

/** The board's data page: the upload form (with its progress bar) and the latest batches. */
export function renderDataPage(ctx: PageContext, batches: IngestBatch[]): string {
  const { locale } = ctx;
  const b = boardMessagesFor(locale);
  const num = (n: string | number) => formatNumber(Number(n), locale);
  const content = html`<h1>${b.dataTitle}</h1>
    <h2 id="upload-h">${b.uploadTitle}</h2>
    <p class="help">${b.uploadHelp}</p>
    <form
      id="upload-form"
      method="post"
      enctype="multipart/form-data"
      action="${localPath('/data', locale)}"
      aria-labelledby="upload-h"
    >
      <label for="files">${b.files}</label>
      <input type="file" id="files" name="files" multiple required accept=".csv,.zip,.json,.ndjson,.txt" />
      <p>
        <input type="checkbox" id="acceptPartial" name="acceptPartial" value="true" />
        <label for="acceptPartial" class="inline">${b.acceptPartial}</label>
      </p>
      <button type="submit" id="upload">${b.uploadButton}</button>
      <progress id="upload-progress" max="100" hidden aria-labelledby="upload-status"></progress>
      <p
        id="upload-status"
        role="status"
        data-sending="${b.sending}"
        data-loading="${b.loading}"
        data-failed="${b.uploadFailed}"
      ></p>
    </form>

    <h2 id="history-h">${b.historyTitle}</h2>
    ${
      batches.length === 0
        ? html`<p>${b.noBatches}</p>`
        : html`<table aria-labelledby="history-h" id="batches">
            <thead>
              <tr>
                <th scope="col">${b.startedAt}</th>
                <th scope="col">${b.by}</th>
                <th scope="col">${ctx.m.status}</th>
                <th scope="col" class="num">${b.rowsLoaded}</th>
                <th scope="col" class="num">${b.errors}</th>
                <th scope="col" class="num">${b.warnings}</th>
                <th scope="col"><span class="sr-only">${b.reportLink}</span></th>
              </tr>
            </thead>
            <tbody>
              ${batches.map(
                (batch) =>
                  html`<tr id="batch-${batch.id}">
                    <td class="nowrap">${formatDateTime(batch.createdAt, locale)}</td>
                    <td>${batch.actorName}</td>
                    <td>${label('batchStatus', batch.status, locale)}</td>
                    <td class="num">${num(batch.rowsLoaded)}</td>
                    <td class="num">${num(batch.errors)}</td>
                    <td class="num">${num(batch.warnings)}</td>
                    <td><a href="${localPath(`/data/batches/${batch.id}`, locale)}">${b.reportLink}</a></td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <script src="${UPLOAD_SCRIPT_URL}"></script>`;
  return renderPage(ctx, b.dataTitle, content, { wide: true });
}

/** One batch's report: the outcome, each file, and every error and warning by file, row and column. */
export function renderBatchPage(
  ctx: PageContext,
  report: BatchReport | { batchId: string; status: string; message: string },
): string {
  const { locale } = ctx;
  const b = boardMessagesFor(locale);
  const num = (n: number) => formatNumber(n, locale);
  const full = 'feeds' in report ? report : null;
  // A person's ID is never shown: the report holds the marker, said here in the page's language.
  const shownValue = (value: string) =>
    value.startsWith(WITHHELD) ? b.withheld + value.slice(WITHHELD.length) : value;
  const content = html`<p><a href="${localPath('/data', locale)}">← ${b.dataTitle}</a></p>
    <h1>${b.batchTitle}</h1>
    <p class="alert ${report.status === 'rejected' || report.status === 'failed' ? 'danger' : 'ok'}" id="batch-status">
      ${label('batchStatus', report.status, locale)}
    </p>
    ${
      full
        ? html`<dl>
              <dt>${b.rowsRead}</dt>
              <dd>${num(full.rowsRead)}</dd>
              <dt>${b.rowsLoaded}</dt>
              <dd id="rows-loaded">${num(full.rowsLoaded)}</dd>
              <dt>${b.rowsRejected}</dt>
              <dd>${num(full.rowsRejected)}</dd>
              <dt>${b.errors}</dt>
              <dd id="error-count">${num(full.errors)}</dd>
              <dt>${b.warnings}</dt>
              <dd>${num(full.warnings)}</dd>
            </dl>
            <h2 id="feeds-h">${b.feedsTitle}</h2>
            <table aria-labelledby="feeds-h" id="feeds">
              <thead>
                <tr>
                  <th scope="col">${b.fileName}</th>
                  <th scope="col">${b.feedKind}</th>
                  <th scope="col" class="num">${b.rowsRead}</th>
                  <th scope="col" class="num">${b.rowsLoaded}</th>
                  <th scope="col" class="num">${b.rowsRejected}</th>
                </tr>
              </thead>
              <tbody>
                ${full.feeds.map(
                  (feed) =>
                    html`<tr>
                      <th scope="row">${feed.name}${feed.skipped ? html`<br /><small>${b.skipped}</small>` : ''}</th>
                      <td>${label('feedKind', feed.kind, locale)}</td>
                      <td class="num">${num(feed.rowsRead)}</td>
                      <td class="num">${num(feed.rowsLoaded)}</td>
                      <td class="num">${num(feed.rowsRejected)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            <h2 id="problems-h">${b.problemsTitle}</h2>
            ${
              full.problems.length === 0
                ? html`<p>${b.noProblems}</p>`
                : html`<table aria-labelledby="problems-h" id="problems">
                    <thead>
                      <tr>
                        <th scope="col">${b.severity}</th>
                        <th scope="col">${b.fileName}</th>
                        <th scope="col" class="num">${b.row}</th>
                        <th scope="col">${b.column}</th>
                        <th scope="col">${b.value}</th>
                        <th scope="col">${b.rule}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${full.problems.map(
                        (p) =>
                          html`<tr class="${p.severity}">
                            <td>${label('severity', p.severity, locale)}</td>
                            <td>${p.file}</td>
                            <td class="num">${p.row ?? '—'}</td>
                            <td>${p.column ?? '—'}</td>
                            <td>${p.value === null ? '—' : shownValue(p.value)}</td>
                            <td>${problemMessage(p, locale)}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>`
            }`
        : ''
    }
    <p><a href="${localPath('/data', locale)}">${b.uploadAgain}</a></p>`;
  return renderPage(ctx, b.batchTitle, content, { wide: true });
}
