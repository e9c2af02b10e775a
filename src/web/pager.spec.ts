import { pageContext } from './layout.js';
import { pageFromQuery, renderPager } from './pager.js';

const ctx = pageContext('ja', null, '/surveys');
const page = (offset: number, count: number, total: number) => ({
  items: Array.from({ length: count }, (_, i) => i),
  total,
  limit: 100,
  offset,
});

describe('the pager of a page listing a paged list', () => {
  it('reads ?offset= as a whole number, anything else as the first page', () => {
    expect(pageFromQuery('200')).toEqual({ limit: 100, offset: 200 });
    expect([undefined, '', '-1', '1e3', 'x', ['1']].map((o) => pageFromQuery(o).offset)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('says nothing when one page holds every item', () => {
    expect(renderPager(ctx, page(0, 12, 12))).toBe('');
  });

  it('links to the next page from the first, to both from the middle, to the previous from the last', () => {
    const first = String(renderPager(ctx, page(0, 100, 250)));
    expect(first).toContain('全 250 件中 1–100 件');
    expect(first).toContain('href="/surveys?lang=ja&amp;offset=100" rel="next"');
    expect(first).not.toContain('rel="prev"');
    const middle = String(renderPager(ctx, page(100, 100, 250)));
    expect(middle).toContain('offset=0" rel="prev"');
    expect(middle).toContain('offset=200" rel="next"');
    const last = String(renderPager(ctx, page(200, 50, 250)));
    expect(last).toContain('全 250 件中 201–250 件');
    expect(last).not.toContain('rel="next"');
  });
});
