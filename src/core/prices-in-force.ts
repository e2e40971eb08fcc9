import type { PricesUsed } from '../cost/quote.js';
import type { RefreshedPrices } from '../cost/price-refresh.js';
import { readPriceSnapshot } from '../cost/price-store.js';
import type { BackendName } from '../spec/backend-names.js';
import { quoteRulesOf } from './backends.js';

/** The prices a backend's quotes use now: its newest valid snapshot, else its catalog in the repository. */
export interface PricesInForce {
  readonly refreshed: RefreshedPrices | undefined;
  /** Snapshots skipped as unusable, one sentence each: said on stderr, never fatal. */
  readonly problems: readonly string[];
  /** What `quote --json` and `submit --dry-run --json` say about them; undefined for a backend without snapshots. */
  readonly used: PricesUsed | undefined;
}

/**
 * The prices in force for a backend (price-store.ts): reading a snapshot loads no cloud SDK, only the backend's
 * offline price rules, which check the snapshot's rows.
 */
export async function pricesInForce(backend: BackendName, home: string, now: Date): Promise<PricesInForce> {
  const pricing = await quoteRulesOf(backend);
  if (!pricing.snapshotRows) return { refreshed: undefined, problems: [], used: undefined };
  const checkRows = pricing.snapshotRows.bind(pricing);
  const { snapshot, problems } = readPriceSnapshot(home, backend, checkRows, now);
  return { refreshed: snapshot, problems, used: pricesUsed(snapshot, now) };
}

export function pricesUsed(snapshot: RefreshedPrices | undefined, now: Date): PricesUsed {
  if (!snapshot) return { from: 'repo catalog' };
  return {
    from: 'snapshot',
    file: snapshot.file,
    fetched_at: snapshot.fetched_at,
    age_s: Math.max(0, Math.round((now.getTime() - Date.parse(snapshot.fetched_at)) / 1000)),
    source: snapshot.source,
    endpoint: snapshot.endpoint,
    rows: snapshot.rows.length,
  };
}
