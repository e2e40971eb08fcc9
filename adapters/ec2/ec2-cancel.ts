import type { EC2Client } from '@aws-sdk/client-ec2';
import { ProviderError } from '../../src/base/errors.js';
import type { BackendContext, JobHandle } from '../../src/backend/training-backend.js';
import { ec2Clients } from './ec2-clients.js';
import { deleteClusterNetwork } from './ec2-cluster.js';
import { decodeEc2Details } from './ec2-details.js';
import { aws } from './ec2-errors.js';
import { isEnded, ledgerInstances } from './ec2-instances.js';
import { nodeKeys } from './ec2-names.js';
import { awsSdk } from './ec2-sdk.js';

/**
 * An EC2 instance id as RunInstances gives it
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Instance.html).
 */
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/** The instance ids the ledger recorded for the job (`externalId`, comma-separated). */
function recordedInstanceIds(externalId: string | null): string[] {
  return (externalId ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => INSTANCE_ID.test(id));
}

/**
 * End an EC2 job: terminate every instance of it (never a mere stop: a stopped machine's disks still bill), delete
 * its secrets objects if a node never read them, and its placement and security groups once the instances are gone
 * (`dlrun gc` finishes that when they take longer). Its instances are the ones the ledger recorded and the ones its
 * tag finds (EC2 lists tags a moment after a launch, and a submit that died may not have recorded its machine).
 * Rejects, saying what was and was not done, when EC2 refused, could not be asked, or did not confirm that every
 * instance is shutting down: a cancel that stopped nothing never passes for one that did.
 */
export async function cancelEc2Job(handle: JobHandle, context: BackendContext): Promise<void> {
  const details = decodeEc2Details(handle.details, context);
  const { ec2, s3 } = ec2Clients(details.region, context);
  const recorded = recordedInstanceIds(handle.externalId);
  let searchFailure: unknown;
  const tagged = await ledgerInstances(ec2, context.ledgerId, [handle.jobId]).catch((error: unknown) => {
    searchFailure = error;
    return [];
  });
  if (searchFailure !== undefined && recorded.length === 0) throw searchFailure;
  const ended = new Set(tagged.filter(({ instance }) => isEnded(instance)).map(({ instance }) => instance.InstanceId!));
  const live = tagged.filter(({ instance }) => !isEnded(instance)).map(({ instance }) => instance.InstanceId!);
  const targets = [...new Set([...live, ...recorded.filter((id) => !ended.has(id))])];
  const stopped = targets.length ? await terminate(ec2, targets) : [];
  const { s3: s3Sdk } = awsSdk();
  for (let rank = 0; rank < details.nodes; rank++) {
    // Best effort: an unread secrets object is unreachable once its URL's boot window is over, and gc removes it.
    await s3
      .send(
        new s3Sdk.DeleteObjectCommand({
          Bucket: details.bucket,
          Key: nodeKeys(context.ledgerId, handle.jobId, rank).secrets,
        }),
      )
      .catch(() => undefined);
  }
  if (details.nodes > 1) await deleteClusterNetwork(ec2, handle.jobId);
  if (searchFailure !== undefined) {
    const cause = searchFailure as { message?: string; hint?: string };
    const done = stopped.length
      ? `${stopped.join(', ')} (the machines the ledger recorded) ${stopped.length === 1 ? 'is' : 'are'} shutting down`
      : 'the machines the ledger recorded had ended already';
    throw new ProviderError(
      `${done}, but other machines of job ${handle.jobId} could not be looked for: ` +
        `${cause.message ?? String(searchFailure)}`,
      undefined,
      {
        hint: `run 'dlrun cancel ${handle.jobId}' again${cause.hint ? `; ${cause.hint}` : ''}`,
        cause: searchFailure,
      },
    );
  }
}

/**
 * TerminateInstances, confirmed: resolves with the ids EC2 says are shutting down or terminated, and rejects when it
 * refused or left one in another state. Recorded ids EC2 no longer knows (terminated long ago) are left out.
 */
async function terminate(ec2: EC2Client, ids: readonly string[]): Promise<string[]> {
  const { ec2: sdk } = awsSdk();
  let remaining = [...ids];
  for (;;) {
    try {
      const answer = await aws(`terminating ${remaining.join(', ')}`, () =>
        ec2.send(new sdk.TerminateInstancesCommand({ InstanceIds: remaining })),
      );
      const notEnding = (answer.TerminatingInstances ?? []).filter(
        (change) => !['shutting-down', 'terminated'].includes(change.CurrentState?.Name ?? ''),
      );
      if (notEnding.length) {
        throw new ProviderError(
          `EC2 did not stop ${notEnding
            .map((change) => `${change.InstanceId} (${change.CurrentState?.Name ?? 'state unknown'})`)
            .join(', ')}`,
          undefined,
          {
            hint: 'look at the instance in the EC2 console (termination protection?) and run dlrun cancel again',
          },
        );
      }
      return remaining;
    } catch (error) {
      // One unknown id fails the whole request; EC2 names the unknown ones.
      if (!(error instanceof ProviderError) || error.providerCode !== 'InvalidInstanceID.NotFound') throw error;
      const unknown = new Set(
        String((error.cause as { message?: string } | undefined)?.message ?? '').match(/i-[0-9a-f]{8,17}/g) ?? [],
      );
      const known = remaining.filter((id) => !unknown.has(id));
      if (known.length === remaining.length) throw error;
      if (known.length === 0) return [];
      remaining = known;
    }
  }
}
