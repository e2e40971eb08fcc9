import type { PricesUsed } from '../cost/quote.js';
import { formatDuration } from '../util/format-duration.js';

/** Which prices are in force, in words: "snapshot fetched 2026-12-06T22:00:00.000Z (3h ago) from ...". */
export function describePricesUsed(used: PricesUsed): string {
  if (used.from === 'repo catalog')
    return "the repository's dated catalog ('dlrun prices refresh' fetches current ones)";
  return (
    `snapshot fetched ${used.fetched_at} (${ageText(used.age_s)}) from ${used.source} at ${used.endpoint}, ` +
    `${used.rows} rows (${used.file}); machines it does not price keep the repository's price`
  );
}

/** "3h20m old", "just now". */
export function ageText(seconds: number): string {
  return seconds < 60 ? 'just now' : `${formatDuration(Math.round(seconds / 60) * 60)} old`;
}
