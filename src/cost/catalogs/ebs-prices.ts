import { PRICE_SOURCES, type EbsVolumePrice } from './ec2-price-row.js';

/**
 * Read from AWS's own price data, by SKU: the Price List (the bulk offer file and the Query API return the same
 * products). The offer file itself (hundreds of megabytes) was not downloaded here: the figures are the SKUs' prices as
 * recorded from that file and from GetProducts answers, which is why each row names its SKU, so anyone can check it.
 */
const fromPriceList = 'AWS Price List, AmazonEC2, us-east-1, on-demand, storage';

/**
 * EBS storage per GB-month (GiB provisioned), us-east-1. gp3 includes 3,000 IOPS and 125 MB/s at no extra charge;
 * IOPS or throughput provisioned beyond that bill extra and are not priced here.
 */
export const EBS_VOLUME_PRICES: readonly EbsVolumePrice[] = [
  {
    region: 'us-east-1',
    volume_type: 'gp3',
    usd_per_gb_month: 0.08,
    source: [PRICE_SOURCES.ec2OfferFile20260831],
    as_of: '2026-08-31',
    note:
      `${fromPriceList}: SKU JG3KUJMBRGHV3N8G, ` +
      '"General Purpose (gp3) provisioned storage - US East (N. Virginia)", in the offer file of 2026-08-31.',
  },
  {
    region: 'us-east-1',
    volume_type: 'gp2',
    usd_per_gb_month: 0.1,
    source: [PRICE_SOURCES.ec2OfferFile20260831, PRICE_SOURCES.priceListQueryApi],
    as_of: '2026-06-26',
    note:
      `${fromPriceList}: SKU HY3BZPP2B6K8MSJF (usage type EBS:VolumeUsage.gp2), ` +
      'as GetProducts answers it with publication date 2026-06-26.',
  },
];
