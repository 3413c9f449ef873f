/** A product slug as URLs carry it. */
export const SLUG = /^[a-z0-9-]{1,120}$/;

/** The bounds of a catalog page's query, and the page size when the query names none (the routes' schema uses the same). */
export const PAGE_BOUNDS = { maxLimit: 100, maxOffset: 1_000_000, defaultLimit: 24 } as const;

/** The catalog cache's keys of the public API's reads: the usual routes and the cached-read lane use the same. */
export const apiReadKeys = {
  list: (limit: number, offset: number, category: string | undefined): string => `api:list:${limit}:${offset}:${category ?? ''}`,
  product: (slug: string): string => `api:product:${slug}`,
};
