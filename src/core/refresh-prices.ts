import { asLedgerId } from '../backend/job-id.js';
import type { Config } from '../config.js';
import { writePriceSnapshot } from '../cost/price-store.js';
import type { BackendName } from '../spec/backend-names.js';
import { backendContext } from './backend-context.js';
import { canPrice, canRefreshPrices, priceRefresherOf, pricingOf } from './backends.js';
import { pricesInForce, type PricesInForce } from './prices-in-force.js';

/** What refreshing one backend's prices gave: the snapshot written, or why none was. */
export type PriceRefreshResult =
  | {
      readonly backend: BackendName;
      readonly ok: true;
      readonly file: string;
      readonly fetched_at: string;
      readonly rows: number;
      readonly source: string;
      readonly endpoint: string;
      readonly notes: readonly string[];
    }
  | { readonly backend: BackendName; readonly ok: false; readonly message: string; readonly hint: string | null };

/** The backends whose prices can be refreshed, in registry order. */
export async function refreshableBackends(names: readonly BackendName[]): Promise<BackendName[]> {
  const refreshable: BackendName[] = [];
  for (const name of names) if (await canRefreshPrices(name)) refreshable.push(name);
  return refreshable;
}

/**
 * `dlrun prices refresh`: fetch one backend's current prices from its provider and keep them as a dated snapshot in
 * DLRUN_HOME (price-store.ts). A failure (no credentials, an endpoint that does not answer) is this backend's
 * result, never thrown, so the other backends still refresh. The rows are checked as a snapshot's are when read,
 * so a snapshot written is one the next quote uses.
 */
export async function refreshBackendPrices(
  backend: BackendName,
  config: Config,
  progress: (message: string) => void,
): Promise<PriceRefreshResult> {
  try {
    const refresher = await priceRefresherOf(backend);
    const pricing = await pricingOf(backend);
    const context = backendContext(config, asLedgerId('no-ledger-for-prices'));
    const fetched = await refresher.refresh(context, progress);
    const usable = pricing.snapshotRows?.(fetched.rows) ?? [];
    if (usable.length === 0) {
      return {
        backend,
        ok: false,
        message: `${fetched.source} at ${fetched.endpoint} answered no price dlrun can use`,
        hint: fetched.notes.join('; ') || null,
      };
    }
    const fetchedAt = new Date();
    const file = writePriceSnapshot(config.home, backend, { ...fetched, rows: usable }, fetchedAt);
    return {
      backend,
      ok: true,
      file,
      fetched_at: fetchedAt.toISOString(),
      rows: usable.length,
      source: fetched.source,
      endpoint: fetched.endpoint,
      notes: fetched.notes,
    };
  } catch (error) {
    const hint = (error as { hint?: unknown }).hint;
    return {
      backend,
      ok: false,
      message: oneLine((error as Error).message),
      hint: typeof hint === 'string' ? oneLine(hint) : null,
    };
  }
}

/** One backend's prices for `dlrun prices show`. */
export interface PricesShown extends PricesInForce {
  readonly backend: BackendName;
  readonly refreshable: boolean;
}

/** Every priced backend's prices in force (or the one asked about), reading snapshots only: no SDK, no request. */
export async function showPrices(names: readonly BackendName[], home: string, now: Date): Promise<PricesShown[]> {
  const shown: PricesShown[] = [];
  for (const backend of names) {
    if (!(await canPrice(backend))) continue;
    shown.push({ backend, refreshable: await canRefreshPrices(backend), ...(await pricesInForce(backend, home, now)) });
  }
  return shown;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
