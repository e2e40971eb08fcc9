import type { JobId } from '../../src/backend/job-id.js';
import type { LaunchPlan, PlanContext, PlannedRequest } from '../../src/backend/training-backend.js';
import { resourceTags } from '../../src/backend/tags.js';
import { findRescaleCoreType } from '../../src/cost/catalogs/index.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { listWorkdir } from '../../src/util/workdir-files.js';
import { rescaleCommand } from './rescale-bootstrap.js';
import { encodeRescaleDetails, type RescaleJobDetails, rescaleJobName } from './rescale-details.js';
import { rescalePriceBasisOf } from './rescale-price-basis.js';
import { rescalePrice } from './rescale-quote.js';
import { rescaleJobBody, walltimeHoursOf } from './rescale-job-body.js';
import { rememberLaunchInput } from './rescale-launch.js';
import { rescalePlatform } from './rescale-platform.js';
import { workdirFileName } from './rescale-workdir.js';

/** What the dry run shows for the values only a submit knows. */
export const DRY_RUN = {
  fileId: '<the id of the uploaded workdir file>',
  jobId: '<the id Rescale gives the job>',
  workdir: (files: number): string => `<a tar.gz of the ${files} files of the workdir>`,
  secret: (name: string): string => `<the value of ${name}, read at submit, never shown>`,
} as const;

/**
 * Everything `submit` will do on Rescale, worked out offline: the platform, the core type and cores (named, or
 * the cheapest priced that satisfy `resources`: what `quote` prices), the walltime from the job's limit, the
 * workdir's input file, and every request in the order submit sends them, the job's body exactly as sent.
 */
export async function planRescaleJob(job: JobSpec, context: PlanContext): Promise<LaunchPlan> {
  const platform = rescalePlatform(job, context.env, context.fromDotenv).url;
  // The priced choice, so the hardware launched is the hardware the quote and the stored price name.
  const basis = rescalePriceBasisOf(rescalePrice(job, new Date(), context.env));
  if (!basis) throw new Error('a Rescale price without its basis');
  const gpus = findRescaleCoreType(basis.core_type)?.gpus?.count_per_node ?? 0;
  const manifest = listWorkdir(job.workdir);
  const details: RescaleJobDetails = {
    platform,
    coreType: basis.core_type,
    coresPerSlot: basis.cores_per_slot,
    slots: job.resources.nodes,
    lowPriority: job.resources.spot,
    walltimeHours: walltimeHoursOf(context.stopAfter.seconds),
    stopAfter: context.stopAfter,
    workdirFileName: workdirFileName(manifest),
  };
  const command = rescaleCommand();
  const envVars = bootEnv(job, details, context.jobId, gpus);
  const shownSecrets = Object.fromEntries((job.secrets ?? []).map((name) => [name, DRY_RUN.secret(name)]));
  const body = rescaleJobBody({
    jobId: context.jobId,
    ledgerId: context.ledgerId,
    command,
    hardware: { coreType: details.coreType, coresPerSlot: details.coresPerSlot, slots: details.slots },
    walltimeHours: details.walltimeHours,
    lowPriority: details.lowPriority,
    inputFileId: DRY_RUN.fileId,
    envVars: { ...envVars, ...shownSecrets },
  });
  const api = `${platform}/api/v2`;
  // In the order launchRescaleJob sends them: the job is looked for by name first (before, the plan showed that
  // look-up after the upload, which is not what submit does).
  const requests: PlannedRequest[] = [
    {
      operation: `GET ${api}/jobs/`,
      description: `look for a job named '${rescaleJobName(context.jobId)}' (create takes no request id at Rescale)`,
      body: { search: 'dlrun' },
    },
    {
      operation: `GET ${api}/files/`,
      description: `look for the workdir uploaded before as ${details.workdirFileName} (an unchanged workdir)`,
      body: { search: details.workdirFileName },
    },
    {
      operation: `POST ${api}/files/contents/`,
      description: 'upload the workdir as an input file (skipped when it was found above)',
      body: { file: { name: details.workdirFileName, content: DRY_RUN.workdir(manifest.files.length) } },
    },
    { operation: `POST ${api}/jobs/`, description: 'create the job (it does not start yet)', body },
    { operation: `POST ${api}/jobs/${DRY_RUN.jobId}/submit/`, description: 'submit it: machines start', body: {} },
  ];
  const plan: LaunchPlan = {
    jobId: context.jobId,
    backend: 'rescale',
    job,
    tags: resourceTags(context.jobId, context.ledgerId),
    stopAfter: context.stopAfter,
    requests,
    startupScript: command,
    details: encodeRescaleDetails(details),
  };
  rememberLaunchInput(plan, { details, command, envVars });
  return plan;
}

/**
 * The bootstrap's inputs and dlrun's variables, as the job's envVars (templates/bootstrap/rescale-bootstrap.sh).
 * DLRUN_BOOT_STOP_AFTER_SECONDS stops the job at its exact limit: Rescale's walltime counts whole hours.
 */
function bootEnv(job: JobSpec, details: RescaleJobDetails, jobId: JobId, gpus: number): Record<string, string> {
  return {
    DLRUN_JOB_ID: jobId,
    DLRUN_GPUS_PER_NODE: String(gpus),
    DLRUN_NUM_NODES: String(details.slots),
    DLRUN_BOOT_WORKDIR_FILE: details.workdirFileName ?? '',
    DLRUN_BOOT_SETUP: job.setup ?? '',
    DLRUN_BOOT_RUN: job.run,
    DLRUN_BOOT_JOB_ENV: JSON.stringify(job.env ?? {}),
    DLRUN_BOOT_OUTPUTS: job.outputs.replace(/\/+$/, '') || 'outputs',
    ...(details.stopAfter.seconds !== null
      ? { DLRUN_BOOT_STOP_AFTER: String(Math.ceil(details.stopAfter.seconds)) }
      : {}),
  };
}
