import type { QuoteRules } from '../../src/cost/backend-pricing.js';
import { ec2RegionOf } from './aws-region.js';
import { ec2SnapshotRows } from './ec2-price-book.js';
import { ec2Price } from './ec2-quote.js';
import { EC2_STARTUP } from './ec2-startup.js';

/**
 * EC2's price rules as `quote` reads them: the on-demand price in the job's region (ec2-quote.ts). Apart from
 * ec2-pricing.ts, which adds the bill's rules, so that a quote loads none of the bill's modules.
 */
export const ec2Quoting: QuoteRules = {
  startup: EC2_STARTUP,
  price: (job, now, env, refreshed) => ec2Price(job, now, ec2RegionOf(job.backends?.ec2?.region, env), refreshed),
  snapshotRows: ec2SnapshotRows,
};
