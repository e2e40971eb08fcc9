import { RunInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { asJobId, type JobId, type LedgerId } from '../../src/backend/job-id.js';
import { JOB_ID_TAG, LEDGER_TAG } from '../../src/backend/tags.js';
import { TEST_IMAGE } from './test-clients.js';

/** One job's leader instance, launched as ec2-launch.ts launches node 0. */
export interface FleetJob {
  readonly jobId: JobId;
  readonly instanceId: string;
}

export interface FleetOptions {
  readonly ledgerId: LedgerId;
  readonly jobIds: readonly JobId[];
  /**
   * RunInstances calls in flight at once; moto answers one at a time (about 11 ms each here), so more
   * does not help.
   */
  readonly concurrency?: number;
}

/**
 * Launch one instance per job, tagged exactly as ec2-launch.ts tags node 0 (job id, ledger, `dlrun-launch`, Name).
 * Tags are per request, so each job needs its own RunInstances (MinCount/MaxCount would give N instances one job
 * id); the calls run a few at a time. Returns the instance of each job, in the order of `jobIds`.
 */
export async function launchFleet(ec2: EC2Client, options: FleetOptions): Promise<FleetJob[]> {
  const launched: FleetJob[] = new Array(options.jobIds.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.jobIds.length) {
      const index = next++;
      const jobId = options.jobIds[index]!;
      const [instance] = await launchTagged(ec2, options.ledgerId, jobId);
      launched[index] = { jobId, instanceId: instance!.InstanceId! };
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return launched;
}

async function launchTagged(ec2: EC2Client, ledgerId: LedgerId, jobId: JobId): Promise<Instance[]> {
  const tags = [
    { Key: JOB_ID_TAG, Value: jobId },
    { Key: LEDGER_TAG, Value: ledgerId },
    { Key: 'dlrun-launch', Value: 'node-0' },
    { Key: 'Name', Value: `dlrun ${jobId}` },
  ];
  const answer = await ec2.send(
    new RunInstancesCommand({
      ImageId: TEST_IMAGE,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      InstanceInitiatedShutdownBehavior: 'terminate',
      TagSpecifications: [
        { ResourceType: 'instance', Tags: tags },
        { ResourceType: 'volume', Tags: tags },
      ],
    }),
  );
  return answer.Instances ?? [];
}

/** Job ids of the real shape (name-yyyymmdd-hhmm-xxxx), numbered so a failure names the job. */
export function fleetJobIds(count: number, name = 'sweep'): JobId[] {
  return Array.from({ length: count }, (_, index) =>
    asJobId(`${name}-20261126-0800-${index.toString(16).padStart(4, '0')}`),
  );
}
