// A Rescale job planned as `dlrun submit` plans it (planRescaleJob, offline), and the handles and contexts the
// adapter-level tests hand the Rescale adapter.
import type { TestContext } from 'vitest';
import { planRescaleJob } from '../../adapters/rescale/rescale-plan.js';
import { type JobId, newJobId } from '../../src/backend/job-id.js';
import type { JobHandle, LaunchPlan, SubmitContext } from '../../src/backend/training-backend.js';
import { writeJob } from './job-files.js';
import type { RescaleStand } from './rescale-stand.js';
import { tempDir } from './temp-dir.js';

/** A one-node CPU job limited to 2 hours: it lands on the priced standard-plus of rescaleStandFor. */
export const RESCALE_JOB = `
name: rescale-test
run: python train.py
resources: { cpus: 2 }
limits: { max_runtime: 2h }
`;

export async function plannedRescaleJob(
  t: TestContext,
  stand: RescaleStand,
  yaml = RESCALE_JOB,
  files: Readonly<Record<string, string>> = { 'train.py': 'print(1)\n' },
  dir = tempDir(t, 'dlrun-rescale-job-'),
): Promise<LaunchPlan> {
  const { job } = writeJob(dir, yaml, files);
  return planRescaleJob(job, {
    ...stand.context,
    jobId: newJobId(job.name),
    stopAfter: { seconds: job.limits.max_runtime ?? null, reason: 'max_runtime 2h' },
  });
}

export function rescaleSubmitContext(stand: RescaleStand, secrets: Record<string, string> = {}): SubmitContext {
  return { ...stand.context, secrets };
}

/** The handle the ledger keeps for a launched job, with the plan's details. */
export function handleOf(plan: LaunchPlan, externalId: string | null, submittedAt?: string): JobHandle {
  return {
    jobId: plan.jobId,
    backend: 'rescale',
    externalId,
    ...(plan.details ? { details: plan.details } : {}),
    ...(submittedAt ? { submittedAt } : {}),
  };
}

/** A handle of a job dlrun recorded on the stand-in's platform, for jobs made without a plan. */
export function standHandle(
  stand: RescaleStand,
  jobId: string,
  externalId: string | null,
  extra: { submittedAt?: string; details?: Record<string, string | number | boolean | null> } = {},
): JobHandle {
  return {
    jobId: jobId as JobId,
    backend: 'rescale',
    externalId,
    details: { platform: stand.rescale.url, ...extra.details },
    ...(extra.submittedAt ? { submittedAt: extra.submittedAt } : {}),
  };
}
