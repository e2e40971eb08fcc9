import type { BackendPricing } from '../../src/cost/backend-pricing.js';
import { parseVertexBillingFacts } from './vertex-billing-facts.js';
import { vertexJobCharges } from './vertex-job-bill.js';
import { vertexPriceBasisOf } from './vertex-price-basis.js';
import { vertexQuoting } from './vertex-quoting.js';

/**
 * Vertex AI's price and bill rules, as the registry hands them to `submit` and the bill: the custom-training price of
 * the job's machine and accelerators in its region (vertex-quoting.ts, all `quote` loads), and each replica billed
 * from startTime to endTime at the prices stored at launch (vertex-job-bill.ts), Vertex's own times when the facts
 * read from it once the job ended have them (vertex-billing-facts.ts).
 */
export const vertexPricing: BackendPricing = {
  ...vertexQuoting,
  charges(job, price, now, facts) {
    const basis = vertexPriceBasisOf(price);
    return basis && vertexJobCharges(job, basis, now, parseVertexBillingFacts(facts));
  },
};
