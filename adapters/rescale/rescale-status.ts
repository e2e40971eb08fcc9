import { parseResult } from '../../src/backend/job-result.js';
import type { JobId } from '../../src/backend/job-id.js';
import { parseMarkers } from '../../src/backend/phase-markers.js';
import type { BackendContext, JobHandle, JobStatus } from '../../src/backend/training-backend.js';
import { mapLimited } from '../../src/util/map-limited.js';
import { rescaleBillingFactsOf } from './rescale-billing-facts.js';
import type { RescaleClient } from './rescale-client.js';
import { jobClient } from './rescale-job-client.js';
import { decodeRescaleDetails, type RescaleJobDetails, rescaleJobName } from './rescale-details.js';
import { DLRUN_FILES, fileAt, jobFiles, readSmallFile } from './rescale-job-files.js';
import { type ListedJob, listDlrunJobs, settleUnsubmitted } from './rescale-list-jobs.js';
import { rescalePlatform } from './rescale-platform.js';
import { mapRescaleJob, RESCALE_TERMINAL, type RescaleStatusEntry } from './rescale-map-state.js';

/** At most this many active jobs get their status history read per status call (ended ones always are). */
const DETAIL_READS = 25;
const AT_ONCE = 8;

interface Tracked {
  readonly handle: JobHandle;
  readonly details: RescaleJobDetails;
  readonly job: ListedJob | undefined;
}

/**
 * The status of many Rescale jobs: one paged list of the account's dlrun jobs per platform (their current status
 * is in the list), not a request per job; then the status history of at most DETAIL_READS active jobs (phase
 * times), and of every ended one with the bootstrap's result and markers among the job's files. A job the list
 * does not have is `lost` (dlrun's core waits before it believes that of a job just submitted).
 */
export async function rescaleStatus(handles: readonly JobHandle[], context: BackendContext): Promise<JobStatus[]> {
  const byPlatform = new Map<string, { handle: JobHandle; details: RescaleJobDetails }[]>();
  for (const handle of handles) {
    const recorded = decodeRescaleDetails(handle.details);
    // A handle without details (a job this ledger never planned here) is looked for on the configured platform.
    const details = recorded.platform ? recorded : { ...recorded, platform: configuredPlatform(context) };
    byPlatform.set(details.platform, [...(byPlatform.get(details.platform) ?? []), { handle, details }]);
  }
  const statuses: JobStatus[] = [];
  for (const [platform, entries] of byPlatform) {
    const client = jobClient(platform, context);
    const listed = await listDlrunJobs(client);
    const tracked: Tracked[] = entries.map(({ handle, details }) => ({
      handle,
      details,
      job: listed.find((job) => job.id === handle.externalId) ?? listed.find((job) => job.name === nameOf(handle)),
    }));
    const observedAt = new Date().toISOString();
    // Every ended job is read (its exit code is in the bootstrap's result: without it a failed run would be
    // recorded as succeeded, for good); the cap is on active jobs, whose history only dates their phases. Before,
    // the first DETAIL_READS jobs were read whatever their status, and an ended job after them read as succeeded.
    const found = tracked.filter((entry) => entry.job !== undefined);
    const endedInList = (entry: Tracked) => RESCALE_TERMINAL.has(entry.job?.jobStatus?.content ?? '');
    const detailed = [
      ...found.filter(endedInList),
      ...found.filter((entry) => !endedInList(entry)).slice(0, DETAIL_READS),
    ];
    const views = new Map(
      await mapLimited(
        detailed,
        AT_ONCE,
        async (entry) => [entry.handle.jobId, await readDetails(client, entry)] as const,
      ),
    );
    for (const entry of tracked) {
      if (!entry.job) {
        statuses.push(lostStatus(entry, platform, observedAt));
        continue;
      }
      const extra = views.get(entry.handle.jobId);
      const current = currentOf(entry.job, extra?.history);
      if (current.status === 'Pending') {
        statuses.push(await settleUnsubmitted(client, entry.handle, entry.job, observedAt));
        continue;
      }
      if (RESCALE_TERMINAL.has(current.status ?? '') && extra?.filesUnread) {
        // Ended, but its files (the run's exit code) could not be read: not recorded as ended yet, since an ended
        // state is final and without the result a failed run would read as succeeded. The next status reads them.
        statuses.push({
          jobId: entry.handle.jobId,
          state: 'running',
          phase: 'teardown',
          providerState: current.status ?? 'Unknown',
          message: 'Rescale reports the job ended; its result could not be read yet (dlrun tries again)',
          observedAt,
          ...(entry.handle.externalId !== entry.job.id ? { externalId: entry.job.id } : {}),
        });
        continue;
      }
      const status = mapRescaleJob({
        jobId: entry.handle.jobId,
        current,
        ...(extra?.history ? { history: extra.history } : {}),
        ...(extra?.result ? { result: extra.result } : {}),
        ...(extra?.markers ? { markers: extra.markers } : {}),
        stopAfterSeconds: entry.details.stopAfter.seconds,
        stopReason: entry.details.stopAfter.reason,
        observedAt,
      });
      const ended = RESCALE_TERMINAL.has(current.status ?? '');
      statuses.push({
        ...status,
        ...(entry.handle.externalId !== entry.job.id ? { externalId: entry.job.id } : {}),
        ...(ended && extra?.history
          ? { billing: { facts: rescaleBillingFactsOf(extra.history) } }
          : ended
            ? { billing: { unavailable: true as const } }
            : {}),
      });
    }
  }
  return statuses;
}

function nameOf(handle: JobHandle): string {
  return rescaleJobName(handle.jobId as JobId);
}

/** The job's current status: the newest history entry when it was read, else the list's. */
function currentOf(job: ListedJob, history: readonly RescaleStatusEntry[] | undefined): RescaleStatusEntry {
  // Newest first, as Rescale lists them [V].
  return history?.[0] ?? { status: job.jobStatus?.content ?? null, statusDate: job.jobStatus?.statusDate ?? null };
}

/** What was read of one job beyond the list. */
interface JobExtra {
  readonly history: RescaleStatusEntry[] | undefined;
  readonly result?: ReturnType<typeof parseResult>;
  readonly markers?: ReturnType<typeof parseMarkers>;
  /** The job ended but its files could not be listed or read. */
  readonly filesUnread?: true;
}

async function readDetails(client: RescaleClient, entry: Tracked): Promise<JobExtra> {
  const id = entry.job!.id;
  const history = await client
    .listAll<RescaleStatusEntry>(`/api/v2/jobs/${encodeURIComponent(id)}/statuses/`)
    .catch(() => undefined);
  const current = entry.job!.jobStatus?.content ?? '';
  const newest = history?.[0]?.status ?? current;
  if (!RESCALE_TERMINAL.has(newest)) return { history };
  // The bootstrap's files are collected when the job ends: read its result and markers then.
  try {
    const files = await jobFiles(client, id);
    const resultFile = fileAt(files, DLRUN_FILES.result);
    const markersFile = fileAt(files, DLRUN_FILES.markers);
    const [resultText, markersText] = await Promise.all([
      resultFile ? readSmallFile(client, resultFile) : undefined,
      markersFile ? readSmallFile(client, markersFile) : undefined,
    ]);
    return {
      history,
      ...(resultText ? { result: parseResult(resultText) } : {}),
      ...(markersText ? { markers: parseMarkers(markersText) } : {}),
    };
  } catch {
    return { history, filesUnread: true };
  }
}

function lostStatus(entry: Tracked, platform: string, observedAt: string): JobStatus {
  return {
    jobId: entry.handle.jobId,
    state: 'lost',
    providerState: 'not found',
    message: `no Rescale job named '${nameOf(entry.handle)}' exists on ${platform}`,
    observedAt,
  };
}

function configuredPlatform(context: BackendContext): string {
  return rescalePlatform(undefined, context.env, context.fromDotenv).url;
}
