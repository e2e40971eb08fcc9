import type { BackendContext, JobHandle } from '../../src/backend/training-backend.js';
import type { CustomJob } from './vertex-list-jobs.js';
import { parseRfc3339 } from './vertex-map-state.js';

/**
 * What the bill of an ended Vertex AI job needs from Vertex: its own startTime (first RUNNING) and endTime, which
 * the bill prefers to the ledger's times (dlrun only sees the job when it polls), and how many replicas ran.
 * Times are ISO 8601; either is absent when Vertex gives none (a job cancelled before it ran has no startTime).
 */
export interface VertexBillingFacts {
  readonly startTime?: string;
  readonly endTime?: string;
  readonly replicas: number;
}

/** More replicas than this in one job is not a custom job Vertex ran: the facts are not believed. */
const MAX_REPLICAS = 10_000;

/** The facts from a custom job as customJobs.get or list gave it (vertex-status.ts passes what it listed). */
export function billingFactsOf(job: CustomJob): VertexBillingFacts {
  const startTime = parseRfc3339(job.startTime);
  const endTime = parseRfc3339(job.endTime);
  const replicas = (job.jobSpec?.workerPoolSpecs ?? []).reduce((sum, pool) => {
    // replicaCount is an int64, which proto3 JSON writes as a string; an empty pool (`{}`) counts none.
    const count = Number(pool?.replicaCount ?? 0);
    return sum + (Number.isInteger(count) && count > 0 ? count : 0);
  }, 0);
  return {
    ...(startTime ? { startTime } : {}),
    ...(endTime && (!startTime || endTime >= startTime) ? { endTime } : {}),
    replicas: Math.max(1, replicas),
  };
}

/**
 * Facts as the ledger or a status handed them on: anything that is not their shape (another backend's facts, a
 * hand-edited ledger) is undefined, and the bill then uses the ledger's times. A time that is not one is dropped;
 * an end before the start is not believed.
 */
export function parseVertexBillingFacts(facts: unknown): VertexBillingFacts | undefined {
  if (typeof facts !== 'object' || facts === null || Array.isArray(facts)) return undefined;
  const value = facts as Record<string, unknown>;
  const replicas = value.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS)
    return undefined;
  const time = (field: unknown): string | undefined => {
    if (typeof field !== 'string' || field.length > 64) return undefined;
    return parseRfc3339(field);
  };
  const startTime = time(value.startTime);
  const endTime = time(value.endTime);
  if (value.startTime !== undefined && startTime === undefined) return undefined;
  if (value.endTime !== undefined && endTime === undefined) return undefined;
  if (startTime && endTime && endTime < startTime) return undefined;
  return { ...(startTime ? { startTime } : {}), ...(endTime ? { endTime } : {}), replicas };
}

/**
 * TrainingBackend.billingFacts: one request, the job by its recorded name, else by its labels. Undefined when
 * Vertex has no such job (deleted, or never created): the bill then uses the ledger's times.
 */
export async function vertexBillingFacts(
  handle: JobHandle,
  context: BackendContext,
): Promise<VertexBillingFacts | undefined> {
  // Loaded here: the bill rules (vertex-pricing.ts) import this file for the facts' shape alone, and stay offline.
  const [{ clientsOf, decodeVertexDetails }, { customJobOf }] = await Promise.all([
    import('./vertex-details.js'),
    import('./vertex-get-job.js'),
  ]);
  const details = decodeVertexDetails(handle.details, context);
  const job = await customJobOf(handle, details, clientsOf(details, context), context);
  return job ? billingFactsOf(job) : undefined;
}
