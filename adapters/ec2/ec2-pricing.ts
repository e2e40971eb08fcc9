import type { BackendPricing } from '../../src/cost/backend-pricing.js';
import { ec2RegionOf } from './aws-region.js';
import { ec2JobCharges } from './ec2-job-bill.js';
import { ec2PriceBasisOf } from './ec2-price-basis.js';
import { ec2SnapshotRows } from './ec2-price-book.js';
import { ec2Price } from './ec2-quote.js';
import { EC2_STARTUP } from './ec2-startup.js';

/**
 * EC2's price and bill rules, as the registry hands them to `quote`, `submit` and the bill: the on-demand price
 * in the job's region (ec2-quote.ts) and EC2's billing rules applied to the basis stored at launch (ec2-job-bill.ts).
 */
export const ec2Pricing: BackendPricing = {
  startup: EC2_STARTUP,
  price: (job, now, env, refreshed) => ec2Price(job, now, ec2RegionOf(job.backends?.ec2?.region, env), refreshed),
  snapshotRows: ec2SnapshotRows,
  charges(job, price, now, facts) {
    const basis = ec2PriceBasisOf(price);
    return basis && ec2JobCharges(job, basis, now, facts);
  },
};
