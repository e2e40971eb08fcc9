import { ProviderError } from '../../src/base/errors.js';
import type { BackendContext, JobHandle } from '../../src/backend/training-backend.js';
import type { VertexClients } from './vertex-clients.js';
import type { VertexJobDetails } from './vertex-details.js';
import { google } from './vertex-errors.js';
import { type CustomJob, findJob, parentOf } from './vertex-list-jobs.js';

type JobClients = Pick<VertexClients, 'aiplatform' | 'deadline' | 'project'>;

/** Whether an error is Vertex saying the resource does not exist (a google.rpc NOT_FOUND, or a bare 404). */
function isNotFound(error: unknown): boolean {
  return error instanceof ProviderError && (error.providerCode === 'NOT_FOUND' || error.providerCode === '404');
}

/** customJobs.get of one job by its name; undefined when Vertex has no such job (deleted since). */
export async function getCustomJob(
  clients: JobClients,
  name: string,
  signal?: AbortSignal,
): Promise<CustomJob | undefined> {
  try {
    const { data } = await google(
      `reading the Vertex AI custom job ${name}`,
      () => clients.aiplatform.projects.locations.customJobs.get({ name }, signal ? { signal } : {}),
      clients.deadline,
    );
    return data;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The custom job of a handle in one request: by the name the ledger recorded, else (a submit that died before
 * recording it) by its labels. Undefined when there is none.
 */
export async function customJobOf(
  handle: JobHandle,
  details: Pick<VertexJobDetails, 'project' | 'region'>,
  clients: JobClients,
  context: BackendContext,
): Promise<CustomJob | undefined> {
  if (handle.externalId) return getCustomJob(clients, handle.externalId, context.signal);
  const parent = parentOf(details.project ?? (await clients.project()), details.region);
  return findJob(clients, parent, context.ledgerId, handle.jobId, context.signal);
}
