import { DlrunError } from '../../src/base/errors.js';
import type { BackendContext, JobHandle, PulledOutputs } from '../../src/backend/training-backend.js';
import { pullOutputsArchive } from '../../src/util/unpack-outputs.js';
import { jobClient } from './rescale-job-client.js';
import { decodeRescaleDetails } from './rescale-details.js';
import { DLRUN_FILES, fileAt, jobFiles } from './rescale-job-files.js';
import { rescaleIdOf } from './rescale-job-id.js';

/**
 * Fetch the outputs the bootstrap packed at the end of the job (`dlrun/outputs.tar.gz`, one of the job's output
 * files once it has ended), streamed to a temporary file, and unpack them into `destination` as every backend does
 * (src/util/unpack-outputs.ts: the archive is untrusted, nothing lands outside the folder, no link is followed).
 */
export async function pullRescaleOutputs(
  handle: JobHandle,
  destination: string,
  context: BackendContext,
): Promise<PulledOutputs> {
  const details = decodeRescaleDetails(handle.details);
  const client = jobClient(details.platform, context);
  const id = details.platform ? await rescaleIdOf(client, handle) : undefined;
  if (id === undefined)
    throw new DlrunError(`job ${handle.jobId} was never launched on Rescale, so it has no outputs to pull`, {
      hint: '`dlrun status` shows what became of it',
    });
  const archive = fileAt(await jobFiles(client, id), DLRUN_FILES.outputs);
  if (!archive)
    throw new DlrunError(`Rescale job ${id} has no ${DLRUN_FILES.outputs} among its files yet`, {
      hint: "Rescale collects a job's files when it ends: see `dlrun status`, and pull again once it has ended",
    });
  return pullOutputsArchive(async (file) => {
    await client.download(`/api/v2/files/${encodeURIComponent(archive.id)}/contents/`, file);
  }, destination);
}
