import { ec2RegionOf } from '../../adapters/ec2/aws-region.js';
import { DlrunError } from '../base/errors.js';
import type { BackendName } from '../spec/backend-names.js';
import type { JobSpec } from '../spec/job-spec.js';
import { ec2Price } from '../../adapters/ec2/ec2-quote.js';
import { localPrice } from '../../adapters/local/local-rate.js';
import type { PriceSnapshot } from './price-snapshot.js';

/** The price a job would pay on a backend now: the snapshot stored with the job when it launches. */
export function priceFor(
  backend: BackendName,
  job: JobSpec,
  now: Date,
  env: Readonly<Record<string, string | undefined>> = {},
): PriceSnapshot {
  if (backend === 'local') return localPrice(job.backends?.local, now);
  if (backend === 'ec2') return ec2Price(job, now, ec2RegionOf(job.backends?.ec2?.region, env));
  throw new DlrunError(`this version of dlrun has no price catalog for ${backend} yet`, {
    hint: "'dlrun quote --backend local' prices the job on this machine",
  });
}
