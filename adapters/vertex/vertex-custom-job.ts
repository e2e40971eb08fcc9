import { createHash } from 'node:crypto';
import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import { JOB_ID_TAG, LEDGER_TAG } from '../../src/backend/tags.js';

/*
 * The body of `customJobs.create` (POST /v1/projects/{project}/locations/{region}/customJobs), built offline so
 * `submit --dry-run` shows exactly what `submit` sends. The interfaces below are the subset of the CustomJob
 * resource dlrun writes, with the proto3 JSON field names of googleapis' aiplatform_v1
 * `Schema$GoogleCloudAiplatformV1CustomJob` (the provider reference, providers.md 2.2;
 * https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.customJobs).
 */

export interface VertexMachineSpec {
  readonly machineType: string;
  /** An AcceleratorType enum name, e.g. NVIDIA_TESLA_T4; absent for a CPU machine or one with built-in GPUs. */
  readonly acceleratorType?: string;
  /** A JSON number (int32 in the proto). */
  readonly acceleratorCount?: number;
}

export interface VertexEnvVar {
  readonly name: string;
  readonly value: string;
}

export interface VertexWorkerPoolSpec {
  readonly machineSpec: VertexMachineSpec;
  /** int64, so a string in proto3 JSON (and in googleapis' types). */
  readonly replicaCount: string;
  readonly diskSpec: { readonly bootDiskType: string; readonly bootDiskSizeGb: number };
  readonly containerSpec: {
    readonly imageUri: string;
    /** Replaces the image's ENTRYPOINT. */
    readonly command: readonly string[];
    readonly env: readonly VertexEnvVar[];
  };
}

export interface VertexScheduling {
  /** A protobuf Duration, e.g. "7200s"; Vertex's default is 7 days. */
  readonly timeout?: string;
  /** Unset means STRATEGY_UNSPECIFIED, which Vertex documents as "defaults to STANDARD" (on-demand). */
  readonly strategy?: 'SPOT';
}

export interface VertexCustomJobBody {
  readonly displayName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly jobSpec: {
    readonly workerPoolSpecs: readonly VertexWorkerPoolSpec[];
    readonly scheduling?: VertexScheduling;
    readonly serviceAccount?: string;
    /** A GcsDestination object, not a string: Vertex derives AIP_MODEL_DIR and friends from it. */
    readonly baseOutputDirectory: { readonly outputUriPrefix: string };
  };
}

export interface CustomJobInput {
  readonly jobId: JobId;
  readonly ledgerId: LedgerId;
  /** The job file's `name`. */
  readonly name: string;
  /** The machine chosen from `resources` (vertex-machine-choice.ts) or the job's backends.vertex settings. */
  readonly machine: VertexMachineSpec;
  /** resources.nodes: node 0 is the chief in pool 0, the others are pool 1. */
  readonly nodes: number;
  readonly imageUri: string;
  /** The container's command, e.g. ['bash', '-c', script]. */
  readonly command: readonly string[];
  readonly env: readonly VertexEnvVar[];
  /** When Vertex must stop the job, in seconds; null for no limit of dlrun's (Vertex's own 7 days then apply). */
  readonly stopAfterSeconds: number | null;
  readonly spot: boolean;
  readonly serviceAccount?: string | undefined;
  /** gs://bucket/prefix for this job's outputs. */
  readonly baseOutputDirectory: string;
  /** resources.disk in GB; Vertex's default is 100. */
  readonly bootDiskGb?: number | undefined;
}

/** Vertex's documented defaults for the boot disk (providers.md 2.2, DiskSpec). */
export const DEFAULT_BOOT_DISK = { bootDiskType: 'pd-ssd', bootDiskSizeGb: 100 } as const;
/** displayName is at most 128 UTF-8 characters. */
export const MAX_DISPLAY_NAME = 128;
/** Google Cloud label values: at most 63 characters. */
const MAX_LABEL_VALUE = 63;

export function customJobBody(input: CustomJobInput): VertexCustomJobBody {
  if (!Number.isInteger(input.nodes) || input.nodes < 1) throw new Error(`nodes must be 1 or more, not ${input.nodes}`);
  if (input.command.length === 0) throw new Error('the container needs a command');
  const pool = (replicas: number): VertexWorkerPoolSpec => ({
    machineSpec: machineSpec(input.machine),
    replicaCount: String(replicas),
    diskSpec: { ...DEFAULT_BOOT_DISK, ...(input.bootDiskGb ? { bootDiskSizeGb: Math.ceil(input.bootDiskGb) } : {}) },
    containerSpec: { imageUri: input.imageUri, command: [...input.command], env: input.env.map((e) => ({ ...e })) },
  });
  const scheduling: VertexScheduling = {
    ...(input.stopAfterSeconds !== null ? { timeout: durationOf(input.stopAfterSeconds) } : {}),
    ...(input.spot ? { strategy: 'SPOT' as const } : {}),
  };
  return {
    displayName: displayNameOf(input.name, input.jobId),
    labels: { [JOB_ID_TAG]: labelValue(input.jobId), [LEDGER_TAG]: labelValue(input.ledgerId) },
    jobSpec: {
      // Pool 0 is the chief and must have one replica; every other node is a worker of pool 1.
      workerPoolSpecs: input.nodes === 1 ? [pool(1)] : [pool(1), pool(input.nodes - 1)],
      ...(Object.keys(scheduling).length ? { scheduling } : {}),
      ...(input.serviceAccount ? { serviceAccount: input.serviceAccount } : {}),
      baseOutputDirectory: { outputUriPrefix: input.baseOutputDirectory },
    },
  };
}

function machineSpec(machine: VertexMachineSpec): VertexMachineSpec {
  return {
    machineType: machine.machineType,
    ...(machine.acceleratorType && machine.acceleratorCount
      ? { acceleratorType: machine.acceleratorType, acceleratorCount: machine.acceleratorCount }
      : {}),
  };
}

/** A protobuf Duration in whole seconds, rounded up so the job never gets less than its limit: 7200 -> "7200s". */
export function durationOf(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`a timeout must be positive, not ${seconds}`);
  return `${Math.ceil(seconds)}s`;
}

/** The job's name cut to 128 characters (code points, so no character is split); the job id when it is empty. */
export function displayNameOf(name: string, jobId: JobId): string {
  const chosen = name.trim() || jobId;
  return Array.from(chosen).slice(0, MAX_DISPLAY_NAME).join('');
}

const VERBATIM_LABEL = /^[a-z0-9-]{1,63}$/;

/**
 * A dlrun id as a label value (lowercase letters, digits, `_` and `-`, at most 63 characters). Job ids and ledger
 * ids already fit (job-id.ts) and are used verbatim, so a label filter `labels.dlrun-job-id="<id>"` finds the job.
 * Anything else becomes `h_` and the first 60 hex digits of its SHA-256: collision-safe, and never equal to a
 * verbatim value, since those have no `_`. Not reversible: the ledger keeps the id itself.
 */
export function labelValue(id: string): string {
  if (VERBATIM_LABEL.test(id)) return id;
  const encoded = `h_${createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 60)}`;
  return encoded.slice(0, MAX_LABEL_VALUE);
}

/** A few lines for `submit --dry-run`: what would run where, without the full JSON. */
export function describeCustomJob(body: VertexCustomJobBody): string {
  const pools = body.jobSpec.workerPoolSpecs;
  const first = pools[0]!;
  const machine = first.machineSpec;
  const nodes = pools.reduce((sum, pool) => sum + Number(pool.replicaCount), 0);
  const gpus = machine.acceleratorType ? ` + ${machine.acceleratorCount}x ${machine.acceleratorType}` : '';
  const scheduling = body.jobSpec.scheduling;
  return [
    `Vertex AI custom job "${body.displayName}"`,
    `  ${nodes} node${nodes === 1 ? '' : 's'} of ${machine.machineType}${gpus}, ` +
      `${first.diskSpec.bootDiskSizeGb} GB ${first.diskSpec.bootDiskType} boot disk` +
      (scheduling?.strategy === 'SPOT' ? ', spot' : ''),
    `  image ${first.containerSpec.imageUri}`,
    `  stopped by Vertex after ${scheduling?.timeout ?? "7 days (Vertex's default)"}`,
    `  outputs under ${body.jobSpec.baseOutputDirectory.outputUriPrefix}`,
    ...(body.jobSpec.serviceAccount ? [`  runs as ${body.jobSpec.serviceAccount}`] : []),
  ].join('\n');
}
