import { DlrunError } from '../../src/base/errors.js';
import type { LineItem } from '../../src/cost/bill.js';
import { secondsInMonth, monthsSpanned } from '../../src/cost/month-proration.js';
import { billedSeconds, roundUsd } from '../../src/cost/price-snapshot.js';
import { spotCostUsd, type SpotPriceRow } from './ec2-spot-price.js';

/**
 * EC2's published billing rules (providers.md 1.7) as pure functions: what a job's instances and volumes cost
 * given how long each instance spent in `running`, how it ended, how long each volume existed, and the prices
 * in force at launch. No I/O: the caller gathers the intervals, state reasons and spot price rows.
 */

/** Per second, at least 60 s for every stretch in `running` (each transition into running starts a new minimum). */
export const EC2_BILLING = { billing_increment_s: 1, minimum_billed_s: 60 } as const;

/**
 * StateReason codes by which EC2 itself ends a spot instance: terminated, or stopped under the `stop`
 * interruption behaviour. A spot instance ended so within its first hour is not charged (providers.md 1.4).
 */
const SPOT_INTERRUPTION_CODES: readonly string[] = ['Server.SpotInstanceTermination', 'Server.SpotInstanceShutdown'];

/** Running seconds up to which an EC2-interrupted spot instance is free. */
export const SPOT_FREE_INTERRUPTION_S = 3600;

/** One stretch an instance spent in `running`: from a transition into running to the transition out of it. */
export interface RunningInterval {
  /** ISO 8601. */
  readonly start: string;
  /** ISO 8601; absent while the instance is still running, and the bill then runs to `now`. */
  readonly end?: string;
}

/** One instance of a job (a multi-node job has several) as the bill needs it. */
export interface Ec2InstanceUsage {
  readonly instance_id: string;
  readonly instance_type: string;
  /** DescribeInstances' InstanceLifecycle ('spot'), or on-demand when AWS leaves it out. */
  readonly lifecycle: 'on-demand' | 'spot';
  /** Spot prices are per availability zone, so a spot instance needs its zone. */
  readonly availability_zone?: string;
  /** Every stretch in `running`, in order. */
  readonly running: readonly RunningInterval[];
  /**
   * StateReason.Code of the instance's last transition, e.g.
   * Server.SpotInstanceTermination or Client.UserInitiatedShutdown.
   */
  readonly state_reason_code?: string;
}

/** One EBS volume of a job (root or extra): billed for as long as it exists, whatever its instance's state. */
export interface Ec2VolumeUsage {
  readonly volume_id: string;
  readonly volume_type: string;
  /** Provisioned size in GiB (which AWS bills as GB). */
  readonly size_gib: number;
  /** ISO 8601. */
  readonly created: string;
  /** ISO 8601; absent while the volume still exists. */
  readonly deleted?: string;
  /** The instance it belongs to, for the line item. */
  readonly instance_id?: string;
  readonly root?: boolean;
}

/** The prices in force when the job launched, stored with it so later price changes never rewrite its bill. */
export interface Ec2LaunchPrices {
  /** On-demand USD per hour by instance type. */
  readonly on_demand_usd_per_hour: Readonly<Record<string, number>>;
  /** USD per GB-month by volume type (gp3, gp2). */
  readonly volume_usd_per_gb_month: Readonly<Record<string, number>>;
}

export interface Ec2JobUsage {
  readonly instances: readonly Ec2InstanceUsage[];
  readonly volumes: readonly Ec2VolumeUsage[];
  readonly prices: Ec2LaunchPrices;
  /** DescribeSpotPriceHistory rows covering the spot instances' run windows; needed only when a spot instance ran. */
  readonly spot_price_history?: readonly SpotPriceRow[];
}

/** What the EC2 adapter reads from AWS once a job has ended, for its bill (`TrainingBackend.billingFacts`). */
export interface Ec2BillingFacts {
  readonly kind: 'ec2-billing-facts';
  /** Every instance of the job, with its own running stretch, zone and end reason. */
  readonly instances: readonly Ec2InstanceUsage[];
  /** DescribeSpotPriceHistory rows from before each spot instance started to its end (empty without spot). */
  readonly spot_price_history: readonly SpotPriceRow[];
}

export function isEc2BillingFacts(value: unknown): value is Ec2BillingFacts {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'ec2-billing-facts' &&
    Array.isArray((value as Ec2BillingFacts).instances)
  );
}

/** A job's EC2 bill: one line per instance and per volume, as `bill --json` prints them, and the totals. */
interface Ec2Bill {
  readonly line_items: readonly LineItem[];
  readonly instance_usd: number;
  readonly volume_usd: number;
  readonly total_usd: number;
  /** Instance seconds billed, summed over instances, each running stretch counted at least 60 s. */
  readonly billed_instance_s: number;
}

/** The bill of an EC2 job under EC2's rules; `now` ends intervals and volumes that are still open. */
export function ec2Bill(usage: Ec2JobUsage, now: Date): Ec2Bill {
  const instances = usage.instances.map((instance) =>
    instanceCharge(instance, usage.prices, usage.spot_price_history ?? [], now),
  );
  const volumes = usage.volumes.map((volume) => volumeLineItem(volume, usage.prices, now));
  const instanceUsd = roundUsd(instances.reduce((sum, charge) => sum + charge.item.total_usd, 0));
  const volumeUsd = roundUsd(volumes.reduce((sum, item) => sum + item.total_usd, 0));
  return {
    line_items: [...instances.map((charge) => charge.item), ...volumes],
    instance_usd: instanceUsd,
    volume_usd: volumeUsd,
    total_usd: roundUsd(instanceUsd + volumeUsd),
    billed_instance_s: instances.reduce((sum, charge) => sum + charge.billed_s, 0),
  };
}

/** Seconds billed for one stretch in `running`: whole seconds, at least 60. */
export function billedIntervalSeconds(interval: RunningInterval, now: Date): number {
  const { fromMs, toMs } = intervalBounds(interval, now);
  return billedSeconds((toMs - fromMs) / 1000, EC2_BILLING);
}

/** Seconds an instance spent in `running`, all stretches together, before any minimum. */
function runningSeconds(instance: Pick<Ec2InstanceUsage, 'running'>, now: Date): number {
  return instance.running.reduce((sum, interval) => {
    const { fromMs, toMs } = intervalBounds(interval, now);
    return sum + Math.max(0, toMs - fromMs) / 1000;
  }, 0);
}

/**
 * True when EC2's no-charge rule covers the instance: a spot instance that EC2 itself interrupted (not one the
 * user stopped or terminated, or shut down from inside) before it had run for an hour.
 */
export function isFreeSpotInterruption(instance: Ec2InstanceUsage, now: Date): boolean {
  return (
    instance.lifecycle === 'spot' &&
    instance.state_reason_code !== undefined &&
    SPOT_INTERRUPTION_CODES.includes(instance.state_reason_code) &&
    runningSeconds(instance, now) <= SPOT_FREE_INTERRUPTION_S
  );
}

/** One instance's line: its billed hours at the on-demand rate, or at the spot prices over its run window. */
export function instanceLineItem(
  instance: Ec2InstanceUsage,
  prices: Ec2LaunchPrices,
  spotRows: readonly SpotPriceRow[],
  now: Date,
): LineItem {
  return instanceCharge(instance, prices, spotRows, now).item;
}

/** One volume's line: GiB x months it existed (at least 60 s), each month prorated by its own length. */
export function volumeLineItem(volume: Ec2VolumeUsage, prices: Ec2LaunchPrices, now: Date): LineItem {
  const price = prices.volume_usd_per_gb_month[volume.volume_type];
  if (price === undefined) throw missingPrice(`${volume.volume_type} volumes`);
  const fromMs = Date.parse(volume.created);
  const toMs = volume.deleted === undefined ? now.getTime() : Date.parse(volume.deleted);
  const billed = billedSeconds((toMs - fromMs) / 1000, EC2_BILLING);
  const gbMonths = volume.size_gib * monthsSpanned(fromMs, fromMs + billed * 1000);
  const role = volume.root
    ? `root of ${volume.instance_id ?? 'its instance'}`
    : volume.instance_id
      ? `on ${volume.instance_id}`
      : 'unattached';
  return {
    item: `${volume.volume_id} (${volume.volume_type}, ${volume.size_gib} GiB, ${role})`,
    quantity: roundToMillionths(gbMonths),
    unit: 'GB-month',
    unit_price_usd: price,
    total_usd: roundUsd(gbMonths * price),
  };
}

/**
 * The hourly rate a quote uses for `nodes` instances and their root volumes. A GB-month is prorated over the
 * month `at` falls in, so the same volume costs a little more per hour in February than in March.
 */
export function ec2RatePerHour(
  rate: {
    readonly instance_usd_per_hour: number;
    readonly nodes: number;
    readonly root_volume_gib?: number;
    readonly volume_usd_per_gb_month?: number;
  },
  at: Date,
): number {
  const volumePerHour =
    rate.root_volume_gib !== undefined && rate.volume_usd_per_gb_month !== undefined
      ? (rate.root_volume_gib * rate.volume_usd_per_gb_month * 3600) / secondsInMonth(at)
      : 0;
  return roundToMillionths(rate.nodes * (rate.instance_usd_per_hour + volumePerHour));
}

function instanceCharge(
  instance: Ec2InstanceUsage,
  prices: Ec2LaunchPrices,
  spotRows: readonly SpotPriceRow[],
  now: Date,
): { item: LineItem; billed_s: number } {
  const secondsBilled = instance.running.reduce((sum, interval) => sum + billedIntervalSeconds(interval, now), 0);
  const hours = secondsBilled / 3600;
  const label = `${instance.instance_id} (${instance.instance_type}, ${instance.lifecycle})`;
  if (isFreeSpotInterruption(instance, now)) {
    const item = `${label}: interrupted by EC2 (${instance.state_reason_code}) within its first hour, not charged`;
    return {
      item: { item, quantity: roundToMillionths(hours), unit: 'hour', unit_price_usd: 0, total_usd: 0 },
      billed_s: secondsBilled,
    };
  }
  const usd = instance.lifecycle === 'spot' ? spotUsd(instance, spotRows, now) : onDemandUsd(instance, prices, hours);
  const unitPrice =
    instance.lifecycle === 'spot'
      ? hours > 0
        ? roundToMillionths(usd / hours)
        : 0
      : prices.on_demand_usd_per_hour[instance.instance_type]!;
  return {
    item: {
      item: label,
      quantity: roundToMillionths(hours),
      unit: 'hour',
      unit_price_usd: unitPrice,
      total_usd: roundUsd(usd),
    },
    billed_s: secondsBilled,
  };
}

function onDemandUsd(instance: Ec2InstanceUsage, prices: Ec2LaunchPrices, hours: number): number {
  const rate = prices.on_demand_usd_per_hour[instance.instance_type];
  if (rate === undefined) throw missingPrice(instance.instance_type);
  return hours * rate;
}

/**
 * Each stretch priced over its billed length from its start, so a minimum-length stretch pays the price then in force.
 */
function spotUsd(instance: Ec2InstanceUsage, spotRows: readonly SpotPriceRow[], now: Date): number {
  const zone = instance.availability_zone;
  if (zone === undefined) {
    throw new DlrunError(
      `spot instance ${instance.instance_id} has no availability zone, and spot prices are per zone`,
      { audience: 'internal' },
    );
  }
  return instance.running.reduce((sum, interval) => {
    const { fromMs } = intervalBounds(interval, now);
    const toMs = fromMs + billedIntervalSeconds(interval, now) * 1000;
    return sum + spotCostUsd(spotRows, instance.instance_type, zone, fromMs, toMs);
  }, 0);
}

function intervalBounds(interval: RunningInterval, now: Date): { fromMs: number; toMs: number } {
  return {
    fromMs: Date.parse(interval.start),
    toMs: interval.end === undefined ? now.getTime() : Date.parse(interval.end),
  };
}

function missingPrice(what: string): DlrunError {
  // The prices come from the snapshot stored at launch, which always holds the job's own types: a gap is a bug.
  return new DlrunError(`the prices stored with this job have none for ${what}`, { audience: 'internal' });
}

/**
 * Rates and quantities keep six decimals: the Price List's own precision (p4d.24xlarge is $21.957642/h); four would
 * change published figures.
 */
function roundToMillionths(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
