import type { BackendPricing } from '../../src/cost/backend-pricing.js';
import { parseVertexBillingFacts } from './vertex-billing-facts.js';
import { vertexJobCharges } from './vertex-job-bill.js';
import { vertexPriceBasisOf } from './vertex-price-basis.js';
import { vertexSnapshotRows } from './vertex-price-book.js';
import { vertexPrice } from './vertex-quote.js';
import { vertexRegionOf } from './vertex-region.js';
import { VERTEX_STARTUP } from './vertex-startup.js';

/**
 * Vertex AI's price and bill rules, as the registry hands them to `quote`, `submit` and the bill: the custom-training
 * price of the job's machine and accelerators in its region (vertex-quote.ts), and each replica billed from startTime
 * to endTime at the prices stored at launch (vertex-job-bill.ts), Vertex's own times when the facts read from it once
 * the job ended have them (vertex-billing-facts.ts).
 */
export const vertexPricing: BackendPricing = {
  startup: VERTEX_STARTUP,
  price: (job, _now, env, refreshed) => vertexPrice(job, vertexRegionOf(job.backends?.vertex?.region, env), refreshed),
  snapshotRows: vertexSnapshotRows,
  charges(job, price, now, facts) {
    const basis = vertexPriceBasisOf(price);
    return basis && vertexJobCharges(job, basis, now, parseVertexBillingFacts(facts));
  },
};
