import type { EbsVolumeType } from '../../src/cost/catalogs/index.js';
import type { Ec2LaunchPrices } from './ec2-billing.js';

/**
 * What an EC2 price snapshot was built from, stored with the job at launch so its bill can apply EC2's rules
 * instance by instance and volume by volume at the prices then in force.
 */
export interface Ec2PriceBasis {
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
