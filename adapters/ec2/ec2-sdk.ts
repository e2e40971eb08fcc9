import { createRequire } from 'node:module';
import type * as Ec2Sdk from '@aws-sdk/client-ec2';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type * as PresignerSdk from '@aws-sdk/s3-request-presigner';
import type * as StsSdk from '@aws-sdk/client-sts';
import type * as SsmSdk from '@aws-sdk/client-ssm';
import type * as QuotasSdk from '@aws-sdk/client-service-quotas';
import type * as CostExplorerSdk from '@aws-sdk/client-cost-explorer';
import type * as PricingSdk from '@aws-sdk/client-pricing';

/**
 * The AWS SDK, loaded only when an EC2 job needs it. `require` rather than `import()`: the clients are CommonJS
 * bundles with no exports map, and Node's ESM import of them spends about 400 ms scanning for named exports
 * (environment.md, section 7).
 */
const require = createRequire(import.meta.url);

interface AwsSdk {
  readonly ec2: typeof Ec2Sdk;
  readonly s3: typeof S3Sdk;
  readonly presigner: typeof PresignerSdk;
  readonly sts: typeof StsSdk;
}

/** Each package is required on first use: `dlrun status` of running jobs never pays for STS or the presigner. */
const packages: AwsSdk = {
  get ec2() {
    return require('@aws-sdk/client-ec2') as typeof Ec2Sdk;
  },
  get s3() {
    return require('@aws-sdk/client-s3') as typeof S3Sdk;
  },
  get presigner() {
    return require('@aws-sdk/s3-request-presigner') as typeof PresignerSdk;
  },
  get sts() {
    return require('@aws-sdk/client-sts') as typeof StsSdk;
  },
};

export function awsSdk(): AwsSdk {
  // The SDK warns on every client that versions after January 2027 need Node 22; dlrun pins what works on 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return packages;
}

export function ssmSdk(): typeof SsmSdk {
  return require('@aws-sdk/client-ssm') as typeof SsmSdk;
}

export function quotasSdk(): typeof QuotasSdk {
  return require('@aws-sdk/client-service-quotas') as typeof QuotasSdk;
}

export function costExplorerSdk(): typeof CostExplorerSdk {
  return require('@aws-sdk/client-cost-explorer') as typeof CostExplorerSdk;
}

/** The Price List Query API's client, for `dlrun prices refresh` only. */
export function pricingSdk(): typeof PricingSdk {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return require('@aws-sdk/client-pricing') as typeof PricingSdk;
}
