import type { Sourced } from './catalog-row.js';

/**
 * The on-demand price of one EC2 instance type in one region: Linux, no pre-installed software, shared tenancy
 * (metal sizes, which AWS sells as whole hosts, are priced as the Price List's bare-metal products).
 */
export interface Ec2OnDemandPrice extends Sourced<'usd_per_hour'> {
  /** An AWS region code as the Price List's `regionCode` spells it: "us-east-1". */
  readonly region: string;
  /** A name in EC2_INSTANCE_TYPES. */
  readonly instance_type: string;
  readonly usd_per_hour: number;
}

/** The EBS volume types dlrun prices; gp3 is what it launches with, gp2 what older AMIs may still map. */
export type EbsVolumeType = 'gp3' | 'gp2';

/** The storage price of one EBS volume type in one region (provisioned GiB, which AWS calls GB). */
export interface EbsVolumePrice extends Sourced<'usd_per_gb_month'> {
  readonly region: string;
  readonly volume_type: EbsVolumeType;
  readonly usd_per_gb_month: number;
}

/** Where the price data modules read their figures. */
export const PRICE_SOURCES = {
  /**
   * On-demand prices AWS's Karpenter project generated from the AWS Price List Query API (regionCode us-east-1,
   * operatingSystem Linux, preInstalledSw NA, capacitystatus Used, tenancy Shared, and Dedicated for the
   * bare-metal product family) on 2026-02-09T13:43:35Z, pinned to the commit read.
   */
  karpenterUsEast1:
    'https://github.com/aws/karpenter-provider-aws/blob/265ee0ba5b8e337dec6b82dde965b03021ccb418/' +
    'pkg/providers/pricing/zz_generated.pricing_aws.go',
  /**
   * The AWS Price List bulk offer file for AmazonEC2 in us-east-1, version 20260831181331: AWS's own published price
   * data. EBS storage: SKU JG3KUJMBRGHV3N8G (gp3, $0.08 per GB-month, rate code JG3KUJMBRGHV3N8G.JRTCKXETXF.6YS6EN2CT7)
   * and SKU HY3BZPP2B6K8MSJF (gp2, $0.10 per GB-month, rate code HY3BZPP2B6K8MSJF.JRTCKXETXF.6YS6EN2CT7).
   */
  ec2OfferFile20260831:
    'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20260831181331/us-east-1/index.json',
  /** The Price List Query API (GetProducts), AWS's price API; answers carry the SKU's publication date. */
  priceListQueryApi: 'https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html',
} as const;

/** One size in a family's price table: size suffix and USD per hour. */
export type PricedSize = readonly [size: string, usd_per_hour: number];

/** What every size of a family's price table shares: region, sources, date, notes. */
export type SharedPrice = Sourced<'usd_per_hour'> & { readonly region: string };

/** The price rows of one family, so a family's table reads as one line of sizes. */
export function familyPrices(family: string, shared: SharedPrice, sizes: readonly PricedSize[]): Ec2OnDemandPrice[] {
  return sizes.map(([size, usd_per_hour]) => ({ instance_type: `${family}.${size}`, usd_per_hour, ...shared }));
}
