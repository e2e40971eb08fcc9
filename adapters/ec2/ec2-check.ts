import type { BackendContext, CheckItem } from '../../src/backend/training-backend.js';
import { ec2RegionOf, regionOf } from './aws-region.js';
import { clientSettings, ec2Clients } from './ec2-clients.js';
import { withDeadlines } from './ec2-deadlines.js';
import { imageSetting, resolveImage } from './ec2-image.js';
import { awsSdk, quotasSdk } from './ec2-sdk.js';
import { EC2_GPU_INSTANCE_TYPES } from '../../src/cost/catalogs/ec2-gpu-instance-types.js';
import { findEc2Family, type Ec2InstanceType } from '../../src/cost/catalogs/ec2-instance-types.js';

/**
 * Service Quotas codes for on-demand vCPUs by family
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html): new accounts often have none for G
 * and P instances, the first surprise of a first GPU job.
 */
const VCPU_QUOTAS: readonly { code: string; family: string; families: RegExp }[] = [
  { code: 'L-DB2E81BA', family: 'G and VT', families: /^(g|vt)\d/ },
  { code: 'L-417A185B', family: 'P', families: /^p\d/ },
];

/**
 * The launchable instance type of the quota's families with the fewest vCPUs (the catalog, retired families left
 * out): a quota below its vCPUs launches no instance of them at all, however far above zero it is.
 */
function smallestInstance(families: RegExp): Ec2InstanceType | undefined {
  return EC2_GPU_INSTANCE_TYPES.filter(
    (type) => families.test(type.family) && findEc2Family(type.family)?.retirement === undefined,
  ).reduce<Ec2InstanceType | undefined>(
    (least, type) => (least && least.vcpus <= type.vcpus ? least : type),
    undefined,
  );
}

/** `dlrun check --backend ec2`: credentials (and when they expire), region, launch permission, GPU quotas. */
export async function checkEc2(context: BackendContext): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  const region = regionOf(undefined, context.env);
  items.push(
    region
      ? { check: 'region', ok: true, detail: region, required: true }
      : {
          check: 'region',
          ok: false,
          detail: 'no region: set AWS_REGION, a region in your AWS profile, or backends.ec2.region in the job',
          required: true,
        },
  );
  // Where the checks ask: the region set, else the SDK's own default.
  const asked = ec2RegionOf(region, context.env);
  const { ec2, sts } = ec2Clients(asked, context, 2);
  const sdk = awsSdk();
  // The chain first (found on this machine, or not), then AWS's answer about what it found.
  let credentials: Awaited<ReturnType<typeof sts.config.credentials>>;
  try {
    credentials = await sts.config.credentials();
  } catch (error) {
    items.push({ check: 'credentials', ok: false, detail: missingCredentials(error, context), required: true });
    return items;
  }
  try {
    const identity = await sts.send(new sdk.sts.GetCallerIdentityCommand({}));
    const expires = credentials.expiration
      ? `; temporary, they expire at ${credentials.expiration.toISOString()}`
      : '; long-lived';
    items.push({
      check: 'credentials',
      ok: true,
      detail: `${identity.Arn ?? identity.Account ?? 'valid'}${expires}`,
      required: true,
    });
  } catch (error) {
    items.push({
      check: 'credentials',
      ok: false,
      detail: `AWS did not accept the credentials: ${(error as Error).message}`,
      required: true,
    });
    return items;
  }
  try {
    const imageId = await resolveImage(imageSetting(undefined, true, context.env), asked, context);
    await ec2.send(
      new sdk.ec2.RunInstancesCommand({
        DryRun: true,
        ImageId: imageId,
        InstanceType: 'g4dn.xlarge',
        MinCount: 1,
        MaxCount: 1,
      }),
    );
    items.push({ check: 'launch permission', ok: true, detail: 'RunInstances DryRun passed', required: true });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'DryRunOperation')
      items.push({
        check: 'launch permission',
        ok: true,
        detail: 'ec2:RunInstances is allowed (DryRun)',
        required: true,
      });
    // Only UnauthorizedOperation proves the permission missing; anything else (no image found, a throttle) leaves it
    // unconfirmed: a note, not an ok.
    else
      items.push({
        check: 'launch permission',
        ok: false,
        detail: `RunInstances DryRun: ${name ?? (error as Error).message}`,
        required: name === 'UnauthorizedOperation',
      });
  }
  items.push(...(await gpuQuotas(asked, context)));
  return items;
}

const HOW_TO_GET_CREDENTIALS =
  "run 'aws configure' (or 'aws sso login'), set AWS_PROFILE to a profile of ~/.aws/config, " +
  'or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in your shell';

const NO_CREDENTIALS_FOUND =
  /Could not load credentials from any providers|could not be found|Could not resolve credentials using profile/i;

/**
 * What the credentials item says when the SDK's chain gave none: "no credentials found" and how to get some when
 * there are none at all (or none for the profile named), otherwise why the ones configured could not be loaded
 * (an expired SSO session, a credential_process that failed).
 */
function missingCredentials(error: unknown, context: BackendContext): string {
  const message = (error as Error).message ?? String(error);
  const profile = context.env.AWS_PROFILE;
  if ((error as { name?: string }).name === 'CredentialsProviderError' && NO_CREDENTIALS_FOUND.test(message)) {
    return `no credentials found${profile ? ` (AWS_PROFILE is ${profile})` : ''}: ${HOW_TO_GET_CREDENTIALS}`;
  }
  return `the credentials could not be loaded: ${message}`;
}

async function gpuQuotas(region: string, context: BackendContext): Promise<CheckItem[]> {
  const { ServiceQuotasClient, GetServiceQuotaCommand } = quotasSdk();
  // The context's endpoint and keys, as the other clients have them: the quota is the account's they check.
  const client = withDeadlines(
    new ServiceQuotasClient(clientSettings('Service Quotas', region, context, 1)),
    context.env,
  );
  const items: CheckItem[] = [];
  for (const { code, family, families } of VCPU_QUOTAS) {
    try {
      const answer = await client.send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: code }));
      const value = answer.Quota?.Value ?? 0;
      const smallest = smallestInstance(families);
      const enough = value > 0 && (smallest === undefined || value >= smallest.vcpus);
      const raise = `until AWS raises it (Service Quotas console, ${code})`;
      items.push({
        check: `${family} vCPU quota`,
        ok: enough,
        detail: enough
          ? `${value} vCPUs of on-demand ${family} instances`
          : value > 0 && smallest
            ? `${value} vCPUs of on-demand ${family} instances, fewer than the ${smallest.vcpus} of the smallest ` +
              `(${smallest.name}): none can launch ${raise}`
            : `0 vCPUs: ${family} instances cannot launch ${raise}`,
        required: false,
      });
    } catch (error) {
      // A note, not an ok: nothing was confirmed (no servicequotas:GetServiceQuota permission, or no figure here).
      items.push({
        check: `${family} vCPU quota`,
        ok: false,
        detail:
          `not readable here (${(error as { name?: string }).name ?? 'error'}); ` +
          'a launch will say if it is too small',
        required: false,
      });
    }
  }
  return items;
}
