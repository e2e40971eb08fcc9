import type { EbsVolumeType } from '../../src/cost/catalogs/ec2-price-catalog.js';
import type { PriceSnapshot } from '../../src/cost/price-snapshot.js';
import type { Ec2LaunchPrices } from './ec2-billing.js';

/**
 * What an EC2 price snapshot was built from, stored with the job at launch (`PriceSnapshot.basis`) so its bill can
 * apply EC2's rules instance by instance and volume by volume at the prices then in force.
 */
export type Ec2PriceBasis = {
  readonly region: string;
  readonly instance_type: string;
  readonly nodes: number;
  /** One instance, on-demand; a spot instance pays the spot price, which never exceeds this. */
  readonly on_demand_usd_per_hour: number;
  /** Each node's root volume, or null when the job left its size to the AMI and the quote could not price it. */
  readonly root_volume: {
    readonly volume_type: EbsVolumeType;
    readonly size_gib: number;
    readonly usd_per_gb_month: number;
  } | null;
};

/**
 * The basis stored with an EC2 job's price, or undefined when it has none (the job is then billed at its flat rate).
 *
 * Jobs recorded before the basis became opaque to the rest of dlrun keep it under the key `ec2` in their stored
 * snapshot (`jobs.price_json`); it is read from there as it is. This is read here rather than rewritten by a ledger
 * migration because the format is EC2's own: a migration would put EC2's key into the generic ledger (and into every
 * SQL dialect of it) and rewrite every EC2 row of a user's ledger for a rename, while the one reader of the basis is
 * this function.
 */
export function ec2PriceBasisOf(price: PriceSnapshot): Ec2PriceBasis | undefined {
  const stored = price.basis ?? (price as { readonly ec2?: PriceSnapshot['basis'] }).ec2;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return undefined;
  return stored as Ec2PriceBasis;
}

/** The launch prices the bill functions take, from the basis stored with the job. */
export function ec2LaunchPrices(basis: Ec2PriceBasis): Ec2LaunchPrices {
  return {
    on_demand_usd_per_hour: { [basis.instance_type]: basis.on_demand_usd_per_hour },
    volume_usd_per_gb_month: basis.root_volume
      ? { [basis.root_volume.volume_type]: basis.root_volume.usd_per_gb_month }
      : {},
  };
}
