import type { ChargedJob, JobCharges } from '../../src/cost/backend-pricing.js';
import {
  ec2Bill,
  isEc2BillingFacts,
  SPOT_FREE_INTERRUPTION_S,
  type Ec2BillingFacts,
  type Ec2InstanceUsage,
  type Ec2VolumeUsage,
} from './ec2-billing.js';
import { ec2SpotOf } from './ec2-details.js';
import { ec2LaunchPrices, type Ec2PriceBasis } from './ec2-price-basis.js';
import type { SpotPriceRow } from './ec2-spot-price.js';

const ON_DEMAND_FOR_SPOT =
  "spot billed at the on-demand rate, the most it can cost; bill --reconcile adds AWS's figure";

/**
 * An EC2 job's charges under EC2's rules, one line per instance and per root volume, with the 60-second minimum per
 * instance and spot instances EC2 took back within their first hour free. With the facts the adapter read from
 * AWS once the job ended (`facts`), each instance is billed for its own running time, and spot at the spot prices
 * over its run window. Without them (a job still running, or AWS unreachable), every node is counted from when the
 * job left the queue to its end, and spot at the on-demand rate, the most it can cost.
 */
export function ec2JobCharges(
  job: ChargedJob,
  basis: Ec2PriceBasis,
  now: Date,
  facts?: unknown,
): JobCharges | undefined {
  if (isEc2BillingFacts(facts) && facts.instances.length > 0) return chargesFromFacts(basis, now, facts);
  if (!job.startedAt) return undefined;
  const end = job.endedAt ?? now.toISOString();
  const instanceIds = (job.externalId ?? '').split(',').filter(Boolean);
  const spot = ec2SpotOf(job.providerDetails);
  const preempted = job.state === 'preempted';
  const preemptedEarly =
    spot && preempted && Date.parse(end) - Date.parse(job.startedAt) <= SPOT_FREE_INTERRUPTION_S * 1000;
  const instances: Ec2InstanceUsage[] = Array.from({ length: basis.nodes }, (_, rank) => ({
    instance_id: instanceIds[rank] ?? `node ${rank}`,
    instance_type: basis.instance_type,
    lifecycle: preemptedEarly ? 'spot' : 'on-demand',
    running: [{ start: job.startedAt!, end }],
    ...(preemptedEarly ? { state_reason_code: 'Server.SpotInstanceTermination' } : {}),
  }));
  const bill = ec2Bill({ instances, volumes: rootVolumes(basis, instances, end), prices: ec2LaunchPrices(basis) }, now);
  return {
    line_items: bill.line_items,
    total_usd: bill.total_usd,
    billed_s: bill.billed_instance_s,
    note: spot && !preemptedEarly ? ON_DEMAND_FOR_SPOT : undefined,
  };
}

function chargesFromFacts(basis: Ec2PriceBasis, now: Date, facts: Ec2BillingFacts): JobCharges {
  let unpricedSpot = false;
  const instances = facts.instances.map((instance): Ec2InstanceUsage => {
    if (instance.lifecycle !== 'spot' || spotPriceKnown(facts.spot_price_history, instance)) return instance;
    // No spot price in force at the start (history not readable): the most it can cost, said in the note.
    unpricedSpot = true;
    return { ...instance, lifecycle: 'on-demand' };
  });
  const bill = ec2Bill(
    {
      instances,
      volumes: rootVolumes(basis, instances),
      prices: ec2LaunchPrices(basis),
      spot_price_history: facts.spot_price_history,
    },
    now,
  );
  const spotPriced = instances.some((instance) => instance.lifecycle === 'spot');
  return {
    line_items: bill.line_items,
    total_usd: bill.total_usd,
    billed_s: bill.billed_instance_s,
    note: unpricedSpot
      ? ON_DEMAND_FOR_SPOT
      : spotPriced
        ? "spot at EC2's spot price history over the run (DescribeSpotPriceHistory)"
        : undefined,
  };
}

/** A root volume per instance when the job asked for one, existing while its instance did (DeleteOnTermination). */
function rootVolumes(
  basis: Ec2PriceBasis,
  instances: readonly Ec2InstanceUsage[],
  fallbackEnd?: string,
): Ec2VolumeUsage[] {
  const root = basis.root_volume;
  if (!root) return [];
  return instances.map((instance) => {
    const first = instance.running[0];
    const end = instance.running.at(-1)?.end ?? fallbackEnd;
    return {
      volume_id: 'root volume',
      volume_type: root.volume_type,
      size_gib: root.size_gib,
      created: first?.start ?? new Date(0).toISOString(),
      ...(end ? { deleted: end } : {}),
      instance_id: instance.instance_id,
      root: true,
    };
  });
}

function spotPriceKnown(rows: readonly SpotPriceRow[], instance: Ec2InstanceUsage): boolean {
  const start = instance.running[0]?.start;
  if (!start || !instance.availability_zone) return false;
  return rows.some(
    (row) =>
      row.instance_type === instance.instance_type &&
      row.availability_zone === instance.availability_zone &&
      Date.parse(row.timestamp) <= Date.parse(start),
  );
}
