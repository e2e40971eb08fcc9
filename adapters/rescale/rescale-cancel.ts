import { ProviderError } from '../../src/base/errors.js';
import type { BackendContext, JobHandle } from '../../src/backend/training-backend.js';
import type { RescaleClient } from './rescale-client.js';
import { jobClient } from './rescale-job-client.js';
import { decodeRescaleDetails } from './rescale-details.js';
import { rescaleIdOf } from './rescale-job-id.js';
import { RESCALE_TERMINAL, type RescaleStatusEntry } from './rescale-map-state.js';

/**
 * Stop a Rescale job (`POST /api/v2/jobs/{id}/stop/`, asynchronous: Stopping, then Stopped [V]); a job created but
 * never submitted is deleted instead. A job that has ended, or is stopping, is left as it is. A stop whose answer is
 * lost is not sent again blindly: the job's status says whether it took.
 */
export async function cancelRescaleJob(handle: JobHandle, context: BackendContext): Promise<void> {
  const details = decodeRescaleDetails(handle.details);
  if (!details.platform) return;
  const client = jobClient(details.platform, context);
  const id = await rescaleIdOf(client, handle);
  if (id === undefined) return;
  const path = `/api/v2/jobs/${encodeURIComponent(id)}/`;
  const status = await newestStatus(client, id);
  if (RESCALE_TERMINAL.has(status) || status === 'Stopping') return;
  if (status === 'Pending') {
    if (await deletedUnsubmitted(client, path)) return;
    // Refused: Pending is also a job just submitted, until Rescale queues it. It is stopped as a running one.
  }
  try {
    await client.postOnce(`${path}stop/`);
  } catch (error) {
    if (!(error instanceof ProviderError) || !error.isRetryable) throw error;
    const after = await newestStatus(client, id);
    if (after !== 'Stopping' && !RESCALE_TERMINAL.has(after)) await client.postOnce(`${path}stop/`);
  }
}

export async function newestStatus(client: RescaleClient, id: string): Promise<string> {
  // Newest first, as Rescale lists them [V]: two statuses of the same instant keep their order that way.
  const history = await client.listAll<RescaleStatusEntry>(`/api/v2/jobs/${encodeURIComponent(id)}/statuses/`);
  return history[0]?.status ?? 'Pending';
}

/**
 * Delete a job whose newest status is Pending: true when deleted. False when Rescale refuses it (4xx), as it refuses
 * deleting a job that has been submitted: Pending lasts until the job is queued [U how long at Rescale; the
 * stand-in keeps it `pendingMs`].
 */
export async function deletedUnsubmitted(client: RescaleClient, path: string): Promise<boolean> {
  try {
    await client.delete(path);
    return true;
  } catch (error) {
    if (error instanceof ProviderError && !error.isRetryable) return false;
    throw error;
  }
}
