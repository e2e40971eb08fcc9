import type { SharedPrice } from './ec2-price-row.js';

/**
 * The date every copied file states at its top ("// Last updated: 2026-08-26"), and its meta.js ("lastUpdated").
 */
export const VANTAGE_COPY_UPDATED_ON = '2026-08-26';

/** The commit each family's file was read at; both commits' files state the same date. */
const COPY_COMMITS = {
  g4dn: '299375be7a2b940b53b3d80ec79fd66ee688f4fa',
  g5: '18aebd1d72819fea767dd5b5f835114120b2ad39',
  g6: '299375be7a2b940b53b3d80ec79fd66ee688f4fa',
  g6e: '299375be7a2b940b53b3d80ec79fd66ee688f4fa',
  p3: '18aebd1d72819fea767dd5b5f835114120b2ad39',
  p3dn: '299375be7a2b940b53b3d80ec79fd66ee688f4fa',
  p4d: '18aebd1d72819fea767dd5b5f835114120b2ad39',
  p4de: '299375be7a2b940b53b3d80ec79fd66ee688f4fa',
  p5: '299375be7a2b940b53b3d80ec79fd66ee688f4fa',
  p5en: '299375be7a2b940b53b3d80ec79fd66ee688f4fa',
} as const;

/** The GPU families whose prices outside us-east-1 were read from the copy. */
export type CopiedFamily = keyof typeof COPY_COMMITS;

/** The file a family's regional prices were read from, pinned to the commit read. */
export function vantageCopyUrl(family: CopiedFamily): string {
  return `https://github.com/tsaol/aws-gpu/blob/${COPY_COMMITS[family]}/data/${family}_instances.js`;
}

/**
 * What every regional row read from the copy shares. The copy is a third party's ("Auto-generated from
 * instances.vantage.sh data"), not AWS's Price List, so the figure is marked unconfirmed; its us-east-1 figures equal
 * the Price List's (ec2-prices.ts) for every type copied here, which a test holds.
 */
export function vantageCopy(region: string, family: CopiedFamily): SharedPrice {
  return {
    region,
    source: [vantageCopyUrl(family)],
    as_of: VANTAGE_COPY_UPDATED_ON,
    unconfirmed_fields: ['usd_per_hour'],
    note:
      `Secondary: the on-demand Linux figure for ${region} in tsaol/aws-gpu's data/${family}_instances.js, ` +
      `which says it is generated from instances.vantage.sh data (itself read from AWS's Price List), ` +
      `last updated ${VANTAGE_COPY_UPDATED_ON}. Not read from AWS's own price data: re-check against the ` +
      'Price List (dlrun prices refresh, or the AmazonEC2 offer file for the region) before relying on it.',
  };
}
