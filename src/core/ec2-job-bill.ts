import type { LineItem } from '../cost/bill.js';
import { ec2Bill, type Ec2InstanceUsage, type Ec2VolumeUsage } from '../cost/ec2-billing.js';
import { ec2LaunchPrices, type Ec2PriceBasis } from '../cost/ec2-price-basis.js';
import type { StoredJob } from '../ledger/ledger.js';

export interface Ec2JobCharges {
  readonly line_items: readonly LineItem[];
  readonly total_usd: number;
  readonly billed_s: number;
  /** What the figure assumes, added to the bill's price source. */
  readonly note: string | undefined;
}

/**
 * An EC2 job's charges under EC2's rules, one line per instance and per root volume: each node ran from when the job
 * left the queue to its end (dlrun records the job, not each node's own seconds), with the 60-second minimum per
 * instance. A spot job that EC2 took back within its first hour costs nothing; otherwise spot is billed at the
 * on-demand rate, the most it can cost (`bill --reconcile` adds AWS's own figure).
 */
export function ec2JobCharges(job: StoredJob, basis: Ec2PriceBasis, now: Date): Ec2JobCharges | undefined {
  if (!job.startedAt) return undefined;
  const end = job.endedAt ?? now.toISOString();
  const instanceIds = (job.externalId ?? '').split(',').filter(Boolean);
  const spot = job.providerDetails?.['spot'] === true;
  const preempted = job.state === 'preempted';
  const instances: Ec2InstanceUsage[] = Array.from({ length: basis.nodes }, (_, rank) => ({
    instance_id: instanceIds[rank] ?? `node ${rank}`,
    instance_type: basis.instance_type,
    // Without the spot price history dlrun bills spot at on-demand, except where EC2's own rule makes it free.
    lifecycle: spot && preempted ? 'spot' : 'on-demand',
    running: [{ start: job.startedAt!, end }],
    ...(spot && preempted ? { state_reason_code: 'Server.SpotInstanceTermination' } : {}),
  }));
  const volumes: Ec2VolumeUsage[] = basis.root_volume
    ? instances.map((instance) => ({ volume_id: 'root volume', volume_type: basis.root_volume!.volume_type, size_gib: basis.root_volume!.size_gib, created: job.startedAt!, deleted: end, instance_id: instance.instance_id, root: true }))
    : [];
  const preemptedLate = spot && preempted && instances.some((instance) => Date.parse(end) - Date.parse(instance.running[0]!.start) > 3_600_000);
  const bill = ec2Bill({ instances: preemptedLate ? instances.map((instance) => ({ ...instance, lifecycle: 'on-demand' as const })) : instances, volumes, prices: ec2LaunchPrices(basis) }, now);
  return {
    line_items: bill.line_items,
    total_usd: bill.total_usd,
    billed_s: bill.billed_instance_s,
    note: spot && !(preempted && !preemptedLate) ? 'spot billed at the on-demand rate, the most it can cost; bill --reconcile adds AWS\'s figure' : undefined,
  };
}
