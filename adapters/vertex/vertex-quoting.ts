import type { QuoteRules } from '../../src/cost/backend-pricing.js';
import { vertexSnapshotRows } from './vertex-price-book.js';
import { vertexPrice } from './vertex-quote.js';
import { vertexRegionOf } from './vertex-region.js';
import { VERTEX_STARTUP } from './vertex-startup.js';

/**
 * Vertex AI's price rules as `quote` reads them: the custom-training price of the job's machine and accelerators in
 * its region (vertex-quote.ts). Apart from vertex-pricing.ts, which adds the bill's rules, so that a quote loads none
 * of the bill's modules.
 */
export const vertexQuoting: QuoteRules = {
  startup: VERTEX_STARTUP,
  price: (job, _now, env, refreshed) => vertexPrice(job, vertexRegionOf(job.backends?.vertex?.region, env), refreshed),
  snapshotRows: vertexSnapshotRows,
};
