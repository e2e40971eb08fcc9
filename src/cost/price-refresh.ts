import type { BackendContext } from '../backend/training-backend.js';
import type { JsonValue } from './price-snapshot.js';

/**
 * Prices a backend fetched from its provider's price API (`dlrun prices refresh`), in the row shape of that backend's
 * catalog in `src/cost/catalogs/`, ready to be kept as a dated snapshot in DLRUN_HOME (price-store.ts).
 */
export interface FetchedPrices {
  /** The API read, in words: "AWS Price List Query API (GetProducts)". */
  readonly source: string;
  /** Where the requests went (a stand-in's URL in tests). */
  readonly endpoint: string;
  /** The rows, each with its own `source` and `as_of` as the repository's catalog rows have them. */
  readonly rows: readonly JsonValue[];
  /** What the fetch could not price, or what it assumed, one sentence each. */
  readonly notes: readonly string[];
}

/**
 * A backend's price refresh: an optional capability, loaded lazily by the registry (`priceRefresh`) because it
 * loads the backend's cloud SDK; `quote` and reading a snapshot never do.
 */
export interface PriceRefresher {
  /** Fetches current prices; throws a user-facing error (no credentials, an endpoint that does not answer). */
  refresh(context: BackendContext, progress: (message: string) => void): Promise<FetchedPrices>;
}

/** The prices of the newest valid snapshot of a backend, as a backend's price rules take them (`price`). */
export interface RefreshedPrices {
  /** The snapshot's file. */
  readonly file: string;
  /** ISO 8601: when the prices were fetched. */
  readonly fetched_at: string;
  readonly source: string;
  readonly endpoint: string;
  /** The rows that passed the backend's check (`BackendPricing.snapshotRows`). */
  readonly rows: readonly JsonValue[];
}
