// Active Vertex AI jobs as `dlrun submit` leaves them: a custom job in the Vertex AI stand-in, created through the
// real aiplatform client with the body and labels the adapter writes, and the ledger's record of it.
import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import { vertexClients } from '../../adapters/vertex/vertex-clients.js';
import { customJobBody } from '../../adapters/vertex/vertex-custom-job.js';
import { encodeVertexDetails, jobObjects, type VertexJobDetails } from '../../adapters/vertex/vertex-details.js';
import { parentOf } from '../../adapters/vertex/vertex-list-jobs.js';
import { homeWithLaunchedJobs } from './ledger-launched-jobs.js';

/** A dlrun job and the name of its custom job (`projects/{number}/locations/{region}/customJobs/{id}`). */
export interface VertexLedgerJob {
  readonly jobId: JobId;
  readonly customJob: string;
}

export interface VertexJobsOptions {
  /** backends.vertex.project as the job file named it; null (the default) when the environment's is used. */
  readonly project?: string | null;
  readonly bucket: string;
  readonly prefix: string;
  readonly region?: string;
  /** The replicas' command, run once a job is RUNNING in the stand-in (default: a sleep past the job's limit). */
  readonly command?: readonly string[];
}

const STOP_AFTER_SECONDS = 3600;

/** The details submit keeps for a one-node CPU job limited to an hour (encodeVertexDetails). */
function vertexJobDetails(options: VertexJobsOptions): VertexJobDetails {
  return {
    region: options.region ?? 'us-central1',
    project: options.project ?? null,
    bucket: options.bucket,
    prefix: options.prefix,
    workdirObject: null,
    nodes: 1,
    stopAfter: { seconds: STOP_AFTER_SECONDS, reason: 'max_runtime 1h' },
    secrets: false,
  };
}

/**
 * One custom job per dlrun job, created through the real aiplatform client (env: token, project, DLRUN_VERTEX_URL),
 * with the labels dlrun-job-id and dlrun-ledger, a few creates at a time.
 */
async function createVertexCustomJobs(
  env: Readonly<Record<string, string>>,
  ledgerId: LedgerId,
  jobIds: readonly JobId[],
  options: VertexJobsOptions,
): Promise<VertexLedgerJob[]> {
  const details = vertexJobDetails(options);
  const clients = vertexClients(
    details.region,
    { ledgerId, home: '/nonexistent', env },
    {
      ...(details.project ? { project: details.project } : {}),
    },
  );
  const parent = parentOf(await clients.project(), details.region);
  const create = async (jobId: JobId): Promise<VertexLedgerJob> => {
    const body = customJobBody({
      jobId,
      ledgerId,
      name: 'sweep',
      machine: { machineType: 'n1-standard-4' },
      nodes: 1,
      imageUri: 'us-docker.pkg.dev/vertex-ai/training/pytorch-xla.2-4.py310:latest',
      command: options.command ?? ['sleep', String(2 * STOP_AFTER_SECONDS)],
      env: [],
      stopAfterSeconds: STOP_AFTER_SECONDS,
      spot: false,
      baseOutputDirectory: jobObjects(details, ledgerId, jobId).baseOutputDirectory,
    });
    const { data } = await clients.aiplatform.projects.locations.customJobs.create({
      parent,
      requestBody: JSON.parse(JSON.stringify(body)),
    });
    if (!data.name) throw new Error(`the stand-in created a custom job for ${jobId} without a name`);
    return { jobId, customJob: data.name };
  };
  const created: VertexLedgerJob[] = [];
  const AT_ONCE = 8;
  for (let first = 0; first < jobIds.length; first += AT_ONCE)
    created.push(...(await Promise.all(jobIds.slice(first, first + AT_ONCE).map(create))));
  return created;
}

/**
 * A DLRUN_HOME whose ledger holds `count` active Vertex AI jobs, each with its custom job in the stand-in `env`
 * points at. The ledger is created first: its id is what the custom jobs are labelled with.
 */
export async function homeWithVertexJobs(
  home: string,
  env: Readonly<Record<string, string>>,
  count: number,
  options: VertexJobsOptions,
): Promise<{ ledgerId: LedgerId; jobs: VertexLedgerJob[] }> {
  const launch = (ledgerId: LedgerId, jobIds: readonly JobId[]) =>
    createVertexCustomJobs(env, ledgerId, jobIds, options);
  return homeWithLaunchedJobs(home, count, launch, {
    backend: 'vertex',
    spec: { name: 'sweep', backend: 'vertex', run: 'python train.py', resources: { cpus: 4 } },
    providerDetails: encodeVertexDetails(vertexJobDetails(options)),
    externalId: (job) => job.customJob,
  });
}
