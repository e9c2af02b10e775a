import { PAGE_LIMIT_DEFAULT, type Page, type PageRequest } from '../common/page.js';
import { formatNumber } from './format.js';
import { html, type SafeHtml } from './html.js';
import { localPath, type PageContext } from './layout.js';

/** The page of a list a page asks for: `?offset=` (a whole number, else the first page), 100 rows. */
export function pageFromQuery(offset: unknown): PageRequest {
  const value = typeof offset === 'string' && /^\d{1,9}$/.test(offset) ? Number(offset) : 0;
  return { limit: PAGE_LIMIT_DEFAULT, offset: value };
}

/** "1–100 of 250" with the links to the previous and next pages; nothing when one page holds it all. */
export function renderPager(ctx: PageContext, page: Page<unknown>): SafeHtml | '' {
  const { m, locale, path } = ctx;
  if (page.offset === 0 && page.total <= page.items.length) return '';
  const range = m.pageRange
    .replace('{from}', formatNumber(Math.min(page.offset + 1, page.total), locale))
    .replace('{to}', formatNumber(page.offset + page.items.length, locale))
    .replace('{total}', formatNumber(page.total, locale));
  const link = (offset: number, text: string, rel: string) =>
    html`<a href="${localPath(path, locale, { offset: String(offset) })}" rel="${rel}">${text}</a>`;
  return html`<nav class="pager" aria-label="${m.pagesLabel}">
    ${page.offset > 0 ? link(Math.max(0, page.offset - page.limit), m.previousPage, 'prev') : ''}
    <span>${range}</span>
    ${page.offset + page.items.length < page.total ? link(page.offset + page.items.length, m.nextPage, 'next') : ''}
  </nav>`;
}
