import type { BackendContext, JobHandle } from '../../src/backend/training-backend.js';
import { ec2Clients } from './ec2-clients.js';
import { deleteClusterNetwork } from './ec2-cluster.js';
import { detailsOf } from './ec2-details.js';
import { aws } from './ec2-errors.js';
import { isEnded, ledgerInstances } from './ec2-instances.js';
import { nodeKeys } from './ec2-launch.js';
import { awsSdk } from './ec2-sdk.js';

/**
 * End an EC2 job: terminate every instance of it (never a mere stop: a stopped machine's disks still bill), delete
 * its secrets objects if a node never read them, and its placement and security groups once the instances are gone
 * (`dlrun gc` finishes that when they take longer). A job whose instances have all ended is left as it is.
 */
export async function cancelEc2Job(handle: JobHandle, context: BackendContext): Promise<void> {
  const details = detailsOf(handle, context);
  const { ec2, s3 } = ec2Clients(details.region, context);
  const instances = await ledgerInstances(ec2, context.ledgerId, [handle.jobId]);
  const live = instances.filter(({ instance }) => !isEnded(instance)).map(({ instance }) => instance.InstanceId!);
  const { ec2: sdk, s3: s3Sdk } = awsSdk();
  if (live.length) await aws(`terminating ${live.join(', ')}`, () => ec2.send(new sdk.TerminateInstancesCommand({ InstanceIds: live })));
  for (let rank = 0; rank < details.nodes; rank++) {
    await s3.send(new s3Sdk.DeleteObjectCommand({ Bucket: details.bucket, Key: nodeKeys(context.ledgerId, handle.jobId, rank).secrets })).catch(() => undefined);
  }
  if (details.nodes > 1) await deleteClusterNetwork(ec2, handle.jobId);
}
