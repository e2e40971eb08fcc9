import type { BackendPricing } from '../../src/cost/backend-pricing.js';
import { parseRescaleBillingFacts } from './rescale-billing-facts.js';
import { rescaleJobCharges } from './rescale-job-bill.js';
import { rescalePriceBasisOf } from './rescale-price-basis.js';
import { rescaleQuoting } from './rescale-quoting.js';

/**
 * Rescale's price and bill rules, as the registry hands them to `submit` and the bill: the price, start-up and
 * failed start of rescale-quoting.ts (all `quote` loads), and the job's core-hours from Started to its terminal
 * status at the price stored at launch (rescale-job-bill.ts), Rescale's own status times when the facts read once
 * the job ended have them.
 */
export const rescalePricing: BackendPricing = {
  ...rescaleQuoting,
  charges(job, price, now, facts) {
    const basis = rescalePriceBasisOf(price);
    return basis && rescaleJobCharges(job, basis, now, parseRescaleBillingFacts(facts));
  },
};
