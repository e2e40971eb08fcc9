import type { JobSpec } from '../../src/spec/job-spec.js';
import { hasUnconfirmedFigure, isUnconfirmed } from '../../src/cost/catalogs/catalog-row.js';
import type { EbsVolumePrice } from '../../src/cost/catalogs/ec2-price-catalog.js';
import { EC2_BILLING, ec2RatePerHour } from './ec2-billing.js';
import { cheapestEc2InstanceType, namedEc2InstanceType, type PricedEc2Type } from './ec2-instance-choice.js';
import type { PriceSnapshot } from '../../src/cost/price-snapshot.js';
import type { RefreshedPrices } from '../../src/cost/price-refresh.js';
import { ec2PriceBook, type Ec2PriceBook } from './ec2-price-book.js';

/** The volume type dlrun prices root volumes as: the type current Deep Learning AMIs map their root to. */
const ROOT_VOLUME_TYPE = 'gp3';

/**
 * The on-demand price of an EC2 job as `quote` shows it and `submit` stores it: the instance type it names (or
 * the cheapest that satisfies `resources`) in its region, times its nodes, plus each node's root volume when
 * `resources.disk` says how big it is. Spot jobs are quoted at the on-demand rate, the most spot can cost.
 */
export function ec2Price(
  job: Pick<JobSpec, 'backends' | 'resources'>,
  now: Date,
  region: string,
  refreshed?: RefreshedPrices,
): PriceSnapshot {
  const book = ec2PriceBook(refreshed);
  const named = job.backends?.ec2?.instance_type;
  const chosen = named
    ? namedEc2InstanceType(named, region, book)
    : cheapestEc2InstanceType(job.resources, region, book);
  const nodes = job.resources.nodes;
  const diskGib = job.resources.disk;
  const volume = diskGib === undefined ? undefined : book.volume(region, ROOT_VOLUME_TYPE);
  const rate = ec2RatePerHour(
    {
      instance_usd_per_hour: chosen.price.usd_per_hour,
      nodes,
      ...(volume && diskGib !== undefined
        ? { root_volume_gib: diskGib, volume_usd_per_gb_month: volume.usd_per_gb_month }
        : {}),
    },
    now,
  );
  const instanceDoubt =
    isUnconfirmed(chosen.price, 'usd_per_hour') ||
    (!named && job.resources.gpu !== undefined && hasUnconfirmedFigure(chosen.type));
  return {
    machine: nodes === 1 ? chosen.type.name : `${nodes} x ${chosen.type.name}`,
    rate_per_hour_usd: rate,
    ...EC2_BILLING,
    price_source: describeSource(chosen, region, nodes, named === undefined, diskGib, volume, job.resources.spot, book),
    price_as_of: [chosen.price.as_of, ...(volume ? [volume.as_of] : [])].sort()[0]!,
    ...(instanceDoubt || (volume !== undefined && isUnconfirmed(volume, 'usd_per_gb_month'))
      ? { unconfirmed: true }
      : {}),
    basis: {
      region,
      instance_type: chosen.type.name,
      nodes,
      on_demand_usd_per_hour: chosen.price.usd_per_hour,
      root_volume:
        volume && diskGib !== undefined
          ? { volume_type: ROOT_VOLUME_TYPE, size_gib: diskGib, usd_per_gb_month: volume.usd_per_gb_month }
          : null,
    },
  };
}

function describeSource(
  chosen: PricedEc2Type,
  region: string,
  nodes: number,
  pickedByDlrun: boolean,
  diskGib: number | undefined,
  volume: EbsVolumePrice | undefined,
  spot: boolean,
  book: Ec2PriceBook,
): string {
  const { type, price } = chosen;
  const parts = [
    `${region} on-demand Linux ${type.name} $${price.usd_per_hour}/h` +
      `${pickedByDlrun ? ' (the cheapest type that satisfies resources)' : ''}` +
      `${nodes > 1 ? ` x ${nodes} nodes` : ''}, from ${price.source.join(' and ')} as of ${price.as_of}` +
      snapshotNote(book, price),
  ];
  if (diskGib === undefined)
    parts.push('root volumes not priced: resources.disk is not set, so the AMI decides their size');
  else if (!volume) parts.push(`root volumes not priced: dlrun has no ${ROOT_VOLUME_TYPE} price for ${region}`);
  else
    parts.push(
      `${diskGib} GiB ${ROOT_VOLUME_TYPE} root volume per node at $${volume.usd_per_gb_month}/GB-month, ` +
        `from ${volume.source[0]} as of ${volume.as_of}${snapshotNote(book, volume)}`,
    );
  if (spot) parts.push('spot: billed at the spot price of the run window, never above this on-demand rate');
  return parts.join('; ');
}

/** Where a row came from when a price snapshot is in force: the snapshot, or the repository because it had none. */
function snapshotNote(book: Ec2PriceBook, row: object): string {
  if (!book.snapshot) return '';
  return book.fromSnapshot(row)
    ? ` (price snapshot of ${book.snapshot.fetched_at})`
    : " (the repository's catalog: the price snapshot has no price for it)";
}
