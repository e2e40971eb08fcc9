import { type JobId, asJobIdOrNull } from '../../src/backend/job-id.js';
import type { ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { JOB_ID_TAG, LEDGER_TAG } from '../../src/backend/tags.js';
import type {
  BackendContext,
  GarbageItem,
  GarbageLeft,
  GarbageSearch,
  GarbageUnsearched,
  JobHandle,
} from '../../src/backend/training-backend.js';
import { regionOf } from './aws-region.js';
import { ec2Clients } from './ec2-clients.js';
import { decodeEc2Details } from './ec2-details.js';
import { isEnded, ledgerInstances, stateName } from './ec2-instances.js';
import { aws, awsError } from './ec2-errors.js';
import { awsSdk } from './ec2-sdk.js';
import { clusterName, ledgerPrefix, workdirsPrefix } from './ec2-names.js';

/** Staged files a job needs only to start; what it produced (log, markers, result, outputs) stays until pulled. */
const STARTUP_OBJECTS = /\/(bootstrap-[^/]+\.sh|nodes\/\d+\/secrets\.sh)$/;

/**
 * This ledger's EC2 resources that belong to no active job and may bill: instances not terminated, volumes left
 * unattached, the placement and security groups of ended multi-node jobs, staged startup objects, and workdir
 * archives no active job uses. Only resources tagged (or, for objects, prefixed) with this ledger's id are ever
 * considered, never a colleague's. Every look-up that fails is returned as a place not searched, with AWS's error.
 */
export async function findEc2Garbage(
  activeJobIds: ReadonlySet<string>,
  knownJobs: readonly JobHandle[],
  context: BackendContext,
): Promise<GarbageSearch> {
  const places = new Map<string, Set<string>>();
  const defaultRegion = regionOf(undefined, context.env);
  const known = knownJobs.map((job) => ({ jobId: job.jobId, details: decodeEc2Details(job.details, context) }));
  for (const details of [
    ...known.map((job) => job.details),
    ...(defaultRegion ? [decodeEc2Details(undefined, context)] : []),
  ]) {
    places.set(details.region, new Set([...(places.get(details.region) ?? []), details.bucket]));
  }
  // The archives active jobs use (a submitting one's too: the plan recorded its key before staging). A job recorded
  // by an older dlrun does not say which is its own, so while one is active no archive is collected.
  const active = known.filter((job) => activeJobIds.has(job.jobId));
  const inUse = active.every((job) => job.details.workdirKey !== undefined)
    ? new Set(active.map((job) => job.details.workdirKey!))
    : undefined;
  const items: GarbageItem[] = [];
  const unsearched: GarbageUnsearched[] = [];
  const look = async <T>(kind: string, location: string, lookUp: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await lookUp();
    } catch (error) {
      unsearched.push({ kind, location, error: (error as Error).message });
      return undefined;
    }
  };
  const { ec2: sdk } = awsSdk();
  const ledgerFilter = [{ Name: `tag:${LEDGER_TAG}`, Values: [context.ledgerId] }];
  const jobOf = (tags: readonly { Key?: string; Value?: string }[] | undefined): JobId | null =>
    asJobIdOrNull(tags?.find((tag) => tag.Key === JOB_ID_TAG)?.Value);
  const orphan = (jobId: JobId | null): boolean => !(jobId && activeJobIds.has(jobId));
  await Promise.all(
    [...places].map(async ([region, buckets]) => {
      const { ec2, s3 } = ec2Clients(region, context);
      for (const { jobId, instance } of (await look('instance', region, () =>
        ledgerInstances(ec2, context.ledgerId),
      )) ?? []) {
        if (!orphan(jobId) || isEnded(instance)) continue;
        const since = instance.LaunchTime?.toISOString() ?? '?';
        items.push({
          kind: 'instance',
          id: instance.InstanceId!,
          jobId,
          description: `${instance.InstanceType} ${stateName(instance)} since ${since}`,
          location: region,
        });
      }
      const volumes = await look('volume', region, () =>
        aws(`listing unattached volumes in ${region}`, () =>
          ec2.send(
            new sdk.DescribeVolumesCommand({ Filters: [...ledgerFilter, { Name: 'status', Values: ['available'] }] }),
          ),
        ),
      );
      for (const volume of volumes?.Volumes ?? []) {
        const jobId = jobOf(volume.Tags);
        if (orphan(jobId))
          items.push({
            kind: 'volume',
            id: volume.VolumeId!,
            jobId,
            description: `${volume.Size} GiB ${volume.VolumeType} volume, unattached`,
            location: region,
          });
      }
      const groups = await look('security-group', region, () =>
        aws(`listing security groups in ${region}`, () =>
          ec2.send(new sdk.DescribeSecurityGroupsCommand({ Filters: ledgerFilter })),
        ),
      );
      for (const group of groups?.SecurityGroups ?? []) {
        const jobId = jobOf(group.Tags);
        if (orphan(jobId))
          items.push({
            kind: 'security-group',
            id: group.GroupId!,
            jobId,
            description: `security group ${group.GroupName}`,
            location: region,
          });
      }
      const placement = await look('placement-group', region, () =>
        aws(`listing placement groups in ${region}`, () =>
          ec2.send(new sdk.DescribePlacementGroupsCommand({ Filters: ledgerFilter })),
        ),
      );
      for (const group of placement?.PlacementGroups ?? []) {
        const jobId = jobOf(group.Tags);
        if (orphan(jobId))
          items.push({
            kind: 'placement-group',
            id: group.GroupName ?? (jobId ? clusterName(jobId) : '?'),
            jobId,
            description: `cluster placement group ${group.GroupName}`,
            location: region,
          });
      }
      for (const bucket of buckets) {
        const location = `${region}/${bucket}`;
        const startup = await look('object', location, () =>
          listObjects(s3, bucket, `${ledgerPrefix(context.ledgerId)}jobs/`),
        );
        for (const object of startup ?? []) {
          const jobId = asJobIdOrNull(/jobs\/([^/]+)\//.exec(object.key)?.[1]);
          if (STARTUP_OBJECTS.test(object.key) && orphan(jobId))
            items.push({
              kind: 'object',
              id: object.key,
              jobId,
              description: `s3://${bucket}/${object.key} (${object.size} bytes)`,
              location,
            });
        }
        if (!inUse) continue;
        const archives = await look('object', location, () =>
          listObjects(s3, bucket, workdirsPrefix(context.ledgerId)),
        );
        for (const object of archives ?? []) {
          if (!inUse.has(object.key))
            items.push({
              kind: 'object',
              id: object.key,
              jobId: null,
              description: `s3://${bucket}/${object.key} (${object.size} bytes, a workdir archive no active job uses)`,
              location,
            });
        }
      }
    }),
  );
  return { items, unsearched };
}

/**
 * Every object under `prefix`; a bucket that does not exist holds none (the default region's may never have been made).
 */
async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<{ key: string; size: number }[]> {
  const { s3: sdk } = awsSdk();
  const found: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await s3.send(
        new sdk.ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchBucket') return found;
      throw awsError(error, `listing s3://${bucket}/${prefix}`);
    }
    for (const object of page.Contents ?? []) found.push({ key: object.Key ?? '', size: object.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return found;
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
        if (kind === 'instance')
          await clients.ec2.send(new sdk.ec2.TerminateInstancesCommand({ InstanceIds: [item.id] }));
        else if (kind === 'object')
          await clients.s3.send(new sdk.s3.DeleteObjectCommand({ Bucket: bucket!, Key: item.id }));
        else if (kind === 'volume') await clients.ec2.send(new sdk.ec2.DeleteVolumeCommand({ VolumeId: item.id }));
        else if (kind === 'security-group')
          await clients.ec2.send(new sdk.ec2.DeleteSecurityGroupCommand({ GroupId: item.id }));
        else if (kind === 'placement-group')
          await clients.ec2.send(new sdk.ec2.DeletePlacementGroupCommand({ GroupName: item.id }));
      } catch (error) {
        left.push({ item, reason: `${(error as { name?: string }).name ?? 'error'}: ${(error as Error).message}` });
      }
    }
  }
  return left;
}
