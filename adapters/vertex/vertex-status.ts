import { isTerminal } from '../../src/backend/job-state.js';
import { type JobResult, parseResult } from '../../src/backend/job-result.js';
import { type PhaseMarkers, parseMarkers } from '../../src/backend/phase-markers.js';
import type { BackendContext, JobHandle, JobStatus } from '../../src/backend/training-backend.js';
import { mapLimited } from '../../src/util/map-limited.js';
import { billingFactsOf } from './vertex-billing-facts.js';
import type { VertexClients } from './vertex-clients.js';
import { deleteJobSecrets } from './vertex-secrets.js';
import { labelValue } from './vertex-custom-job.js';
import { clientsOf, decodeVertexDetails, jobObjects, stagingOf, type VertexJobDetails } from './vertex-details.js';
import {
  type CustomJob,
  createdSince,
  jobIdLabel,
  ledgerFilter,
  listCustomJobs,
  parentOf,
} from './vertex-list-jobs.js';
import { mapVertexJob } from './vertex-map-state.js';
import { getText } from './vertex-staging.js';

/** Phases come from the markers node 0 uploads, one object read per running job: done for a few jobs only. */
const MARKER_READS_AT_MOST = 25;
/** Object reads (markers, results, cancel requests) in flight at once, across the whole status call. */
const READS_AT_ONCE = 16;
/** A job created this recently may not be listed yet [U]: Vertex does not document how soon list shows a create. */
const VISIBILITY_GRACE_MS = 2 * 60_000;
/** The list asks for jobs created since the oldest submit, less this: the ledger's clock and Google's may differ. */
const CLOCK_SLACK_MS = 10 * 60_000;

interface Tracked {
  readonly handle: JobHandle;
  readonly details: VertexJobDetails;
}

interface Group {
  readonly project: string;
  readonly region: string;
  readonly clients: VertexClients;
  readonly jobs: Tracked[];
}

/** What the object reads of one job gave; a read that failed leaves its part out. */
interface JobReads {
  markers?: PhaseMarkers;
  result?: JobResult;
  cancelRequested?: boolean;
}

/**
 * The status of many Vertex AI jobs: one customJobs.list per project and region, filtered by this ledger's label
 * (and by creation time when every job's submit time is known), its pages followed, whatever the number of jobs;
 * never a get per job. Then, from the staging bucket, node 0's result and the cancel request of jobs that ended,
 * and node 0's markers (the phases) of at most MARKER_READS_AT_MOST running ones. A failed object read costs that
 * job detail, never the status; a list that fails rejects with its ProviderError, as EC2's DescribeInstances does.
 */
export async function vertexStatus(handles: readonly JobHandle[], context: BackendContext): Promise<JobStatus[]> {
  const groups = await groupsOf(handles, context);
  const found = new Map<string, { tracked: Tracked; group: Group; job: CustomJob | undefined }>();
  // Groups are listed at the same time: each region has its own endpoint, and a slow one delays no other.
  await Promise.all(
    groups.map(async (group) => {
      const submitted = group.jobs.map(({ handle }) => handle.submittedAt);
      const times = submitted.map((at) => (at === undefined ? Number.NaN : Date.parse(at)));
      const since = times.every(Number.isFinite)
        ? new Date(times.reduce((a, b) => Math.min(a, b)) - CLOCK_SLACK_MS).toISOString()
        : undefined;
      const listed = await listCustomJobs(
        group.clients,
        parentOf(group.project, group.region),
        createdSince(ledgerFilter(context.ledgerId), since),
        context.signal,
      );
      const byName = new Map(listed.filter((job) => job.name).map((job) => [job.name!, job]));
      const byLabel = new Map<string, CustomJob>();
      // Oldest first, so that of two jobs with one label (a create raced by another submit) the oldest is kept.
      const oldestFirst = [...listed].sort((a, b) => (a.createTime ?? '').localeCompare(b.createTime ?? ''));
      for (const job of oldestFirst) {
        const label = jobIdLabel(job);
        if (label !== undefined && !byLabel.has(label)) byLabel.set(label, job);
      }
      for (const tracked of group.jobs) {
        const { handle } = tracked;
        const job =
          (handle.externalId ? byName.get(handle.externalId) : undefined) ?? byLabel.get(labelValue(handle.jobId));
        found.set(handle.jobId, { tracked, group, job });
      }
    }),
  );

  // The object reads, planned from what the list said: for every ended job its result (and the cancel request when
  // CANCELLED) and, when it ran, its markers; markers for the first running jobs up to the cap. All of them go
  // through one queue, READS_AT_ONCE at a time.
  let markerReads = 0;
  const observedAt = new Date().toISOString();
  const plans = handles.map((handle) => {
    const entry = found.get(handle.jobId)!;
    const job = entry.job;
    const reads: JobReads = {};
    const wanted: ReadKind[] = [];
    if (job) {
      const ended = isTerminal(mapVertexJob({ jobId: handle.jobId, job, observedAt }).state);
      if (ended) wanted.push('result');
      if (ended && job.state === 'JOB_STATE_CANCELLED') wanted.push('cancelRequested');
      if (job.startTime && (ended || markerReads++ < MARKER_READS_AT_MOST)) wanted.push('markers');
    }
    return { entry, reads, wanted };
  });
  const tasks = plans.flatMap((plan) => plan.wanted.map((kind) => ({ plan, kind })));
  await mapLimited(tasks, READS_AT_ONCE, async ({ plan, kind }) => {
    const { group, tracked } = plan.entry;
    Object.assign(plan.reads, await readObject(group.clients, tracked, context, kind));
  });

  const statuses = plans.map(({ entry, reads, wanted }) => {
    const { tracked, group, job } = entry;
    const { handle, details } = tracked;
    if (!job) return missing(handle, group);
    let status = mapVertexJob({
      jobId: handle.jobId,
      job,
      markers: reads.markers,
      stopAfterSeconds: details.stopAfter.seconds,
      cancelRequested: reads.cancelRequested ?? false,
      observedAt: new Date().toISOString(),
    });
    if (reads.result && isTerminal(status.state)) status = withResult(status, reads.result, details);
    status = withLimit(status, details);
    if (!handle.externalId && job.name) status = { ...status, externalId: job.name };
    // A running job past the cap: its markers were not read, so no phase is said (the ledger would otherwise record
    // `run` from startTime for good, before the markers say when it really began), as EC2 does.
    if (!wanted.includes('markers') && !isTerminal(status.state) && job.startTime)
      status = withoutMachinePhases(status);
    // The bill's facts are in the listed job: handed on, so the bill costs no request of its own.
    if (isTerminal(status.state)) status = { ...status, billing: { facts: billingFactsOf(job) } };
    return status;
  });
  // The secrets of a job that ended are no longer needed by any node: removed, best effort.
  const ended = plans.filter(
    ({ entry }, index) => entry.job && entry.tracked.details.secrets && isTerminal(statuses[index]!.state),
  );
  await mapLimited(ended, READS_AT_ONCE, ({ entry }) =>
    deleteJobSecrets(entry.group.clients, entry.tracked.details, context.ledgerId, entry.tracked.handle.jobId),
  );
  return statuses;
}

/** The handles by (project, region); a job without a project of its own is in the credentials' project. */
async function groupsOf(handles: readonly JobHandle[], context: BackendContext): Promise<Group[]> {
  const groups = new Map<string, Group>();
  // One set of clients per project setting and region, whose project is resolved once.
  const made = new Map<string, { clients: VertexClients; project: string }>();
  for (const handle of handles) {
    const decoded = decodeVertexDetails(handle.details, context);
    // A job launched into the credentials' project has it in its custom job's name: asking the credentials again
    // may run `gcloud config config-helper` (half a second) on every status.
    const details = { ...decoded, project: decoded.project ?? projectOfCustomJob(handle.externalId) };
    const setting = `${details.project ?? ''}\n${details.region}`;
    let known = made.get(setting);
    if (!known) {
      const clients = clientsOf(details, context);
      known = { clients, project: details.project ?? (await clients.project()) };
      made.set(setting, known);
    }
    const { clients, project } = known;
    const key = `${project}\n${details.region}`;
    const group = groups.get(key) ?? { project, region: details.region, clients, jobs: [] };
    group.jobs.push({ handle, details });
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The project of a custom job's name (`projects/{project}/locations/{region}/customJobs/{id}`), if it is one. */
export function projectOfCustomJob(name: string | null): string | null {
  return /^projects\/([^/]+)\/locations\/[^/]+\/customJobs\/[^/]+$/.exec(name ?? '')?.[1] ?? null;
}

/**
 * A job the list does not show. One whose create Vertex answered (its name recorded) a moment ago may not be listed
 * yet; anything else is `lost`, and dlrun settles a job whose submit recorded no name from how far the submit got
 * (src/core/refresh-jobs.ts), as for EC2.
 */
function missing(handle: JobHandle, group: Group): JobStatus {
  const observedAt = new Date().toISOString();
  const base = { jobId: handle.jobId, observedAt };
  if (handle.externalId && handle.submittedAt && Date.now() - Date.parse(handle.submittedAt) < VISIBILITY_GRACE_MS) {
    return {
      ...base,
      state: 'pending',
      phase: 'queued',
      providerState: 'not listed yet',
      message: 'the custom job is not visible at Vertex AI yet (it can take a few seconds)',
    };
  }
  return {
    ...base,
    state: 'lost',
    providerState: 'no custom job',
    message:
      `Vertex AI has no custom job labelled with the job id ${handle.jobId} in project ${group.project}, ` +
      `region ${group.region}`,
    // Nothing ran that Vertex knows of: the bill uses the ledger's times, without asking again.
    billing: { facts: undefined },
  };
}

type ReadKind = 'markers' | 'result' | 'cancelRequested';

/** One object read for a job's status; a read that fails is left out (the job then has fewer details). */
async function readObject(
  clients: VertexClients,
  { handle, details }: Tracked,
  context: BackendContext,
  kind: ReadKind,
): Promise<JobReads> {
  if (!details.bucket) return {};
  const objects = jobObjects(details, context.ledgerId, handle.jobId);
  const name = kind === 'markers' ? objects.markers(0) : kind === 'result' ? objects.result : objects.cancelRequested;
  let text: string | undefined;
  try {
    text = await getText(clients.storage, stagingOf(details), name, clients.storageDeadline);
  } catch {
    return {};
  }
  if (kind === 'cancelRequested') return { cancelRequested: text !== undefined };
  if (text === undefined) return {};
  return kind === 'markers' ? { markers: parseMarkers(text) } : { result: parseResult(text) };
}

/**
 * What node 0's result adds to how Vertex says the job ended: the exit code, the reason a job failed in the job's
 * own words (Vertex only says a replica exited non-zero), and that the bootstrap stopped it at its limit. The
 * result is text the machine wrote: its reason is kept to one line and a few hundred characters.
 */
function withResult(status: JobStatus, result: JobResult, details: VertexJobDetails): JobStatus {
  const reason = result.reason ? oneLine(result.reason) : undefined;
  const exit = result.exitCode !== undefined ? { exitCode: result.exitCode } : {};
  if (result.limitReached || status.state === 'timed_out') {
    const why = status.state === 'timed_out' && status.message ? status.message : 'the job was stopped at its limit';
    return withLimit({ ...status, ...exit, state: 'timed_out', message: why }, details);
  }
  if (status.state === 'failed' && result.exitCode !== undefined && result.exitCode !== 0) {
    const named = reason && new RegExp(`\\b${result.exitCode}\\b`).test(reason) ? reason : undefined;
    const message = named ?? `the job exited with status ${result.exitCode}${reason ? ` (${reason})` : ''}`;
    return { ...status, ...exit, message };
  }
  return { ...status, ...exit };
}

function withoutMachinePhases(status: JobStatus): JobStatus {
  const { phase: _phase, phaseStartedAt, ...rest } = status;
  return { ...rest, phaseStartedAt: phaseStartedAt?.queued ? { queued: phaseStartedAt.queued } : {} };
}

/** A job stopped at its limit says which (max_runtime 4h, max_cost $5 ...), as the plan worked it out. */
function withLimit(status: JobStatus, details: VertexJobDetails): JobStatus {
  const limit = details.stopAfter.reason;
  if (status.state !== 'timed_out' || !limit || status.message?.startsWith(limit)) return status;
  return { ...status, message: `${limit} reached: ${status.message ?? 'the job was stopped at its limit'}` };
}

/** Machine-written text for a message: control characters out, one line, bounded. */
function oneLine(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return clean.length > 300 ? `${clean.slice(0, 300)}...` : clean;
}
