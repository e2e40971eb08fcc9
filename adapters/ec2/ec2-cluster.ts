import type { EC2Client } from '@aws-sdk/client-ec2';
import { JOB_ID_TAG, LEDGER_TAG } from '../../src/backend/tags.js';
import type { LaunchPlan } from '../../src/backend/training-backend.js';
import { aws, awsError } from './ec2-errors.js';
import { awsSdk } from './ec2-sdk.js';

/** What a multi-node job gets: a cluster placement group (low latency, one zone) and a security group of its own. */
export interface ClusterNetwork {
  readonly placementGroup: string;
  readonly securityGroupId: string;
}

/** Names of a job's own network resources, found again by name for cleanup. */
export function clusterName(jobId: string): string {
  return `dlrun-${jobId}`;
}

/**
 * A cluster placement group and a security group that lets the job's nodes reach each other on every port (torchrun,
 * NCCL and TF_CONFIG's workers pick theirs), in the subnet's VPC or the default one. Both are tagged with the job
 * and the ledger; an existing one of the same name (a retried submit) is reused.
 */
export async function createClusterNetwork(
  ec2: EC2Client,
  plan: LaunchPlan,
  ledgerId: string,
): Promise<ClusterNetwork> {
  const { ec2: sdk } = awsSdk();
  const name = clusterName(plan.jobId);
  const tags = [
    { Key: JOB_ID_TAG, Value: plan.jobId },
    { Key: LEDGER_TAG, Value: ledgerId },
  ];
  try {
    await ec2.send(
      new sdk.CreatePlacementGroupCommand({
        GroupName: name,
        Strategy: 'cluster',
        TagSpecifications: [{ ResourceType: 'placement-group', Tags: tags }],
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'InvalidPlacementGroup.Duplicate')
      throw awsError(error, 'creating the placement group');
  }
  const vpcId = await vpcOf(ec2, plan.job.backends?.ec2?.subnet);
  const existing = await ec2.send(
    new sdk.DescribeSecurityGroupsCommand({
      Filters: [{ Name: 'group-name', Values: [name] }, ...(vpcId ? [{ Name: 'vpc-id', Values: [vpcId] }] : [])],
    }),
  );
  let securityGroupId = existing.SecurityGroups?.[0]?.GroupId;
  if (!securityGroupId) {
    const created = await aws("creating the job's security group", () =>
      ec2.send(
        new sdk.CreateSecurityGroupCommand({
          GroupName: name,
          Description: `dlrun job ${plan.jobId}: its nodes reach each other`,
          ...(vpcId ? { VpcId: vpcId } : {}),
          TagSpecifications: [{ ResourceType: 'security-group', Tags: tags }],
        }),
      ),
    );
    securityGroupId = created.GroupId!;
    const groupId = securityGroupId;
    await aws("letting the job's nodes reach each other", () =>
      ec2.send(
        new sdk.AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }],
        }),
      ),
    );
  }
  return { placementGroup: name, securityGroupId };
}

async function vpcOf(ec2: EC2Client, subnet: string | undefined): Promise<string | undefined> {
  const { ec2: sdk } = awsSdk();
  if (subnet) {
    const answer = await aws(`describing the subnet ${subnet}`, () =>
      ec2.send(new sdk.DescribeSubnetsCommand({ SubnetIds: [subnet] })),
    );
    return answer.Subnets?.[0]?.VpcId;
  }
  const answer = await aws('finding the default VPC', () =>
    ec2.send(new sdk.DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] })),
  );
  return answer.Vpcs?.[0]?.VpcId;
}

/** Delete a job's placement group and security group once its instances are gone; false while they still exist. */
export async function deleteClusterNetwork(ec2: EC2Client, jobId: string): Promise<boolean> {
  const { ec2: sdk } = awsSdk();
  const name = clusterName(jobId);
  let done = true;
  const groups = await ec2
    .send(new sdk.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }] }))
    .catch(() => undefined);
  for (const group of groups?.SecurityGroups ?? []) {
    // Fails with DependencyViolation while an instance still uses the group; gc tries again later.
    await ec2.send(new sdk.DeleteSecurityGroupCommand({ GroupId: group.GroupId! })).catch(() => (done = false));
  }
  await ec2.send(new sdk.DeletePlacementGroupCommand({ GroupName: name })).catch((error: { name?: string }) => {
    if (error.name !== 'InvalidPlacementGroup.Unknown') done = false;
  });
  return done;
}
