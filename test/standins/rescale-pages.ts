/**
 * DRF's PageNumberPagination as Rescale's v2 lists use it [V]: `page` (1-based) and `page_size` in the query, answered
 * `{count, next, previous, results}` where `next` and `previous` are absolute URLs or null. Default page size 25 [S].
 */
import { type Json, RescaleError } from './rescale-errors.js';

export interface Page {
  readonly [key: string]: Json;
  readonly count: number;
  readonly next: string | null;
  readonly previous: string | null;
  readonly results: Json[];
}

/**
 * One page of `items`. `requestUrl` is the absolute URL of the request: the links are it with `page` replaced, every
 * other parameter kept, as DRF's replace_query_param does; the link to page 1 drops `page` (remove_query_param) [S].
 */
export function paginate(items: readonly Json[], requestUrl: URL, defaultPageSize: number, maxPageSize: number): Page {
  const sizeText = requestUrl.searchParams.get('page_size');
  // DRF: a page_size that is not a positive integer falls back to the default, a large one is cut to the maximum [S].
  const asked = sizeText === null ? Number.NaN : Number(sizeText);
  const size = Number.isInteger(asked) && asked > 0 ? Math.min(asked, maxPageSize) : defaultPageSize;
  const pageText = requestUrl.searchParams.get('page') ?? '1';
  const last = Math.max(1, Math.ceil(items.length / size));
  const page = pageText === 'last' ? last : Number(pageText);
  // DRF's words for a page out of range or not a number [S].
  if (!Number.isInteger(page) || page < 1 || page > last) throw new RescaleError(404, { detail: 'Invalid page.' });
  const link = (target: number): string => {
    const url = new URL(requestUrl.href);
    if (target === 1) url.searchParams.delete('page');
    else url.searchParams.set('page', String(target));
    return url.href;
  };
  return {
    count: items.length,
    next: page < last ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items.slice((page - 1) * size, page * size) as Json[],
  };
}
