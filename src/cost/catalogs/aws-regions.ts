import { closeNames, suggestName } from './catalog-names.js';

/**
 * The AWS Region codes (commercial, GovCloud and China partitions), to tell a mistyped region (`us-est-1`) from one
 * dlrun merely has no prices for. North America, Africa and Asia Pacific as AWS's Region billing codes page lists
 * them; Europe, the Middle East, South America, GovCloud and China from AWS's list of Regions (AWS_REGIONS_SOURCE),
 * with Tel Aviv (il-central-1). A Region AWS opened since is unknown here until the list is read again
 * (docs/catalogs.md); it would have no prices either.
 */
export const AWS_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'ca-west-1',
  'mx-central-1',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'sa-east-1',
  'us-gov-east-1',
  'us-gov-west-1',
  'cn-north-1',
  'cn-northwest-1',
];

export const AWS_REGIONS_SOURCE: readonly string[] = [
  'https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html',
  'https://docs.aws.amazon.com/solutions/latest/automated-security-response-on-aws/supported-aws-regions.html',
];
export const AWS_REGIONS_READ_ON = '2026-12-05';

const KNOWN = new Set(AWS_REGIONS);

export function isAwsRegion(name: string): boolean {
  return KNOWN.has(name);
}

/** The Region code a mistyped one most likely meant ("us-est-1" -> "us-east-1"), or undefined. */
export function suggestAwsRegion(name: string): string | undefined {
  return suggestName(name, AWS_REGIONS);
}

/** Region codes near a mistyped one, nearest first ("us-est-1" -> us-east-1, us-west-1). */
export function closeAwsRegions(name: string): string[] {
  return closeNames(name, AWS_REGIONS, 3);
}
