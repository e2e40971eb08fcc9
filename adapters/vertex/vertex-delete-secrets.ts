import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import type { VertexClients } from './vertex-clients.js';
import { jobObjects, type VertexJobDetails } from './vertex-details.js';

/**
 * Remove a job's secrets object once no node will read it again (the job ended or is being cancelled). Best effort,
 * never failing the caller: a missing object is fine, and `dlrun gc` removes one left behind.
 */
export async function deleteJobSecrets(
  clients: Pick<VertexClients, 'storage'>,
  details: Pick<VertexJobDetails, 'bucket' | 'prefix' | 'secrets'>,
  ledgerId: LedgerId,
  jobId: JobId,
): Promise<void> {
  if (!details.secrets || !details.bucket) return;
  const name = jobObjects(details, ledgerId, jobId).secrets;
  await clients.storage
    .bucket(details.bucket)
    .file(name)
    .delete({ ignoreNotFound: true })
    .then(
      () => undefined,
      () => undefined,
    );
}
