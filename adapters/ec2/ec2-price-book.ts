import { isAwsRegion } from '../../src/cost/catalogs/aws-regions.js';
import { findEc2InstanceType } from '../../src/cost/catalogs/ec2-instance-types.js';
import {
  EC2_ON_DEMAND_PRICES,
  findEbsVolumePrice,
  findEc2OnDemandPrice,
  type EbsVolumePrice,
  type Ec2OnDemandPrice,
} from '../../src/cost/catalogs/ec2-price-catalog.js';
import type { RefreshedPrices } from '../../src/cost/price-refresh.js';
import type { JsonValue } from '../../src/cost/price-snapshot.js';

/**
 * The EC2 prices a quote reads: the rows of the newest price snapshot (`dlrun prices refresh`, read from the Price
 * List API) where it has one, else the repository's catalog (src/cost/catalogs/). Offline: no SDK.
 */
export interface Ec2PriceBook {
  onDemand(region: string, instanceType: string): Ec2OnDemandPrice | undefined;
  volume(region: string, volumeType: 'gp3' | 'gp2'): EbsVolumePrice | undefined;
  /** Regions with any on-demand price, sorted. */
  pricedRegions(): string[];
  /** True when a row came from the snapshot rather than the repository. */
  fromSnapshot(row: object): boolean;
  readonly snapshot: RefreshedPrices | undefined;
}

/** A snapshot row: an instance type's on-demand price, or a volume type's storage price. */
type SnapshotRow = (Ec2OnDemandPrice & { readonly kind: 'instance' }) | (EbsVolumePrice & { readonly kind: 'volume' });

const key = (region: string, name: string): string => `${region} ${name}`;

export function ec2PriceBook(refreshed?: RefreshedPrices): Ec2PriceBook {
  // Checked again here: a caller may hand rows that did not come through snapshotRows.
  const rows = (refreshed?.rows ?? []).flatMap((row) => checkedRow(row) ?? []);
  const onDemand = new Map<string, Ec2OnDemandPrice>();
  const volumes = new Map<string, EbsVolumePrice>();
  for (const row of rows) {
    if (row.kind === 'instance') onDemand.set(key(row.region, row.instance_type), row);
    else volumes.set(key(row.region, row.volume_type), row);
  }
  const fetched = new Set<object>([...onDemand.values(), ...volumes.values()]);
  const regions = [...new Set([...EC2_ON_DEMAND_PRICES, ...onDemand.values()].map((row) => row.region))].sort();
  return {
    onDemand: (region, type) => onDemand.get(key(region, type)) ?? findEc2OnDemandPrice(region, type),
    volume: (region, type) => volumes.get(key(region, type)) ?? findEbsVolumePrice(region, type),
    pricedRegions: () => regions,
    fromSnapshot: (row) => fetched.has(row),
    snapshot: refreshed,
  };
}

/**
 * The rows of a snapshot EC2 can use. The file is untrusted: a row must be an instance type of dlrun's catalog (or
 * gp3/gp2) in an AWS region, with a positive finite price under 10,000 $/h (or $/GB-month), a source list of URLs
 * and a date; anything else is dropped.
 */
export function ec2SnapshotRows(rows: readonly unknown[]): JsonValue[] {
  const kept: JsonValue[] = [];
  for (const row of rows) {
    const checked = checkedRow(row);
    if (checked) kept.push(checked as unknown as JsonValue);
  }
  return kept;
}

function checkedRow(row: unknown): SnapshotRow | undefined {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return undefined;
  const value = row as Record<string, unknown>;
  if (typeof value.region !== 'string' || !isAwsRegion(value.region)) return undefined;
  const source = Array.isArray(value.source)
    ? value.source.filter((url): url is string => typeof url === 'string' && /^https?:\/\/\S{1,300}$/.test(url))
    : [];
  const asOf = typeof value.as_of === 'string' && /^\d{4}-\d\d-\d\d$/.test(value.as_of) ? value.as_of : undefined;
  if (source.length === 0 || asOf === undefined) return undefined;
  const shared = { region: value.region, source, as_of: asOf };
  if (value.kind === 'instance') {
    const price = amount(value.usd_per_hour);
    if (typeof value.instance_type !== 'string' || !findEc2InstanceType(value.instance_type) || price === undefined)
      return undefined;
    return { kind: 'instance', instance_type: value.instance_type, usd_per_hour: price, ...shared };
  }
  if (value.kind === 'volume') {
    const price = amount(value.usd_per_gb_month);
    if ((value.volume_type !== 'gp3' && value.volume_type !== 'gp2') || price === undefined) return undefined;
    return { kind: 'volume', volume_type: value.volume_type, usd_per_gb_month: price, ...shared };
  }
  return undefined;
}

function amount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value < 10_000 ? value : undefined;
}
