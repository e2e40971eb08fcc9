import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import { detailReader } from '../../src/backend/provider-details.js';
import type { BackendContext, ProviderDetails, StopAfter } from '../../src/backend/training-backend.js';
import { type VertexClients, vertexClients } from './vertex-clients.js';
import { vertexRegionOf } from './vertex-region.js';
import { ledgerPrefix, type StagingLocation } from './vertex-staging.js';

/**
 * What the Vertex AI adapter decides when it plans a job and needs again later: at submit, and to find the job and
 * its objects again (status, logs, cancel, outputs, gc). Kept in the ledger with the job (`provider_json`) as
 * `encodeVertexDetails` writes it, read back by `decodeVertexDetails` alone.
 */
export interface VertexJobDetails {
  readonly region: string;
  /** backends.vertex.project; null when the credentials' own project is used (resolved at submit and later). */
  readonly project: string | null;
  /** The staging bucket and the prefix inside it (backends.vertex.staging_bucket). */
  readonly bucket: string;
  readonly prefix: string;
  /** The workdir archive's object name (content-addressed), as planned. */
  readonly workdirObject: string | null;
  readonly nodes: number;
  readonly stopAfter: StopAfter;
  /** Whether the job's secrets are staged as an object the bootstrap reads (deleted once the job ends). */
  readonly secrets: boolean;
}

export function encodeVertexDetails(details: VertexJobDetails): ProviderDetails {
  return {
    region: details.region,
    project: details.project,
    bucket: details.bucket,
    prefix: details.prefix,
    workdirObject: details.workdirObject,
    nodes: details.nodes,
    stopAfterSeconds: details.stopAfter.seconds,
    stopReason: details.stopAfter.reason,
    secrets: details.secrets,
  };
}

/**
 * The details of a plan or of a job the ledger kept. A job without a bucket cannot have been launched by this
 * adapter (the plan refuses one): its bucket is '' and whatever needs the bucket says so.
 */
export function decodeVertexDetails(details: ProviderDetails | undefined, context: BackendContext): VertexJobDetails {
  const { text, number, flag } = detailReader(details);
  return {
    region: vertexRegionOf(text('region'), context.env),
    project: text('project') ?? null,
    bucket: text('bucket') ?? '',
    prefix: text('prefix') ?? '',
    workdirObject: text('workdirObject') ?? null,
    nodes: Math.max(1, Math.floor(number('nodes') ?? 1)),
    stopAfter: { seconds: number('stopAfterSeconds') ?? null, reason: text('stopReason') ?? null },
    secrets: flag('secrets'),
  };
}

export function stagingOf(details: Pick<VertexJobDetails, 'bucket' | 'prefix'>): StagingLocation {
  return { bucket: details.bucket, prefix: details.prefix };
}

/** The objects of one job in the staging bucket, as the bootstrap writes them (templates/bootstrap). */
export interface VertexJobObjects {
  /** `<prefix>/dlrun/<ledgerId>/jobs/<jobId>/`: every object of the job but the shared workdir archive. */
  readonly folder: string;
  /** DLRUN_BOOT_NODES_PREFIX: node N writes `<nodesPrefix>/N/output.log` and `.../N/markers`. */
  readonly nodesPrefix: string;
  log(rank: number): string;
  markers(rank: number): string;
  /** Node 0's result, `name=value` lines (src/backend/job-result.ts reads them). */
  readonly result: string;
  /** Node 0's outputs folder as a tar.gz. */
  readonly outputs: string;
  /** Written by `dlrun cancel` before it asks Vertex to cancel: a CANCELLED job is then the user's doing. */
  readonly cancelRequested: string;
  /** The job's secrets as JSON, readable by the job's service account only through the bucket; deleted at the end. */
  readonly secrets: string;
  /** jobSpec.baseOutputDirectory: gs:// URL of the folder Vertex gives the job as AIP_MODEL_DIR and friends. */
  readonly baseOutputDirectory: string;
}

export function jobObjects(
  details: Pick<VertexJobDetails, 'bucket' | 'prefix'>,
  ledgerId: LedgerId,
  jobId: JobId,
): VertexJobObjects {
  const folder = `${ledgerPrefix(stagingOf(details), ledgerId)}jobs/${jobId}/`;
  const nodesPrefix = `${folder}nodes`;
  return {
    folder,
    nodesPrefix,
    log: (rank) => `${nodesPrefix}/${rank}/output.log`,
    markers: (rank) => `${nodesPrefix}/${rank}/markers`,
    result: `${nodesPrefix}/0/result`,
    outputs: `${nodesPrefix}/0/outputs.tar.gz`,
    cancelRequested: `${folder}cancel-requested`,
    secrets: `${folder}secrets.json`,
    baseOutputDirectory: `gs://${details.bucket}/${folder}vertex-output`,
  };
}

/** Google's clients for a job: its region, and its project when the job file named one. */
export function clientsOf(
  details: Pick<VertexJobDetails, 'region' | 'project'>,
  context: BackendContext,
): VertexClients {
  return vertexClients(details.region, context, details.project ? { project: details.project } : {});
}
