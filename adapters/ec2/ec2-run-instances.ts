import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EC2Client, Instance, RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { ProviderError } from '../../src/base/errors.js';
import { aws, backoffMs } from './ec2-errors.js';
import { launchOf, ledgerInstances } from './ec2-instances.js';
import { awsSdk } from './ec2-sdk.js';

/** Attempts of one RunInstances, each with the same ClientToken; EC2 allows 2 a second after a burst of 5. */
const LAUNCH_ATTEMPTS = 4;
/** EC2 codes that say the request was refused as a whole: nothing was launched. */
const REFUSED = new Set(['RequestLimitExceeded', 'Unavailable', 'InsufficientInstanceCapacity']);

/**
 * RunInstances, idempotent even where the ClientToken is not honoured (a stand-in, a token EC2 forgot): after a
 * failure that may hide a launch (a lost answer, a 500), the job's instances of this launch are looked up by tag
 * before trying again, and the launch they show is the answer. When every attempt fails, the error says whether a
 * machine may exist: retryable (unsure: `dlrun status` settles it) or not (EC2 refused each time, and the
 * look-up found nothing).
 */
export async function runInstances(
  launcher: EC2Client,
  ec2: EC2Client,
  ledgerId: LedgerId,
  jobId: JobId,
  launch: string,
  request: RunInstancesCommandInput,
  doing: string,
): Promise<Instance[]> {
  const { ec2: sdk } = awsSdk();
  let refusedEveryTime = true;
  let lastError: unknown;
  for (let attempt = 1; attempt <= LAUNCH_ATTEMPTS; attempt++) {
    try {
      const answer = await aws(doing, () => launcher.send(new sdk.RunInstancesCommand(request)));
      return answer.Instances ?? [];
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.isRetryable) throw error;
      lastError = error;
      refusedEveryTime &&= REFUSED.has(error.providerCode ?? '');
    }
    const found = await launchedAs(ec2, ledgerId, jobId, launch);
    if (found === undefined) refusedEveryTime = false;
    else if (found.length) return found;
    if (attempt < LAUNCH_ATTEMPTS) await sleep(backoffMs(attempt, 250));
  }
  const error = lastError as ProviderError;
  if (!refusedEveryTime) throw error;
  throw new ProviderError(`${error.message}; no machine was started`, error.providerCode, {
    retryable: false,
    ...(error.hint ? { hint: error.hint } : {}),
    cause: error,
  });
}

/** The instances of one launch of the job, by tag; undefined when the look-up itself failed. */
async function launchedAs(
  ec2: EC2Client,
  ledgerId: LedgerId,
  jobId: JobId,
  launch: string,
): Promise<Instance[] | undefined> {
  try {
    const found = await ledgerInstances(ec2, ledgerId, [jobId]);
    return found.map(({ instance }) => instance).filter((instance) => launchOf(instance) === launch);
  } catch {
    return undefined;
  }
}
