// Active Rescale jobs as `dlrun submit` leaves them: a job in the Rescale stand-in, created and submitted through
// the adapter's own client with the body the adapter writes (name `dlrun <job id>`, the ledger in its description),
// and the ledger's record of it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import { type RescaleClient, rescaleClient } from '../../adapters/rescale/rescale-client.js';
import { encodeRescaleDetails, type RescaleJobDetails } from '../../adapters/rescale/rescale-details.js';
import { rescaleJobBody } from '../../adapters/rescale/rescale-job-body.js';
import { platformAt } from '../../adapters/rescale/rescale-platform.js';
import { homeWithLaunchedJobs } from './ledger-launched-jobs.js';

/** A dlrun job and the id Rescale gave its job. */
export interface RescaleLedgerJob {
  readonly jobId: JobId;
  readonly rescaleId: string;
}

export interface RescaleJobsOptions {
  /** The platform recorded with each job (what status will ask): the stand-in, or a proxy in front of it. */
  readonly platform: string;
  /** The job's command, run once a job is Executing in the stand-in (default: a sleep past the job's limit). */
  readonly command?: string;
}

const STOP_AFTER_SECONDS = 3600;
const WORKDIR_FILE = 'dlrun-workdir-bench.tar.gz';

/** The details submit keeps for a one-node job of 2 standard-plus cores limited to an hour (encodeRescaleDetails). */
export function rescaleJobDetails(options: RescaleJobsOptions): RescaleJobDetails {
  return {
    platform: options.platform,
    coreType: 'standard-plus',
    coresPerSlot: 2,
    slots: 1,
    lowPriority: false,
    walltimeHours: 1,
    stopAfter: { seconds: STOP_AFTER_SECONDS, reason: 'max_runtime 1h' },
    workdirFileName: WORKDIR_FILE,
  };
}

/** The adapter's client for `url` with `env`'s key. */
function clientFor(url: string, env: Readonly<Record<string, string>>, ledgerId: LedgerId): RescaleClient {
  return rescaleClient(platformAt(url, 'RESCALE_PLATFORM_URL', ''), { ledgerId, home: '/nonexistent', env });
}

/**
 * One Rescale job per dlrun job, created and then submitted through the adapter's client (env: RESCALE_API_KEY,
 * RESCALE_PLATFORM_URL, the stand-in's own URL), sharing one uploaded workdir file, a few jobs at a time.
 */
export async function createRescaleJobs(
  env: Readonly<Record<string, string>>,
  ledgerId: LedgerId,
  jobIds: readonly JobId[],
  options: RescaleJobsOptions,
): Promise<RescaleLedgerJob[]> {
  const client = clientFor(env.RESCALE_PLATFORM_URL!, env, ledgerId);
  const details = rescaleJobDetails(options);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dlrun-rescale-seed-'));
  let fileId: string;
  try {
    const archive = path.join(folder, WORKDIR_FILE);
    writeFileSync(archive, 'not read: the jobs run a sleep\n');
    fileId = (await client.upload<{ id: string }>('/api/v2/files/contents/', WORKDIR_FILE, archive)).id;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const create = async (jobId: JobId): Promise<RescaleLedgerJob> => {
    const body = rescaleJobBody({
      jobId,
      ledgerId,
      command: options.command ?? `sleep ${2 * STOP_AFTER_SECONDS}`,
      hardware: { coreType: details.coreType, coresPerSlot: details.coresPerSlot, slots: details.slots },
      walltimeHours: details.walltimeHours,
      lowPriority: details.lowPriority,
      inputFileId: fileId,
      envVars: { DLRUN_JOB_ID: jobId },
    });
    const created = await client.postOnce<{ id?: unknown }>('/api/v2/jobs/', body);
    if (typeof created?.id !== 'string') throw new Error(`the stand-in created a job for ${jobId} without an id`);
    await client.postOnce(`/api/v2/jobs/${encodeURIComponent(created.id)}/submit/`);
    return { jobId, rescaleId: created.id };
  };
  const made: RescaleLedgerJob[] = [];
  const AT_ONCE = 8;
  for (let first = 0; first < jobIds.length; first += AT_ONCE)
    made.push(...(await Promise.all(jobIds.slice(first, first + AT_ONCE).map(create))));
  return made;
}

/**
 * A DLRUN_HOME whose ledger holds `count` active Rescale jobs, each with its job created and submitted in the
 * stand-in `env` points at. The ledger is created first: its id is what the jobs' descriptions name.
 */
export async function homeWithRescaleJobs(
  home: string,
  env: Readonly<Record<string, string>>,
  count: number,
  options: RescaleJobsOptions,
): Promise<{ ledgerId: LedgerId; jobs: RescaleLedgerJob[] }> {
  return homeWithLaunchedJobs(home, count, (ledgerId, jobIds) => createRescaleJobs(env, ledgerId, jobIds, options), {
    backend: 'rescale',
    spec: { name: 'sweep', backend: 'rescale', run: 'python train.py', resources: { cpus: 2 } },
    providerDetails: encodeRescaleDetails(rescaleJobDetails(options)),
    externalId: (job) => job.rescaleId,
  });
}
