import { JOB_ID_TAG, LEDGER_TAG } from '../../src/backend/tags.js';
import type { BackendContext, GarbageItem, GarbageLeft, JobHandle } from '../../src/backend/training-backend.js';
import { regionOf } from '../../src/util/aws-region.js';
import { ec2Clients } from './ec2-clients.js';
import { clusterName } from './ec2-cluster.js';
import { detailsOf } from './ec2-details.js';
import { isEnded, ledgerInstances, stateName } from './ec2-instances.js';
import { awsSdk } from './ec2-sdk.js';
import { ledgerPrefix } from './ec2-staging.js';

/** Staged files a job needs only to start; what it produced (log, markers, result, outputs) stays until pulled. */
const STARTUP_OBJECTS = /\/(bootstrap-[^/]+\.sh|nodes\/\d+\/secrets\.sh)$/;

/**
 * This ledger's EC2 resources that belong to no active job and may bill: instances not terminated, volumes left
 * unattached, the placement and security groups of ended multi-node jobs, and staged startup objects. Only resources
 * tagged (or, for objects, prefixed) with this ledger's id are ever considered, never a colleague's.
 */
export async function findEc2Garbage(activeJobIds: ReadonlySet<string>, knownJobs: readonly JobHandle[], context: BackendContext): Promise<GarbageItem[]> {
  const places = new Map<string, Set<string>>();
  const defaultRegion = regionOf(undefined, context.env);
  for (const details of [...knownJobs.map((job) => detailsOf(job, context)), ...(defaultRegion ? [detailsOf({ jobId: '', backend: 'ec2', externalId: null }, context)] : [])]) {
    places.set(details.region, new Set([...(places.get(details.region) ?? []), details.bucket]));
  }
  const items: GarbageItem[] = [];
  const { ec2: sdk, s3: s3Sdk } = awsSdk();
  for (const [region, buckets] of places) {
    const { ec2, s3 } = ec2Clients(region, context);
    for (const { jobId, instance } of await ledgerInstances(ec2, context.ledgerId)) {
      if (activeJobIds.has(jobId) || isEnded(instance)) continue;
      items.push({ kind: 'instance', id: instance.InstanceId!, jobId, description: `${instance.InstanceType} ${stateName(instance)} since ${instance.LaunchTime?.toISOString() ?? '?'}`, location: region });
    }
    const volumes = await ec2.send(new sdk.DescribeVolumesCommand({ Filters: [{ Name: `tag:${LEDGER_TAG}`, Values: [context.ledgerId] }, { Name: 'status', Values: ['available'] }] })).catch(() => undefined);
    for (const volume of volumes?.Volumes ?? []) {
      const jobId = volume.Tags?.find((tag) => tag.Key === JOB_ID_TAG)?.Value ?? null;
      if (jobId && activeJobIds.has(jobId)) continue;
      items.push({ kind: 'volume', id: volume.VolumeId!, jobId, description: `${volume.Size} GiB ${volume.VolumeType} volume, unattached`, location: region });
    }
    const groups = await ec2.send(new sdk.DescribeSecurityGroupsCommand({ Filters: [{ Name: `tag:${LEDGER_TAG}`, Values: [context.ledgerId] }] })).catch(() => undefined);
    for (const group of groups?.SecurityGroups ?? []) {
      const jobId = group.Tags?.find((tag) => tag.Key === JOB_ID_TAG)?.Value ?? null;
      if (jobId && activeJobIds.has(jobId)) continue;
      items.push({ kind: 'security-group', id: group.GroupId!, jobId, description: `security group ${group.GroupName}`, location: region });
    }
    const placement = await ec2.send(new sdk.DescribePlacementGroupsCommand({ Filters: [{ Name: `tag:${LEDGER_TAG}`, Values: [context.ledgerId] }] })).catch(() => undefined);
    for (const group of placement?.PlacementGroups ?? []) {
      const jobId = group.Tags?.find((tag) => tag.Key === JOB_ID_TAG)?.Value ?? null;
      if (jobId && activeJobIds.has(jobId)) continue;
      items.push({ kind: 'placement-group', id: group.GroupName ?? (jobId ? clusterName(jobId) : '?'), jobId, description: `cluster placement group ${group.GroupName}`, location: region });
    }
    for (const bucket of buckets) {
      let token: string | undefined;
      do {
        const page = await s3.send(new s3Sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: `${ledgerPrefix(context.ledgerId)}jobs/`, ...(token ? { ContinuationToken: token } : {}) })).catch(() => undefined);
        for (const object of page?.Contents ?? []) {
          const key = object.Key ?? '';
          const jobId = /jobs\/([^/]+)\//.exec(key)?.[1] ?? null;
          if (!STARTUP_OBJECTS.test(key) || (jobId && activeJobIds.has(jobId))) continue;
          items.push({ kind: 'object', id: key, jobId, description: `s3://${bucket}/${key} (${object.Size ?? 0} bytes)`, location: `${region}/${bucket}` });
        }
        token = page?.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    }
  }
  return items;
}

/**
 * Terminate, delete and remove what findEc2Garbage found (instances first: groups and volumes wait for them). What
 * AWS refuses for now (a security group or volume still held by an instance that is shutting down) is returned with
 * AWS's reason, for the next `dlrun gc`.
 */
export async function removeEc2Garbage(items: readonly GarbageItem[], context: BackendContext): Promise<GarbageLeft[]> {
  const sdk = awsSdk();
  const order = ['instance', 'object', 'volume', 'security-group', 'placement-group'];
  const left: GarbageLeft[] = [];
  // One set of clients per region, each made (and its SDK package loaded) only when an item needs it.
  const clientsByRegion = new Map<string, ReturnType<typeof ec2Clients>>();
  const clientsOf = (region: string | undefined): ReturnType<typeof ec2Clients> => {
    const key = region ?? '';
    if (!clientsByRegion.has(key)) clientsByRegion.set(key, ec2Clients(region, context));
    return clientsByRegion.get(key)!;
  };
  for (const kind of order) {
    for (const item of items.filter((candidate) => candidate.kind === kind)) {
      const [region, bucket] = item.location.split('/');
      const clients = clientsOf(region);
      try {
        if (kind === 'instance') await clients.ec2.send(new sdk.ec2.TerminateInstancesCommand({ InstanceIds: [item.id] }));
        else if (kind === 'object') await clients.s3.send(new sdk.s3.DeleteObjectCommand({ Bucket: bucket!, Key: item.id }));
        else if (kind === 'volume') await clients.ec2.send(new sdk.ec2.DeleteVolumeCommand({ VolumeId: item.id }));
        else if (kind === 'security-group') await clients.ec2.send(new sdk.ec2.DeleteSecurityGroupCommand({ GroupId: item.id }));
        else if (kind === 'placement-group') await clients.ec2.send(new sdk.ec2.DeletePlacementGroupCommand({ GroupName: item.id }));
      } catch (error) {
        left.push({ item, reason: `${(error as { name?: string }).name ?? 'error'}: ${(error as Error).message}` });
      }
    }
  }
  return left;
}
