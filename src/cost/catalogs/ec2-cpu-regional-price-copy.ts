import type { SharedPrice } from './ec2-price-row.js';

/** The commit of SkyPilot's catalog the CPU prices outside us-east-1 were read at. */
const COPY_COMMIT = '001367d22a0033fac286a8c71aeac7109e431bcb';

/**
 * The file states no date (its rows carry none, and the catalog repository records it only in its commits), so the
 * rows say when it was read at that commit instead: a price as of a date no later than this.
 */
export const SKYPILOT_COPY_READ_ON = '2026-12-06';

/** The copied file, pinned to the commit read. */
export const SKYPILOT_COPY_URL =
  'https://github.com/skypilot-org/skypilot-catalog/blob/' + `${COPY_COMMIT}/catalogs/v7/aws/vms.csv`;

/**
 * What every CPU row outside us-east-1 shares. SkyPilot's catalog is a third party's copy of AWS's price data (its
 * scheduled workflow regenerates it from AWS's pricing API every 7 hours), not the Price List itself, so the figure is
 * marked unconfirmed; its us-east-1 figures equal the Price List's (ec2-prices.ts) for every type copied, which a test
 * holds.
 */
export function skypilotCopy(region: string): SharedPrice {
  return {
    region,
    source: [SKYPILOT_COPY_URL],
    as_of: SKYPILOT_COPY_READ_ON,
    unconfirmed_fields: ['usd_per_hour'],
    note:
      `Secondary: the on-demand Linux figure ("Price", the same in every availability zone) for ${region} in ` +
      "SkyPilot's catalogs/v7/aws/vms.csv, which SkyPilot's workflow update-aws-catalog.yml regenerates from AWS's " +
      `pricing API. The file states no date: it was read at the pinned commit on ${SKYPILOT_COPY_READ_ON}. Not read ` +
      "from AWS's own price data: re-check against the Price List (the AmazonEC2 offer file for the region) before " +
      'relying on it.',
  };
}
