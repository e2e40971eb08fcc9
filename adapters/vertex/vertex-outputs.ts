import { DlrunError } from '../../src/base/errors.js';
import { parseResult } from '../../src/backend/job-result.js';
import type { BackendContext, JobHandle, PulledOutputs } from '../../src/backend/training-backend.js';
import { pullOutputsArchive } from '../../src/util/unpack-outputs.js';
import { clientsOf, decodeVertexDetails, jobObjects, stagingOf } from './vertex-details.js';
import { downloadObject } from './vertex-read-object.js';
import { getText, gsUrl } from './vertex-staging.js';

/**
 * Fetch the outputs node 0's bootstrap uploaded at the end of the job (a tar.gz of its outputs folder,
 * jobObjects().outputs), streamed to a temporary file, and unpack them into `destination` as every backend does
 * (src/util/unpack-outputs.ts: the archive is untrusted, nothing lands outside the folder, no link is followed).
 */
export async function pullVertexOutputs(
  handle: JobHandle,
  destination: string,
  context: BackendContext,
): Promise<PulledOutputs> {
  const details = decodeVertexDetails(handle.details, context);
  if (details.bucket === '')
    throw new DlrunError(`job ${handle.jobId} has no staging bucket in the ledger, so it has no outputs to pull`, {
      hint: 'the job was never launched on Vertex AI; `dlrun status` shows what became of it',
    });
  const { storage, storageDeadline } = clientsOf(details, context);
  const location = stagingOf(details);
  const objects = jobObjects(details, context.ledgerId, handle.jobId);
  const none = new Error('no outputs object');
  const pulled = await pullOutputsArchive(async (archive) => {
    if (!(await downloadObject(storage, location, objects.outputs, archive, storageDeadline))) throw none;
  }, destination).catch((error: unknown) => {
    if (error === none) return undefined;
    throw error;
  });
  if (pulled) return pulled;
  // Why there are none: the result, node 0's last upload, says how the job ended when it has.
  const result = await getText(storage, location, objects.result, storageDeadline).catch(() => undefined);
  const ended = result === undefined ? undefined : parseResult(result);
  const where = gsUrl(location, objects.outputs);
  const how = ended ? `${ended.state ?? 'ended'}${ended.reason ? `: ${ended.reason.slice(0, 200)}` : ''}` : '';
  throw new DlrunError(
    ended
      ? `job ${handle.jobId} ended (${how}) without uploading outputs (${where})`
      : `job ${handle.jobId} has uploaded no outputs yet (${where})`,
    {
      hint: ended
        ? "the job's outputs folder was missing or could not be uploaded; `dlrun logs` shows what happened"
        : 'node 0 uploads its outputs folder when the job ends: see `dlrun status`, and pull again once it has ended',
    },
  );
}
