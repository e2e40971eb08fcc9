/**
 * `dlrun gc` for Vertex AI: custom jobs of this ledger still running for no active dlrun job, and the staged objects
 * of ended jobs that still cost storage but are not results (vertex-garbage-objects.ts). Only the places the
 * ledger's Vertex jobs name are searched (their projects, regions, buckets and prefixes), and only what carries this
 * ledger's label there is considered, never a colleague's.
 */
import { type JobId, asJobId } from '../../src/backend/job-id.js';
import type {
  BackendContext,
  GarbageItem,
  GarbageLeft,
  GarbageSearch,
  GarbageUnsearched,
  JobHandle,
} from '../../src/backend/training-backend.js';
import { type VertexClients, vertexClients } from './vertex-clients.js';
import { labelValue } from './vertex-custom-job.js';
import { clientsOf, decodeVertexDetails, stagingOf, type VertexJobDetails } from './vertex-details.js';
import { google, said } from './vertex-errors.js';
import { listStagedObjects, objectGarbage } from './vertex-garbage-objects.js';
import { type CustomJob, jobIdLabel, ledgerFilter, listCustomJobs, parentOf } from './vertex-list-jobs.js';
import { gsUrl, ledgerPrefix } from './vertex-staging.js';

/** States of a job that still runs, or may (Vertex bills a job from start to end): cancelled when no job owns it. */
const RUNNING_STATES = new Set([
  'JOB_STATE_QUEUED',
  'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_PAUSED',
  'JOB_STATE_UPDATING',
  'JOB_STATE_CANCELLING',
]);

/** The ended states, left out by the list's filter (`!=` and AND only, as Vertex documents the filter). */
const ENDED_STATES = [
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_EXPIRED',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
];

interface Known {
  readonly jobId: JobId;
  readonly details: VertexJobDetails;
}

export async function findVertexGarbage(
  activeJobIds: ReadonlySet<string>,
  knownJobs: readonly JobHandle[],
  context: BackendContext,
): Promise<GarbageSearch> {
  const known: Known[] = knownJobs.map((job) => ({
    jobId: job.jobId,
    details: decodeVertexDetails(job.details, context),
  }));
  const items: GarbageItem[] = [];
  const unsearched: GarbageUnsearched[] = [];
  // Where the jobs ran: each project and region once (a job without a project of its own used the credentials').
  const parents = await jobParents(known, context, unsearched);
  // Where they staged: one search per bucket and prefix. A job without a bucket never staged anything.
  const bucketPlaces = new Map<string, Known[]>();
  for (const job of known) {
    if (job.details.bucket === '') continue;
    const key = `${job.details.bucket}/${job.details.prefix}`;
    bucketPlaces.set(key, [...(bucketPlaces.get(key) ?? []), job]);
  }
  await Promise.all([
    ...[...parents.values()].map(async (parent) => {
      try {
        items.push(...(await runningJobs(parent, activeJobIds, known, context)));
      } catch (error) {
        unsearched.push({ kind: 'custom-job', location: parent.where, error: said(error) });
      }
    }),
    ...[...bucketPlaces.values()].map(async (jobs) => {
      const first = jobs[0]!.details;
      const location = stagingOf(first);
      const folder = ledgerPrefix(location, context.ledgerId);
      try {
        const { storage, storageDeadline } = clientsOf(first, context);
        const objects = await listStagedObjects(storage, location, folder, storageDeadline);
        items.push(
          ...objectGarbage(objects, {
            location,
            ledgerId: context.ledgerId,
            activeJobIds,
            archivesInUse: archivesInUse(jobs, activeJobIds),
          }),
        );
      } catch (error) {
        unsearched.push({ kind: 'object', location: gsUrl(location, folder), error: said(error) });
      }
    }),
  ]);
  // The same job or object found twice (a project named by its id and by its number) is one item.
  const unique = new Map(items.map((item) => [`${item.kind} ${item.location} ${item.id}`, item]));
  return { items: [...unique.values()], unsearched };
}

interface JobParent {
  readonly project: string;
  readonly region: string;
  /** `project/region`, for gc's messages. */
  readonly where: string;
  readonly clients: VertexClients;
}

/** The distinct projects and regions of the jobs; a project that cannot be worked out is a region not searched. */
async function jobParents(
  known: readonly Known[],
  context: BackendContext,
  unsearched: GarbageUnsearched[],
): Promise<Map<string, JobParent>> {
  const places = new Map<string, Known['details']>();
  for (const { details } of known) places.set(`${details.project ?? ''} ${details.region}`, details);
  const parents = new Map<string, JobParent>();
  await Promise.all(
    [...places.values()].map(async (place) => {
      try {
        const clients = clientsOf(place, context);
        const project = await clients.project();
        const where = `${project}/${place.region}`;
        parents.set(where, { project, region: place.region, where, clients });
      } catch (error) {
        unsearched.push({
          kind: 'custom-job',
          location: place.project ? `${place.project}/${place.region}` : place.region,
          error: said(error),
        });
      }
    }),
  );
  return parents;
}

/**
 * The archives the active jobs of one bucket and prefix use. A job that records none (one planned by an older
 * dlrun, say) may use any: then no archive there is collected while it is active.
 */
function archivesInUse(jobs: readonly Known[], activeJobIds: ReadonlySet<string>): ReadonlySet<string> | undefined {
  const active = jobs.filter((job) => activeJobIds.has(job.jobId));
  if (active.some((job) => job.details.workdirObject === null)) return undefined;
  return new Set(active.map((job) => job.details.workdirObject!));
}

/** The custom jobs of this ledger in one project and region that still run for no active dlrun job. */
async function runningJobs(
  parent: JobParent,
  activeJobIds: ReadonlySet<string>,
  known: readonly Known[],
  context: BackendContext,
): Promise<GarbageItem[]> {
  const filter = [ledgerFilter(context.ledgerId), ...ENDED_STATES.map((state) => `state!="${state}"`)].join(' AND ');
  const jobs = await listCustomJobs(parent.clients, parentOf(parent.project, parent.region), filter, context.signal);
  const active = new Set([...activeJobIds].map((id) => labelValue(id)));
  const byLabel = new Map(known.map((job) => [labelValue(job.jobId), job.jobId]));
  const items: GarbageItem[] = [];
  for (const job of jobs) {
    const label = jobIdLabel(job);
    if (!RUNNING_STATES.has(job.state ?? '') || !job.name || (label !== undefined && active.has(label))) continue;
    items.push({
      kind: 'custom-job',
      id: job.name,
      jobId: jobIdOf(label, byLabel),
      description: describe(job),
      location: parent.where,
    });
  }
  return items;
}

/** The dlrun job a label names: a known job's id, else the label itself unless it is a hashed one (`h_...`). */
function jobIdOf(label: string | undefined, byLabel: ReadonlyMap<string, JobId>): JobId | null {
  if (label === undefined) return null;
  return byLabel.get(label) ?? (label.startsWith('h_') ? null : asJobId(label));
}

function describe(job: CustomJob): string {
  const state = (job.state ?? 'JOB_STATE_UNSPECIFIED').replace(/^JOB_STATE_/, '');
  const since = job.startTime ?? job.createTime;
  return `Vertex AI custom job "${job.displayName ?? '?'}", ${state}${since ? ` since ${since}` : ''}`;
}

/**
 * Cancel the custom jobs and delete the objects findVertexGarbage found. A job already cancelling is left, "still
 * cancelling" (gc says to run again); a job or object already gone counts as removed.
 */
export async function removeVertexGarbage(
  items: readonly GarbageItem[],
  context: BackendContext,
): Promise<readonly GarbageLeft[]> {
  const left: GarbageLeft[] = [];
  const clientsByRegion = new Map<string, VertexClients>();
  const clientsFor = (region: string | undefined): VertexClients => {
    const key = region ?? '';
    if (!clientsByRegion.has(key)) clientsByRegion.set(key, vertexClients(region, context));
    return clientsByRegion.get(key)!;
  };
  for (const item of items.filter((candidate) => candidate.kind === 'custom-job')) {
    try {
      const reason = await cancelJob(item.id, clientsFor(/\/locations\/([^/]+)\//.exec(item.id)?.[1]), context);
      if (reason) left.push({ item, reason });
    } catch (error) {
      left.push({ item, reason: said(error) });
    }
  }
  for (const item of items.filter((candidate) => candidate.kind === 'object')) {
    try {
      const { storage, storageDeadline } = clientsFor(undefined);
      await google(
        `deleting ${gsUrl({ bucket: item.location, prefix: '' }, item.id)}`,
        () => storage.bucket(item.location).file(item.id).delete({ ignoreNotFound: true }),
        storageDeadline,
      );
    } catch (error) {
      left.push({ item, reason: said(error) });
    }
  }
  return left;
}

/** Cancel one custom job unless it has ended or is cancelling already; why it is still there, if it is. */
async function cancelJob(name: string, clients: VertexClients, context: BackendContext): Promise<string | undefined> {
  const jobs = clients.aiplatform.projects.locations.customJobs;
  const options = context.signal ? { signal: context.signal } : {};
  let state: string;
  try {
    const { data } = await google(`reading ${name}`, () => jobs.get({ name }, options), clients.deadline);
    state = data.state ?? '';
  } catch (error) {
    if ((error as { providerCode?: string }).providerCode === 'NOT_FOUND') return undefined;
    throw error;
  }
  if (state === 'JOB_STATE_CANCELLING') return 'still cancelling';
  if (!RUNNING_STATES.has(state)) return undefined;
  await google(`cancelling ${name}`, () => jobs.cancel({ name }, options), clients.deadline);
  return undefined;
}
