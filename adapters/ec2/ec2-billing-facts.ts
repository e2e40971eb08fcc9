import type { EC2Client, Instance } from '@aws-sdk/client-ec2';
import type { BackendContext, JobHandle } from '../../src/backend/training-backend.js';
import type { Ec2BillingFacts, Ec2InstanceUsage } from './ec2-billing.js';
import type { SpotPriceRow } from './ec2-spot-price.js';
import { ec2Clients } from './ec2-clients.js';
import { decodeEc2Details } from './ec2-details.js';
import { aws } from './ec2-errors.js';
import { isEnded, ledgerInstances, rankOf } from './ec2-instances.js';
import { terminationTime } from './ec2-map-state.js';
import { awsSdk } from './ec2-sdk.js';

/** A spot instance type in one zone, over the time its instances ran. */
interface SpotWindow {
  readonly instance_type: string;
  readonly availability_zone: string;
  readonly start: string;
  readonly end: string;
}

/** Spot prices of Linux instances in a VPC, which is every instance dlrun launches. */
const PRODUCT = 'Linux/UNIX';

/**
 * What the bill of an ended EC2 job needs from AWS: each instance's own running stretch (its launch time to the
 * termination time EC2 writes in StateTransitionReason), zone, lifecycle and end reason, and for spot instances
 * the spot price history over their run. Undefined when EC2 no longer lists the job's instances (they stay listed
 * for about an hour after termination): the bill then uses the ledger's times.
 */
export async function ec2BillingFacts(
  handle: JobHandle,
  context: BackendContext,
): Promise<Ec2BillingFacts | undefined> {
  const details = decodeEc2Details(handle.details, context);
  const { ec2 } = ec2Clients(details.region, context);
  const found = (await ledgerInstances(ec2, context.ledgerId, [handle.jobId])).map(({ instance }) => instance);
  return billingFactsOf(ec2, found);
}

/** The facts from the job's instances as DescribeInstances listed them (ec2-status.ts passes what it read). */
export async function billingFactsOf(
  ec2: EC2Client,
  listed: readonly Instance[],
): Promise<Ec2BillingFacts | undefined> {
  const found = [...listed].sort((a, b) => rankOf(a) - rankOf(b));
  if (found.length === 0 || found.some((instance) => !instance.LaunchTime)) return undefined;
  const instances = found.map(usageOf);
  // One history per type and zone, over the widest run among its instances: the nodes of a job share both.
  const windows = new Map<string, SpotWindow>();
  for (const usage of instances.filter((candidate) => candidate.lifecycle === 'spot' && candidate.availability_zone)) {
    const start = usage.running[0]!.start;
    const end = usage.running.at(-1)?.end ?? new Date().toISOString();
    const key = `${usage.instance_type} ${usage.availability_zone}`;
    const known = windows.get(key);
    windows.set(key, {
      instance_type: usage.instance_type,
      availability_zone: usage.availability_zone!,
      start: known && known.start < start ? known.start : start,
      end: known && known.end > end ? known.end : end,
    });
  }
  const spotPriceHistory: SpotPriceRow[] = [];
  for (const window of windows.values()) spotPriceHistory.push(...(await spotPrices(ec2, window)));
  return { kind: 'ec2-billing-facts', instances, spot_price_history: spotPriceHistory };
}

function usageOf(instance: Instance): Ec2InstanceUsage {
  const ended = isEnded(instance) ? endOf(instance) : undefined;
  return {
    instance_id: instance.InstanceId!,
    instance_type: instance.InstanceType!,
    lifecycle: instance.InstanceLifecycle === 'spot' ? 'spot' : 'on-demand',
    ...(instance.Placement?.AvailabilityZone ? { availability_zone: instance.Placement.AvailabilityZone } : {}),
    // EC2 bills from `running`; the launch time is the closest moment DescribeInstances gives, seconds earlier.
    running: [{ start: instance.LaunchTime!.toISOString(), ...(ended ? { end: ended } : {}) }],
    ...(instance.StateReason?.Code ? { state_reason_code: instance.StateReason.Code } : {}),
  };
}

/** The spot price rows of a type and zone from `start` (AWS includes the row in force then) to `end`. */
async function spotPrices(ec2: EC2Client, window: SpotWindow): Promise<SpotPriceRow[]> {
  const { ec2: sdk } = awsSdk();
  const rows: SpotPriceRow[] = [];
  const { instance_type: instanceType, availability_zone: zone, start, end } = window;
  let token: string | undefined;
  do {
    const page = await aws(`reading the spot price history of ${instanceType}`, () =>
      ec2.send(
        new sdk.DescribeSpotPriceHistoryCommand({
          InstanceTypes: [instanceType as never],
          AvailabilityZone: zone,
          ProductDescriptions: [PRODUCT],
          StartTime: new Date(start),
          EndTime: new Date(end),
          MaxResults: 1000,
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    for (const row of page.SpotPriceHistory ?? []) {
      if (row.SpotPrice && row.Timestamp && row.AvailabilityZone && row.InstanceType) {
        rows.push({
          availability_zone: row.AvailabilityZone,
          instance_type: row.InstanceType,
          spot_price_usd: Number(row.SpotPrice),
          timestamp: row.Timestamp.toISOString(),
        });
      }
    }
    token = page.NextToken || undefined;
  } while (token);
  return rows;
}

/**
 * When the instance stopped running: the termination time EC2 writes, to the second. An instance whose job ran
 * within the second it was launched would otherwise show no time at all, and escape the 60-second minimum it
 * is billed; its end is taken one second after its launch.
 */
function endOf(instance: Instance): string | undefined {
  const terminated = terminationTime(instance);
  if (!terminated) return undefined;
  const atLeast = instance.LaunchTime!.getTime() + 1000;
  return Date.parse(terminated) >= atLeast ? terminated : new Date(atLeast).toISOString();
}
