import { CATALOG_READ_ON } from './catalog-row.js';
import { PRICE_SOURCES, type EbsVolumePrice } from './ec2-price-row.js';

const secondHand =
  "AWS's EBS pricing page itself was not read (providers.md section 6 item 10 lists these dollar figures as unchecked); " +
  "the figure comes from Infracost's golden output, priced from its copy of the AWS Price List, ";

/**
 * EBS storage per GB-month (GiB provisioned), us-east-1. gp3 includes 3,000 IOPS and 125 MB/s at no extra charge;
 * IOPS or throughput provisioned beyond that bill extra and are not priced here.
 */
export const EBS_VOLUME_PRICES: readonly EbsVolumePrice[] = [
  {
    region: 'us-east-1',
    volume_type: 'gp3',
    usd_per_gb_month: 0.08,
    source: [PRICE_SOURCES.infracostEbsGolden, PRICE_SOURCES.ec2OfferFile20260831, PRICE_SOURCES.saisciGp2Gp3],
    as_of: '2026-08-31',
    note:
      `${secondHand}from a public cost study quoting the 2026-08-31 offer file (SKU JG3KUJMBRGHV3N8G, $0.08), and from ` +
      'a 2021 copy of the pricing page; all agree.',
  },
  {
    region: 'us-east-1',
    volume_type: 'gp2',
    usd_per_gb_month: 0.1,
    source: [PRICE_SOURCES.infracostEbsGolden, PRICE_SOURCES.saisciGp2Gp3],
    as_of: CATALOG_READ_ON,
    note:
      `${secondHand}which is undated (hence the date read), from public notes recording the Price List API's answer for ` +
      'SKU HY3BZPP2B6K8MSJF ($0.10, publication date 2026-06-26, in force since 2019-05-01), and from a 2021 copy of the ' +
      'pricing page; all agree.',
  },
];
