/**
 * Lists of unbounded size come a page at a time (README, "Lists"): `?limit=` (default 100, at most
 * 1,000) and `?offset=` (default 0) in; `{ items, total, limit, offset }` out, `total` counting every
 * item, so a client follows with offset += limit while offset < total.
 */
export const PAGE_LIMIT_DEFAULT = 100;
export const PAGE_LIMIT_MAX = 1000;

export interface PageRequest {
  limit: number;
  offset: number;
}

export interface Page<T> extends PageRequest {
  items: T[];
  total: number;
}

export function pageRequest(query: { limit?: number; offset?: number } = {}): PageRequest {
  return { limit: query.limit ?? PAGE_LIMIT_DEFAULT, offset: query.offset ?? 0 };
}

/** The whole list, for code that needs every item (the command line): page after page until `total`. */
export async function allPages<T>(fetchPage: (request: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const page = await fetchPage({ limit: PAGE_LIMIT_MAX, offset: items.length });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

export function pageOf<T>(items: T[], total: number, request: PageRequest): Page<T> {
  return { items, total, ...request };
}
