import { DlrunError } from '../../src/base/errors.js';
import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import type { LaunchPlan, PlanContext, PlannedRequest } from '../../src/backend/training-backend.js';
import { JOB_ID_TAG, LEDGER_TAG, resourceTags } from '../../src/backend/tags.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { listWorkdir } from '../../src/util/workdir-files.js';
import { renderVertexBootstrap } from './vertex-bootstrap.js';
import { chooseContainer } from './vertex-containers.js';
import { customJobBody, labelValue, type VertexCustomJobBody, type VertexEnvVar } from './vertex-custom-job.js';
import { encodeVertexDetails, jobObjects, type VertexJobDetails } from './vertex-details.js';
import { endpointSetting } from './vertex-endpoints.js';
import { jobFilter, parentOf } from './vertex-list-jobs.js';
import { vertexMachineCandidates, vertexMachineRequest, vertexMachineSpec } from './vertex-machine-choice.js';
import { vertexPriceBasisOf } from './vertex-price-basis.js';
import { vertexPrice } from './vertex-quote.js';
import { vertexRegionOf } from './vertex-region.js';
import { gsUrl, parseStagingBucket, workdirArchiveName } from './vertex-staging.js';
import { STAGING_BUCKET_SETTING, stagingBucketSetting } from './vertex-staging-setting.js';

/** What the dry run shows for the values only a submit knows. */
export const DRY_RUN = {
  project: '<the project of your Google Cloud credentials>',
  workdir: (files: number): string => `<a tar.gz of the ${files} files of the workdir>`,
  secrets: (names: readonly string[]): string =>
    `<a JSON object of the secrets ${names.join(', ')}: values read at submit, never shown>`,
} as const;

/** Everything submit needs beyond the plan's own fields: the CustomJob body and where things go. */
export interface VertexLaunchInput {
  readonly details: VertexJobDetails;
  /** The body of customJobs.create, exactly as submit sends it. */
  readonly body: VertexCustomJobBody;
}

/**
 * Everything `submit` will do on Vertex AI, worked out offline: the region, the machine and accelerators (named, or
 * the cheapest priced ones that satisfy `resources`: the same choice `quote` prices), the container, the staging
 * bucket and the job's objects in it, and the CustomJob body exactly as it is sent, with `scheduling.timeout` from
 * the job's limit (max_runtime, or sooner when max_cost runs out at the job's rate; computed by dlrun's core).
 */
export async function planVertexJob(job: JobSpec, context: PlanContext): Promise<LaunchPlan> {
  const region = vertexRegionOf(job.backends?.vertex?.region, context.env);
  const staging = stagingOf(job, context.env);
  // The priced choice, so the machine launched is the one the quote and the stored price name.
  const basis = vertexPriceBasisOf(vertexPrice(job, region));
  if (!basis) throw new Error('a Vertex AI price without its basis');
  const choice = vertexMachineCandidates(vertexMachineRequest(job)).find(
    (candidate) =>
      candidate.machine.name === basis.machine_type &&
      (candidate.accelerators?.type.name ?? null) === (basis.accelerators?.type ?? null) &&
      (candidate.accelerators?.count ?? null) === (basis.accelerators?.count ?? null),
  );
  if (!choice) throw new Error(`the priced machine ${basis.machine_type} is not among the candidates`);
  const gpus = choice.accelerators?.count ?? 0;
  const imageUri = job.backends?.vertex?.container_image ?? chooseContainer(job.framework, gpus > 0, region).imageUri;
  const manifest = listWorkdir(job.workdir);
  const details: VertexJobDetails = {
    region,
    project: job.backends?.vertex?.project ?? null,
    bucket: staging.bucket,
    prefix: staging.prefix,
    workdirObject: workdirArchiveName(staging, context.ledgerId, manifest),
    nodes: job.resources.nodes,
    stopAfter: context.stopAfter,
    secrets: (job.secrets ?? []).length > 0,
  };
  const objects = jobObjects(details, context.ledgerId, context.jobId);
  const body = customJobBody({
    jobId: context.jobId,
    ledgerId: context.ledgerId,
    name: job.name,
    machine: vertexMachineSpec(choice),
    nodes: details.nodes,
    imageUri,
    command: ['bash', '-c', renderVertexBootstrap()],
    env: containerEnv(job, details, context.jobId, context.ledgerId, gpus, context.env),
    stopAfterSeconds: context.stopAfter.seconds,
    spot: job.resources.spot,
    serviceAccount: job.backends?.vertex?.service_account,
    baseOutputDirectory: objects.baseOutputDirectory,
    bootDiskGb: job.resources.disk,
  });
  const parent = parentOf(details.project ?? DRY_RUN.project, region);
  const labels = { [JOB_ID_TAG]: labelValue(context.jobId), [LEDGER_TAG]: labelValue(context.ledgerId) };
  const requests: PlannedRequest[] = [
    {
      operation: 'storage.objects.insert',
      description:
        `upload the workdir to gs://${details.bucket}/${details.workdirObject} ` +
        '(skipped when an object of that name, the hash of its content, is there already)',
      body: {
        bucket: details.bucket,
        name: details.workdirObject,
        metadata: labels,
        media: DRY_RUN.workdir(manifest.files.length),
      },
    },
    ...(details.secrets
      ? [
          {
            operation: 'storage.objects.insert',
            description: `stage the job's secrets at ${gsUrl(details, objects.secrets)} (deleted when the job ends)`,
            body: {
              bucket: details.bucket,
              name: objects.secrets,
              metadata: labels,
              media: DRY_RUN.secrets(job.secrets ?? []),
            },
          },
        ]
      : []),
    {
      operation: 'aiplatform.projects.locations.customJobs.list',
      description: 'look for a custom job already created for this job (creation takes no request id)',
      body: { parent, filter: jobFilter(context.ledgerId, context.jobId) },
    },
    {
      operation: 'aiplatform.projects.locations.customJobs.create',
      description: `create the custom job in ${region}; containerSpec.command runs the startup script below`,
      body: { parent, requestBody: shownBody(body) },
    },
  ];
  const plan: LaunchPlan = {
    jobId: context.jobId,
    backend: 'vertex',
    job,
    tags: resourceTags(context.jobId, context.ledgerId),
    stopAfter: context.stopAfter,
    requests,
    startupScript: body.jobSpec.workerPoolSpecs[0]!.containerSpec.command[2],
    details: encodeVertexDetails(details),
  };
  launchInputs.set(plan, { details, body });
  return plan;
}

/** What each plan made here launches, kept beside the plan rather than in it (the plan is printed as it is). */
const launchInputs = new WeakMap<LaunchPlan, VertexLaunchInput>();

/** The launch input of a plan made by planVertexJob; undefined for a plan from elsewhere. */
export function launchInputOf(plan: LaunchPlan): VertexLaunchInput | undefined {
  return launchInputs.get(plan);
}

function stagingOf(job: JobSpec, env: PlanContext['env']) {
  const setting = stagingBucketSetting(job, env);
  if (!setting) {
    throw new DlrunError('a Vertex AI job needs a Cloud Storage staging bucket for its code, log and outputs', {
      hint:
        "set backends.vertex.staging_bucket in the job file (e.g. 'gs://my-bucket/dlrun'), or " +
        `${STAGING_BUCKET_SETTING}; ` +
        "create the bucket in the job's region with `gcloud storage buckets create gs://NAME --location REGION`",
    });
  }
  return parseStagingBucket(setting.url);
}

/**
 * The container's environment: the bootstrap's inputs (templates/bootstrap/vertex-bootstrap.sh) and dlrun's own
 * variables. No secret: containerSpec.env is part of the job, which Vertex AI keeps and shows to anyone who may read
 * it; secrets come through their own object (vertex-secrets.ts).
 */
function containerEnv(
  job: JobSpec,
  details: VertexJobDetails,
  jobId: JobId,
  ledgerId: LedgerId,
  gpus: number,
  env: PlanContext['env'],
): VertexEnvVar[] {
  const objects = jobObjects(details, ledgerId, jobId);
  const gcsUrl = endpointSetting({ ledgerId, home: '', env }, 'DLRUN_GCS_URL');
  const values: Record<string, string> = {
    DLRUN_JOB_ID: jobId,
    DLRUN_GPUS_PER_NODE: String(gpus),
    DLRUN_BOOT_BUCKET: details.bucket,
    DLRUN_BOOT_WORKDIR_OBJECT: details.workdirObject ?? '',
    DLRUN_BOOT_NODES_PREFIX: objects.nodesPrefix,
    DLRUN_BOOT_SETUP: job.setup ?? '',
    DLRUN_BOOT_RUN: job.run,
    DLRUN_BOOT_JOB_ENV: JSON.stringify(job.env ?? {}),
    DLRUN_BOOT_OUTPUTS: job.outputs.replace(/\/+$/, '') || 'outputs',
    // A Cloud Storage endpoint of the user's own (a private one, or the tests' stand-in) is the job's too.
    ...(gcsUrl ? { DLRUN_GCS_URL: gcsUrl } : {}),
    ...(details.secrets ? { DLRUN_BOOT_SECRETS_OBJECT: objects.secrets } : {}),
  };
  return Object.entries(values).map(([name, value]) => ({ name, value }));
}

/** The body as the dry run shows it: the startup script, shown in full below the requests, by reference. */
function shownBody(body: VertexCustomJobBody): unknown {
  return {
    ...body,
    jobSpec: {
      ...body.jobSpec,
      workerPoolSpecs: body.jobSpec.workerPoolSpecs.map((pool) => ({
        ...pool,
        containerSpec: { ...pool.containerSpec, command: ['bash', '-c', '<the startup script, shown below>'] },
      })),
    },
  };
}
