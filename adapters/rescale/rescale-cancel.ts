import { ProviderError } from '../../src/base/errors.js';
import type { BackendContext, JobHandle } from '../../src/backend/training-backend.js';
import type { RescaleClient } from './rescale-client.js';
import { RescaleApiError } from './rescale-errors.js';
import { jobClient } from './rescale-job-client.js';
import { decodeRescaleDetails } from './rescale-details.js';
import { deletedUnsubmitted } from './rescale-delete-job.js';
import { rescaleIdOf } from './rescale-job-id.js';
import { RESCALE_TERMINAL, type RescaleStatusEntry } from './rescale-map-state.js';

/**
 * Stop a Rescale job (`POST /api/v2/jobs/{id}/stop/`, asynchronous: Stopping, then Stopped [V]); a job created but
 * never submitted is deleted instead. A job that has ended, or is stopping, is left as it is. A stop whose answer is
 * lost is not sent again blindly: the job's status says whether it took. stopOrDeleteRescaleJob says 'deleted' when the
 * job was deleted (gc reports it removed, not asked to stop).
 */
export async function cancelRescaleJob(handle: JobHandle, context: BackendContext): Promise<void> {
  await stopOrDeleteRescaleJob(handle, context);
}

export async function stopOrDeleteRescaleJob(
  handle: JobHandle,
  context: BackendContext,
): Promise<'deleted' | undefined> {
  const details = decodeRescaleDetails(handle.details);
  if (!details.platform) return;
  const client = jobClient(details.platform, context);
  const id = await rescaleIdOf(client, handle);
  if (id === undefined) return;
  const path = `/api/v2/jobs/${encodeURIComponent(id)}/`;
  const status = await newestStatusOrGone(client, id);
  // Gone (deleted, or never there): nothing runs, nothing to stop.
  if (status === undefined || RESCALE_TERMINAL.has(status) || status === 'Stopping') return;
  if (status === 'Pending' && (await deletedUnsubmitted(client, path))) return 'deleted';
  try {
    await client.postOnce(`${path}stop/`);
  } catch (error) {
    if (!(error instanceof ProviderError) || !error.isRetryable) throw error;
    const after = await newestStatus(client, id);
    if (after !== 'Stopping' && !RESCALE_TERMINAL.has(after)) await client.postOnce(`${path}stop/`);
  }
}

/** The newest status, or undefined when Rescale has no such job (404): a cancel of a job gone is a no-op. */
async function newestStatusOrGone(client: RescaleClient, id: string): Promise<string | undefined> {
  try {
    return await newestStatus(client, id);
  } catch (error) {
    if (error instanceof RescaleApiError && error.status === 404) return undefined;
    throw error;
  }
}

export async function newestStatus(client: RescaleClient, id: string): Promise<string> {
  // Newest first, as Rescale lists them [V]: two statuses of the same instant keep their order that way.
  const history = await client.listAll<RescaleStatusEntry>(`/api/v2/jobs/${encodeURIComponent(id)}/statuses/`);
  return history[0]?.status ?? 'Pending';
}
