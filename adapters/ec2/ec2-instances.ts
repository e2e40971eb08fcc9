import { type JobId, type LedgerId, asJobIdOrNull } from '../../src/backend/job-id.js';
import type { EC2Client, Instance } from '@aws-sdk/client-ec2';
import { JOB_ID_TAG, LEDGER_TAG } from '../../src/backend/tags.js';
import { aws } from './ec2-errors.js';
import { awsSdk } from './ec2-sdk.js';

/** An instance of one of this ledger's jobs, as DescribeInstances reports it. */
interface JobInstance {
  readonly jobId: JobId;
  readonly instance: Instance;
}

/**
 * The largest page DescribeInstances allows (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-pagination.html).
 */
const PAGE_SIZE = 1000;

/**
 * Every instance carrying this ledger's tag (and, when given, one of these job ids), in as few DescribeInstances
 * calls as the API allows: a tag filter and pages of 1,000, never one call per job. Terminated instances stay listed
 * for about an hour; those are how a finished job's end is seen.
 */
export async function ledgerInstances(
  ec2: EC2Client,
  ledgerId: LedgerId,
  jobIds?: readonly string[],
): Promise<JobInstance[]> {
  const { ec2: sdk } = awsSdk();
  const filters: { Name: string; Values: string[] }[] = [{ Name: `tag:${LEDGER_TAG}`, Values: [ledgerId] }];
  // A filter takes at most 200 values; more jobs than that are found by the ledger tag alone.
  if (jobIds && jobIds.length <= 200) filters.push({ Name: `tag:${JOB_ID_TAG}`, Values: [...jobIds] });
  const found: JobInstance[] = [];
  let token: string | undefined;
  do {
    const page = await aws("listing the job's EC2 instances", () =>
      ec2.send(
        new sdk.DescribeInstancesCommand({
          Filters: filters,
          MaxResults: PAGE_SIZE,
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        const jobId = asJobIdOrNull(instance.Tags?.find((tag) => tag.Key === JOB_ID_TAG)?.Value);
        if (jobId && (!jobIds || jobIds.includes(jobId))) found.push({ jobId, instance });
      }
    }
    token = page.NextToken;
  } while (token);
  return found;
}

/**
 * The instance's state, from the low byte of its code
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceState.html).
 */
export function stateName(instance: Instance): string {
  const byCode: Readonly<Record<number, string>> = {
    0: 'pending',
    16: 'running',
    32: 'shutting-down',
    48: 'terminated',
    64: 'stopping',
    80: 'stopped',
  };
  const code = instance.State?.Code;
  return (code === undefined ? undefined : byCode[code & 0xff]) ?? instance.State?.Name ?? 'unknown';
}

/** True once the instance is shutting down or gone: it runs nothing any more, and is billed no further. */
export function isEnded(instance: Instance): boolean {
  const state = stateName(instance);
  return state === 'shutting-down' || state === 'terminated';
}

/** Which of the job's launches started an instance (node 0 alone, then the workers): the tag's key. */
export const LAUNCH_TAG = 'dlrun-launch';

/** The launch an instance belongs to, from the tag dlrun put on it. */
export function launchOf(instance: Instance): string | undefined {
  return instance.Tags?.find((tag) => tag.Key === LAUNCH_TAG)?.Value;
}

/** The job's node rank of an instance, from the tag dlrun put on it at launch. */
export function rankOf(instance: Instance): number {
  return launchOf(instance) === 'workers' ? 1 + (instance.AmiLaunchIndex ?? 0) : 0;
}
