import type { BackendPricing } from '../../src/cost/backend-pricing.js';
import { parseRescaleBillingFacts } from './rescale-billing-facts.js';
import { rescaleJobCharges } from './rescale-job-bill.js';
import { rescalePriceBasisOf } from './rescale-price-basis.js';
import { rescalePrice } from './rescale-quote.js';

/**
 * Rescale's price and bill rules, as the registry hands them to `quote`, `submit` and the bill: the core type's
 * price per core-hour times cores times slots (rescale-quote.ts, live prices from the DLRUN_HOME cache when newer
 * than the repository's table), and the job's core-hours from Started to its terminal status at the price stored at
 * launch (rescale-job-bill.ts), Rescale's own status times when the facts read once the job ended have them.
 */
export const rescalePricing: BackendPricing = {
  price: (job, now, env) => rescalePrice(job, now, env),
  charges(job, price, now, facts) {
    const basis = rescalePriceBasisOf(price);
    return basis && rescaleJobCharges(job, basis, now, parseRescaleBillingFacts(facts));
  },
};
