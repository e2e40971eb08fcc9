import { DlrunError } from '../../src/base/errors.js';
import type { LaunchPlan, SubmitContext } from '../../src/backend/training-backend.js';
import { didYouMean } from '../../src/util/did-you-mean.js';
import { fetchCoreTypes } from './rescale-core-types-api.js';
import { submitClient } from './rescale-job-client.js';
import { decodeRescaleDetails } from './rescale-details.js';

/**
 * Before the ledger row is written and before anything is uploaded or created: the key works on this platform
 * (its core types are listed), the core type exists there and takes this many cores per node. Each refusal says
 * what to change. The core types fetched are the platform's own, newer than dlrun's catalog.
 */
export async function preflightRescaleJob(plan: LaunchPlan, context: SubmitContext): Promise<void> {
  const details = decodeRescaleDetails(plan.details);
  const client = submitClient(plan, details.platform, context);
  const types = await fetchCoreTypes(client, { cacheIn: context.home });
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
}
