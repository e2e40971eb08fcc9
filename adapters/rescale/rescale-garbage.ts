import type { JobId } from '../../src/backend/job-id.js';
import type {
  BackendContext,
  GarbageItem,
  GarbageLeft,
  GarbageSearch,
  GarbageUnsearched,
  JobHandle,
} from '../../src/backend/training-backend.js';
import { stopOrDeleteRescaleJob } from './rescale-cancel.js';
import { jobClient } from './rescale-job-client.js';
import { decodeRescaleDetails, jobIdOfName } from './rescale-details.js';
import { clean } from './rescale-errors.js';
import { listDlrunJobs } from './rescale-list-jobs.js';
import { RESCALE_TERMINAL } from './rescale-map-state.js';

interface UploadedFile {
  readonly id: string;
  readonly name: string;
}

/**
 * What this ledger started on Rescale that still costs money for no active job: jobs of its own (their names carry
 * the ledger's job ids) that have not ended, and the workdir input files of its ended jobs that no active job uses
 * (storage is billed). Only names this ledger's jobs recorded are considered, never a colleague's.
 */
export async function findRescaleGarbage(
  activeJobIds: ReadonlySet<JobId>,
  knownJobs: readonly JobHandle[],
  context: BackendContext,
): Promise<GarbageSearch> {
  const known = new Set(knownJobs.map((job) => job.jobId as string));
  const byPlatform = new Map<string, ReturnType<typeof decodeRescaleDetails>[]>();
  for (const job of knownJobs) {
    const details = decodeRescaleDetails(job.details);
    if (details.platform) byPlatform.set(details.platform, [...(byPlatform.get(details.platform) ?? []), details]);
  }
  const activeFiles = new Set(
    knownJobs
      .filter((job) => activeJobIds.has(job.jobId))
      .map((job) => decodeRescaleDetails(job.details).workdirFileName),
  );
  const items: GarbageItem[] = [];
  const unsearched: GarbageUnsearched[] = [];
  for (const [platform, jobs] of byPlatform) {
    const client = jobClient(platform, context);
    try {
      for (const job of await listDlrunJobs(client)) {
        const jobId = jobIdOfName(job.name);
        if (!jobId || !known.has(jobId) || activeJobIds.has(jobId as JobId)) continue;
        const status = job.jobStatus?.content ?? '';
        if (RESCALE_TERMINAL.has(status)) continue;
        items.push({
          kind: 'job',
          id: job.id,
          jobId: jobId as JobId,
          // The id and status are Rescale's text, shown by gc: cleaned of control characters (the job id is one
          // this ledger recorded).
          description: `Rescale job ${clean(job.id)} (${clean(status) || 'status unknown'}) of ended job ${jobId}`,
          location: platform,
        });
      }
    } catch (error) {
      unsearched.push({ kind: 'job', location: platform, error: (error as Error).message });
    }
    const names = new Set(jobs.map((job) => job.workdirFileName).filter((name) => name && !activeFiles.has(name)));
    if (names.size === 0) continue;
    try {
      const files = await client.listAll<UploadedFile>('/api/v2/files/', { search: 'dlrun-workdir-' });
      for (const file of files)
        if (typeof file?.id === 'string' && names.has(file.name))
          items.push({
            kind: 'file',
            id: file.id,
            jobId: null,
            description: `input file ${file.name}: the workdir of ended jobs`,
            location: platform,
          });
    } catch (error) {
      unsearched.push({ kind: 'file', location: platform, error: (error as Error).message });
    }
  }
  return { items, unsearched };
}

export async function removeRescaleGarbage(
  items: readonly GarbageItem[],
  context: BackendContext,
): Promise<readonly GarbageLeft[]> {
  const left: GarbageLeft[] = [];
  for (const item of items) {
    try {
      if (item.kind === 'job') {
        const handle = {
          jobId: (item.jobId ?? ('' as JobId)) as JobId,
          backend: 'rescale' as const,
          externalId: item.id,
          details: { platform: item.location },
        };
        // An unsubmitted job is deleted, not stopped: removed, so not left.
        if ((await stopOrDeleteRescaleJob(handle, context)) !== 'deleted')
          left.push({ item, reason: 'asked to stop; Rescale stops it within minutes' });
      } else {
        await jobClient(item.location, context).delete(`/api/v2/files/${encodeURIComponent(item.id)}/`);
      }
    } catch (error) {
      left.push({ item, reason: (error as Error).message });
    }
  }
  return left;
}
