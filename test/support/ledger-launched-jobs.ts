// Launched jobs as `dlrun submit` records them in the ledger, for any backend whose submit stages the workdir and
// then launches one provider job (Vertex AI, Rescale): the helpers that seed a DLRUN_HOME with active jobs.
import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import type { ProviderDetails } from '../../src/backend/training-backend.js';
import { loadConfig } from '../../src/config.js';
import { STAGING } from '../../src/core/submit-progress.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import { openLedger } from '../../src/ledger/open-ledger.js';
import { fleetJobIds } from '../standins/ec2-fleet.js';

/** What the ledger holds of each job beyond its id: the same for all the jobs seeded. */
export interface LaunchedJobsRecord<Job> {
  readonly backend: string;
  /** The job file's spec, as `sweep` in /home/researcher/sweep/job.yaml. */
  readonly spec: Readonly<Record<string, unknown>>;
  readonly providerDetails: ProviderDetails;
  /** The provider's id of a job's launch (Rescale's job id, the custom job's name). */
  externalId(job: Job): string;
}

/**
 * Record launched jobs in the ledger as submit does (src/core/submit-job.ts): the row with its details, the staging
 * note, then the launch with the provider's id. Each call is its own transaction, as in dlrun.
 */
export async function recordLaunchedJobs<Job extends { readonly jobId: JobId }>(
  ledger: Ledger,
  jobs: readonly Job[],
  submittedAt: string,
  record: LaunchedJobsRecord<Job>,
): Promise<void> {
  for (const job of jobs) {
    await ledger.createJob({
      jobId: job.jobId,
      name: 'sweep',
      backend: record.backend,
      jobFile: '/home/researcher/sweep/job.yaml',
      spec: record.spec,
      submittedAt,
      providerDetails: record.providerDetails,
    });
    await ledger.recordChange(job.jobId, {
      at: submittedAt,
      source: 'dlrun',
      providerState: STAGING,
      message: 'staging the workdir and starting the machine',
    });
    await ledger.recordChange(job.jobId, {
      at: submittedAt,
      source: 'provider',
      state: 'provisioning',
      providerState: 'launched',
      externalId: record.externalId(job),
      message: 'launched',
    });
  }
}

/**
 * A DLRUN_HOME whose ledger holds `count` active jobs, each launched by `launch` (given the ledger's id and the
 * jobs' ids) and recorded as submitted an hour ago. The ledger is created first: its id is what the provider's jobs
 * name. An hour ago is long enough that a job the provider does not list counts as ended, not as "not listed yet".
 */
export async function homeWithLaunchedJobs<Job extends { readonly jobId: JobId }>(
  home: string,
  count: number,
  launch: (ledgerId: LedgerId, jobIds: readonly JobId[]) => Promise<Job[]>,
  record: LaunchedJobsRecord<Job>,
): Promise<{ ledgerId: LedgerId; jobs: Job[] }> {
  const ledger = await openLedger(loadConfig({ DLRUN_HOME: home }, home));
  try {
    const jobs = await launch(ledger.id, fleetJobIds(count));
    const submittedAt = new Date(Date.now() - 3_600_000).toISOString();
    await recordLaunchedJobs(ledger, jobs, submittedAt, record);
    return { ledgerId: ledger.id, jobs };
  } finally {
    await ledger.close();
  }
}
