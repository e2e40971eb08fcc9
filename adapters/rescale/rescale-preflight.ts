import { DlrunError } from '../../src/base/errors.js';
import type { LaunchPlan, SubmitContext } from '../../src/backend/training-backend.js';
import { didYouMean } from '../../src/util/did-you-mean.js';
import { fetchCoreTypes } from './rescale-core-types-api.js';
import { submitClient } from './rescale-job-client.js';
import { decodeRescaleDetails } from './rescale-details.js';
import { coreTypePricesFrom, writeRescalePriceCache } from './rescale-price-cache.js';
import { findJobByName } from './rescale-list-jobs.js';

/**
 * Before the ledger row is written and before anything is uploaded or created: the key works on this platform
 * (its core types are listed), the core type exists there and takes this many cores per node. Each refusal says
 * what to change. The core types fetched are the platform's own, newer than dlrun's catalog.
 */
export async function preflightRescaleJob(plan: LaunchPlan, context: SubmitContext): Promise<void> {
  const details = decodeRescaleDetails(plan.details);
  const client = submitClient(plan, details.platform, context);
  const types = await fetchCoreTypes(client);
  rememberPrices(types, details.platform, context.home);
  const type = types.find((candidate) => candidate.code === details.coreType);
  if (!type) {
    const close = didYouMean(
      details.coreType,
      types.map((candidate) => candidate.code),
    );
    throw new DlrunError(
      `${details.platform} has no core type '${details.coreType}'${close ? `; did you mean '${close}'?` : ''}`,
      { hint: 'set backends.rescale.core_type to a code of `dlrun check --backend rescale`, or leave it out' },
    );
  }
  if (type.cores.length > 0 && !type.cores.includes(details.coresPerSlot)) {
    throw new DlrunError(
      `the core type '${type.code}' takes ${type.cores.join(', ')} cores per node, not ${details.coresPerSlot}`,
      { hint: `set backends.rescale.cores to one of ${type.cores.join(', ')}` },
    );
  }
  // The look-up submit makes first: a job of this id already there is launched by nobody else.
  await findJobByName(client, plan.jobId);
}

/**
 * The platform's own prices, kept in DLRUN_HOME with their date for the next quote (rescale-price-cache.ts); this
 * job keeps the price it was quoted. Best effort: a cache that cannot be written changes nothing else.
 */
function rememberPrices(types: readonly unknown[], platform: string, home: string): void {
  try {
    const now = new Date();
    const rows = coreTypePricesFrom(types, now, platform);
    if (rows.length > 0) writeRescalePriceCache(home, platform, rows, now);
  } catch {
    // A read-only home: quotes go on using the table in the repository.
  }
}
