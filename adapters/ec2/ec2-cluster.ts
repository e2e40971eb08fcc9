import type { JobId } from '../../src/backend/job-id.js';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { aws, awsError } from './ec2-errors.js';
import { clusterName } from './ec2-names.js';
import { type Ec2LaunchInput, ingressRequest, placementGroupRequest, securityGroupRequest } from './ec2-requests.js';
import { awsSdk } from './ec2-sdk.js';

/**
 * A cluster placement group (low latency, one zone) and a security group that lets the job's nodes reach each other
 * on every port, in the subnet's VPC or the default one; both tagged with the job and the ledger, and an existing one
 * of the same name (a retried submit) reused. Returns the security group's id.
 */
export async function createClusterNetwork(ec2: EC2Client, input: Ec2LaunchInput): Promise<string> {
  const { ec2: sdk } = awsSdk();
  const { jobId, ledgerId } = input;
  try {
    await ec2.send(new sdk.CreatePlacementGroupCommand(placementGroupRequest(jobId, ledgerId).body));
  } catch (error) {
    if ((error as { name?: string }).name !== 'InvalidPlacementGroup.Duplicate')
      throw awsError(error, 'creating the placement group');
  }
  const vpcId = await vpcOf(ec2, input.job.backends?.ec2?.subnet);
  const existing = await ec2.send(
    new sdk.DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'group-name', Values: [clusterName(jobId)] },
        ...(vpcId ? [{ Name: 'vpc-id', Values: [vpcId] }] : []),
      ],
    }),
  );
  const found = existing.SecurityGroups?.[0]?.GroupId;
  if (found) return found;
  const created = await aws("creating the job's security group", () =>
    ec2.send(new sdk.CreateSecurityGroupCommand(securityGroupRequest(jobId, ledgerId, vpcId).body)),
  );
  const groupId = created.GroupId!;
  await aws("letting the job's nodes reach each other", () =>
    ec2.send(new sdk.AuthorizeSecurityGroupIngressCommand(ingressRequest(groupId).body)),
  );
  return groupId;
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
export async function deleteClusterNetwork(ec2: EC2Client, jobId: JobId): Promise<boolean> {
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
