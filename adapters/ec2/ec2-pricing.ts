import type { BackendPricing } from '../../src/cost/backend-pricing.js';
import { ec2JobCharges } from './ec2-job-bill.js';
import { ec2PriceBasisOf } from './ec2-price-basis.js';
import { ec2Quoting } from './ec2-quoting.js';

/**
 * EC2's price and bill rules, as the registry hands them to `submit` and the bill: the on-demand price in the job's
 * region (ec2-quoting.ts, all `quote` loads) and EC2's billing rules applied to the basis stored at launch
 * (ec2-job-bill.ts).
 */
export const ec2Pricing: BackendPricing = {
  ...ec2Quoting,
  charges(job, price, now, facts) {
    const basis = ec2PriceBasisOf(price);
    return basis && ec2JobCharges(job, basis, now, facts);
  },
};
