import type { JobId } from '../../src/backend/job-id.js';
import type { JobHandle } from '../../src/backend/training-backend.js';
import type { RescaleClient } from './rescale-client.js';
import { findJobByName } from './rescale-list-jobs.js';

/** The Rescale job id of a handle: the one recorded, else the job found by its name; undefined when there is none. */
export async function rescaleIdOf(client: RescaleClient, handle: JobHandle): Promise<string | undefined> {
  if (handle.externalId) return handle.externalId;
  return (await findJobByName(client, handle.jobId as JobId))?.id;
}
