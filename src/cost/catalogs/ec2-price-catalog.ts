import { EBS_VOLUME_PRICES } from './ebs-prices.js';
import type { EbsVolumePrice, EbsVolumeType, Ec2OnDemandPrice } from './ec2-price-row.js';
import { EC2_ON_DEMAND_PRICES_AP_NORTHEAST_1 } from './ec2-prices-ap-northeast-1.js';
import { EC2_ON_DEMAND_PRICES_EU_CENTRAL_1 } from './ec2-prices-eu-central-1.js';
import { EC2_ON_DEMAND_PRICES_EU_WEST_1 } from './ec2-prices-eu-west-1.js';
import { EC2_ON_DEMAND_PRICES_US_EAST_2 } from './ec2-prices-us-east-2.js';
import { EC2_ON_DEMAND_PRICES_US_WEST_2 } from './ec2-prices-us-west-2.js';
import { EC2_ON_DEMAND_PRICES_US_EAST_1 } from './ec2-prices.js';

export type { EbsVolumePrice, EbsVolumeType, Ec2OnDemandPrice } from './ec2-price-row.js';
export { EBS_VOLUME_PRICES } from './ebs-prices.js';

/** Every on-demand price row, us-east-1 (AWS's Price List) first, then the regions read from a dated copy. */
export const EC2_ON_DEMAND_PRICES: readonly Ec2OnDemandPrice[] = [
  ...EC2_ON_DEMAND_PRICES_US_EAST_1,
  ...EC2_ON_DEMAND_PRICES_US_EAST_2,
  ...EC2_ON_DEMAND_PRICES_US_WEST_2,
  ...EC2_ON_DEMAND_PRICES_EU_WEST_1,
  ...EC2_ON_DEMAND_PRICES_EU_CENTRAL_1,
  ...EC2_ON_DEMAND_PRICES_AP_NORTHEAST_1,
];

const key = (region: string, name: string): string => `${region} ${name}`;
const ON_DEMAND: ReadonlyMap<string, Ec2OnDemandPrice> = new Map(
  EC2_ON_DEMAND_PRICES.map((row) => [key(row.region, row.instance_type), row]),
);
const EBS: ReadonlyMap<string, EbsVolumePrice> = new Map(
  EBS_VOLUME_PRICES.map((row) => [key(row.region, row.volume_type), row]),
);

/** The on-demand Linux price of an instance type in a region, or undefined when the catalog has none. */
export function findEc2OnDemandPrice(region: string, instanceType: string): Ec2OnDemandPrice | undefined {
  return ON_DEMAND.get(key(region, instanceType));
}

/** The storage price of an EBS volume type in a region, or undefined when the catalog has none. */
export function findEbsVolumePrice(region: string, volumeType: EbsVolumeType): EbsVolumePrice | undefined {
  return EBS.get(key(region, volumeType));
}

/** The regions the catalog has any on-demand price for, for messages that say where dlrun can price a job. */
export function ec2PricedRegions(): string[] {
  return [...new Set(EC2_ON_DEMAND_PRICES.map((row) => row.region))].sort();
}
