/**
 * Reads a CustomJob request body the way Vertex AI does: proto3 JSON first (unknown fields, wrong types), then the
 * service's own checks. Field lists are those of googleapis 178's aiplatform v1 types (Schema$GoogleCloudAiplatformV1*)
 * [V]; enums from google/cloud/aiplatform/v1/accelerator_type.proto and the reference, section 2.2 [V].
 */
import { badRequest, type FieldViolation, VertexError } from './vertex-status.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** google/cloud/aiplatform/v1/accelerator_type.proto (2025) [V]. */
export const ACCELERATOR_TYPES = [
  'ACCELERATOR_TYPE_UNSPECIFIED',
  'NVIDIA_TESLA_K80',
  'NVIDIA_TESLA_P100',
  'NVIDIA_TESLA_V100',
  'NVIDIA_TESLA_P4',
  'NVIDIA_TESLA_T4',
  'NVIDIA_TESLA_A100',
  'NVIDIA_A100_80GB',
  'NVIDIA_L4',
  'NVIDIA_H100_80GB',
  'NVIDIA_H100_MEGA_80GB',
  'NVIDIA_H200_141GB',
  'NVIDIA_B200',
  'NVIDIA_GB200',
  'NVIDIA_RTX_PRO_6000',
  'TPU_V2',
  'TPU_V3',
  'TPU_V4_POD',
  'TPU_V5_LITEPOD',
] as const;

/** Scheduling.Strategy (reference 2.2 [V]). */
export const SCHEDULING_STRATEGIES = [
  'STRATEGY_UNSPECIFIED',
  'ON_DEMAND',
  'LOW_COST',
  'STANDARD',
  'SPOT',
  'FLEX_START',
] as const;

/** google/cloud/aiplatform/v1/job_state.proto [V]. */
export const JOB_STATES = [
  'JOB_STATE_UNSPECIFIED',
  'JOB_STATE_QUEUED',
  'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLING',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_PAUSED',
  'JOB_STATE_EXPIRED',
  'JOB_STATE_UPDATING',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
] as const;
export type JobState = (typeof JOB_STATES)[number];

type FieldType =
  | 'string'
  | 'bool'
  | 'int32'
  | 'int64'
  | 'duration'
  | 'timestamp'
  /** A message the stand-in does not model: any JSON object is kept as sent. */
  | 'object'
  | { readonly enum: readonly string[]; readonly type: string }
  | { readonly message: Message }
  | { readonly repeated: FieldType }
  | { readonly map: 'string' };

interface Message {
  /** The proto's full name, for "Invalid value" messages. */
  readonly type: string;
  readonly fields: Readonly<Record<string, FieldType>>;
}

const message = (name: string, fields: Record<string, FieldType>): { message: Message } => ({
  message: { type: `google.cloud.aiplatform.v1.${name}`, fields },
});
const repeated = (type: FieldType): FieldType => ({ repeated: type });

const ENV_VAR = message('EnvVar', { name: 'string', value: 'string' });
const WORKER_POOL_SPEC = message('WorkerPoolSpec', {
  containerSpec: message('ContainerSpec', {
    imageUri: 'string',
    command: repeated('string'),
    args: repeated('string'),
    env: repeated(ENV_VAR),
  }),
  pythonPackageSpec: message('PythonPackageSpec', {
    executorImageUri: 'string',
    packageUris: repeated('string'),
    pythonModule: 'string',
    args: repeated('string'),
    env: repeated(ENV_VAR),
  }),
  machineSpec: message('MachineSpec', {
    machineType: 'string',
    acceleratorType: { enum: ACCELERATOR_TYPES, type: 'google.cloud.aiplatform.v1.AcceleratorType' },
    acceleratorCount: 'int32',
    gpuPartitionSize: 'string',
    tpuTopology: 'string',
    reservationAffinity: 'object',
  }),
  replicaCount: 'int64',
  diskSpec: message('DiskSpec', { bootDiskType: 'string', bootDiskSizeGb: 'int32' }),
  nfsMounts: repeated('object'),
  lustreMounts: repeated('object'),
});

const CUSTOM_JOB: Message = message('CustomJob', {
  name: 'string',
  displayName: 'string',
  jobSpec: message('CustomJobSpec', {
    workerPoolSpecs: repeated(WORKER_POOL_SPEC),
    scheduling: message('Scheduling', {
      timeout: 'duration',
      restartJobOnWorkerRestart: 'bool',
      disableRetries: 'bool',
      strategy: { enum: SCHEDULING_STRATEGIES, type: 'google.cloud.aiplatform.v1.Scheduling.Strategy' },
      maxWaitDuration: 'duration',
    }),
    serviceAccount: 'string',
    network: 'string',
    reservedIpRanges: repeated('string'),
    baseOutputDirectory: message('GcsDestination', { outputUriPrefix: 'string' }),
    protectedArtifactLocationId: 'string',
    tensorboard: 'string',
    enableWebAccess: 'bool',
    enableDashboardAccess: 'bool',
    experiment: 'string',
    experimentRun: 'string',
    models: repeated('string'),
    persistentResourceId: 'string',
    pscInterfaceConfig: 'object',
  }),
  state: { enum: JOB_STATES, type: 'google.cloud.aiplatform.v1.JobState' },
  createTime: 'timestamp',
  startTime: 'timestamp',
  endTime: 'timestamp',
  updateTime: 'timestamp',
  error: 'object',
  labels: { map: 'string' },
  encryptionSpec: message('EncryptionSpec', { kmsKeyName: 'string' }),
  webAccessUris: { map: 'string' },
  satisfiesPzs: 'bool',
  satisfiesPzi: 'bool',
}).message;

/** Output-only CustomJob fields: accepted in a create and ignored, as AIP-203 says ([V] AIP-203). */
const OUTPUT_ONLY = [
  'name',
  'state',
  'createTime',
  'startTime',
  'endTime',
  'updateTime',
  'error',
  'webAccessUris',
  'satisfiesPzs',
  'satisfiesPzi',
];

const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const camelCase = (name: string): string => name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/** proto3 JSON Duration: seconds with up to nine fractional digits, then "s" ([V] protobuf JSON mapping). */
export const DURATION = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;

/** A Duration string's length in milliseconds (undefined when it is not one). */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const seconds = Number(match[2]) + Number(`0.${match[3] ?? '0'}`);
  return (match[1] ? -1 : 1) * seconds * 1000;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A proto3 JSON reader: collects what Google's front end says as "Invalid JSON payload received" ([S]). */
class Proto3Reader {
  readonly problems: FieldViolation[] = [];

  private invalid(path: string, type: string, value: Json): undefined {
    const shown = JSON.stringify(value);
    this.problems.push({ field: path, description: `Invalid value at '${path}' (${type}), ${shown}` });
    return undefined;
  }

  read(value: Json, type: FieldType, path: string): Json | undefined {
    if (value === null) return undefined;
    if (typeof type === 'object') {
      if ('message' in type) return this.readMessage(value, type.message, path);
      if ('repeated' in type) {
        if (!Array.isArray(value)) return this.invalid(path, 'repeated', value);
        const items: Json[] = [];
        value.forEach((item, index) => {
          const read = this.read(item, type.repeated, `${path}[${index}]`);
          if (read !== undefined) items.push(read);
        });
        return items;
      }
      if ('map' in type) {
        if (typeof value !== 'object' || Array.isArray(value)) return this.invalid(path, 'map', value);
        const map: JsonObject = {};
        for (const [key, item] of Object.entries(value)) {
          if (typeof item !== 'string') this.invalid(`${path}[${JSON.stringify(key)}]`, 'TYPE_STRING', item);
          else map[key] = item;
        }
        return map;
      }
      if (typeof value !== 'string' || !type.enum.includes(value)) return this.invalid(path, type.type, value);
      return value;
    }
    switch (type) {
      case 'string':
        return typeof value === 'string' ? value : this.invalid(path, 'TYPE_STRING', value);
      case 'bool':
        return typeof value === 'boolean' ? value : this.invalid(path, 'TYPE_BOOL', value);
      case 'int32': {
        const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
        if (typeof number !== 'number' || !Number.isInteger(number) || Math.abs(number) > 2 ** 31)
          return this.invalid(path, 'TYPE_INT32', value);
        return number;
      }
      case 'int64': {
        // int64 travels as a string in proto3 JSON; a number is accepted on input ([V] protobuf JSON mapping).
        if (typeof value === 'number' && Number.isInteger(value)) return String(value);
        if (typeof value === 'string' && /^-?\d+$/.test(value)) return String(BigInt(value));
        return this.invalid(path, 'TYPE_INT64', value);
      }
      case 'duration':
        return typeof value === 'string' && DURATION.test(value)
          ? value
          : this.invalid(path, 'type.googleapis.com/google.protobuf.Duration', value);
      case 'timestamp':
        return typeof value === 'string' && RFC3339.test(value)
          ? value
          : this.invalid(path, 'type.googleapis.com/google.protobuf.Timestamp', value);
      case 'object':
        return typeof value === 'object' && !Array.isArray(value) ? value : this.invalid(path, 'TYPE_MESSAGE', value);
    }
  }

  readMessage(value: Json, type: Message, path: string): JsonObject | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return this.invalid(path, `type.googleapis.com/${type.type}`, value);
    const read: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      // proto3 JSON parsers take the lowerCamelCase name and the proto field name alike ([V] JSON mapping).
      const name = key in type.fields ? key : camelCase(key);
      const fieldType = type.fields[name];
      if (fieldType === undefined) {
        const unknown = `Unknown name ${JSON.stringify(key)} at '${path}': Cannot find field.`;
        this.problems.push({ field: path, description: `Invalid JSON payload received. ${unknown}` });
        continue;
      }
      const field = this.read(item, fieldType, `${path}.${snakeCase(name)}`);
      if (field !== undefined) read[name] = field;
    }
    return read;
  }
}

const isEmptyPool = (pool: JsonObject): boolean => Object.keys(pool).length === 0;

/** Label keys and values: up to 64 code points; lowercase letters, digits, "_" and "-"; international allowed. */
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,64}$/u;
// Keys must start with a letter ([S] the general Google Cloud labels rules; the CustomJob text does not say).
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;

/**
 * The checks Vertex AI makes on a CustomJob after parsing it. Which of these the service makes is [V] where the
 * field comments say "Required" or give a limit; pool 0's replicaCount of exactly 1 and a positive replicaCount for
 * the other pools are what the distributed-training page tells users to send [V], refusing otherwise is [U].
 */
function semanticProblems(job: JsonObject): FieldViolation[] {
  const problems: FieldViolation[] = [];
  const problem = (field: string, description: string): void => void problems.push({ field, description });
  const displayName = job.displayName;
  if (typeof displayName !== 'string' || displayName.length === 0)
    problem('display_name', 'Required field is not set.');
  else if ([...displayName].length > 128) problem('display_name', 'Display name must be at most 128 characters long.');

  const labels = (job.labels ?? {}) as Record<string, string>;
  if (Object.keys(labels).length > 64) problem('labels', 'At most 64 labels are allowed.');
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key))
      problem(
        `labels[${JSON.stringify(key)}]`,
        'Label keys must start with a lowercase letter and can contain only lowercase letters, numeric characters, ' +
          'underscores and dashes, at most 64 characters.',
      );
    if (!LABEL_VALUE.test(value))
      problem(
        `labels[${JSON.stringify(key)}]`,
        'Label values can contain only lowercase letters, numeric characters, underscores and dashes, ' +
          'at most 64 characters.',
      );
  }

  const spec = job.jobSpec as JsonObject | undefined;
  if (spec === undefined) {
    problem('job_spec', 'Required field is not set.');
    return problems;
  }
  const pools = (spec.workerPoolSpecs ?? []) as JsonObject[];
  if (pools.length === 0) problem('job_spec.worker_pool_specs', 'Required field is not set.');
  if (pools.length > 4) problem('job_spec.worker_pool_specs', 'At most 4 worker pool specs are allowed.');
  if (pools[0] !== undefined && isEmptyPool(pools[0]))
    problem('job_spec.worker_pool_specs[0]', 'The first worker pool (the primary replica) must be specified.');
  pools.forEach((pool, index) => {
    if (isEmptyPool(pool)) return;
    const at = `job_spec.worker_pool_specs[${index}]`;
    const machine = pool.machineSpec as JsonObject | undefined;
    if (typeof machine?.machineType !== 'string' || machine.machineType === '')
      problem(`${at}.machine_spec.machine_type`, 'Required field is not set.');
    const count = pool.replicaCount === undefined ? 0 : Number(pool.replicaCount);
    if (index === 0 && count !== 1)
      problem(`${at}.replica_count`, 'The primary worker pool (worker_pool_specs[0]) must have replica_count 1.');
    if (index > 0 && count < 1) problem(`${at}.replica_count`, 'replica_count must be greater than 0.');
    const container = pool.containerSpec as JsonObject | undefined;
    const python = pool.pythonPackageSpec as JsonObject | undefined;
    if ((container === undefined) === (python === undefined))
      problem(at, 'Exactly one of container_spec or python_package_spec must be set.');
    if (container !== undefined) {
      if (typeof container.imageUri !== 'string' || container.imageUri === '')
        problem(`${at}.container_spec.image_uri`, 'Required field is not set.');
      envProblems(container.env, `${at}.container_spec.env`, problem);
    }
    if (python !== undefined) {
      if (typeof python.executorImageUri !== 'string' || python.executorImageUri === '')
        problem(`${at}.python_package_spec.executor_image_uri`, 'Required field is not set.');
      const uris = (python.packageUris ?? []) as string[];
      if (uris.length === 0) problem(`${at}.python_package_spec.package_uris`, 'Required field is not set.');
      if (uris.length > 100) problem(`${at}.python_package_spec.package_uris`, 'At most 100 package URIs.');
      if (typeof python.pythonModule !== 'string' || python.pythonModule === '')
        problem(`${at}.python_package_spec.python_module`, 'Required field is not set.');
      envProblems(python.env, `${at}.python_package_spec.env`, problem);
    }
  });

  const scheduling = spec.scheduling as JsonObject | undefined;
  if (typeof scheduling?.timeout === 'string' && (durationMs(scheduling.timeout) ?? 0) <= 0)
    problem('job_spec.scheduling.timeout', 'The timeout must be positive.');
  const output = spec.baseOutputDirectory as JsonObject | undefined;
  if (output !== undefined && !String(output.outputUriPrefix ?? '').startsWith('gs://'))
    problem('job_spec.base_output_directory.output_uri_prefix', 'Must be a Cloud Storage URI (gs://bucket/path).');
  return problems;
}

function envProblems(env: Json | undefined, at: string, problem: (field: string, description: string) => void): void {
  const entries = (env ?? []) as JsonObject[];
  if (entries.length > 100) problem(at, 'At most 100 environment variables are allowed.');
  entries.forEach((entry, index) => {
    if (typeof entry.name !== 'string' || entry.name === '')
      problem(`${at}[${index}].name`, 'Required field is not set.');
  });
}

/**
 * The "List of found errors" layout of Vertex AI's validation messages ([S] seen in Vertex answers; the exact words
 * of each message are the stand-in's own, [U]).
 */
function listOfFoundErrors(problems: readonly FieldViolation[]): string {
  const items = problems.map((p, index) => `${index + 1}.Field: ${p.field}; Message: ${p.description}`);
  return `List of found errors:\t${items.join('\t')}\t`;
}

/**
 * A create request's body, read and checked as Vertex AI would: the CustomJob as it will be stored (camelCase,
 * int64 as strings, output-only fields dropped, disk defaults filled in), or a VertexError (400 INVALID_ARGUMENT with
 * google.rpc.BadRequest details).
 */
export function readCustomJob(body: Json): JsonObject {
  const reader = new Proto3Reader();
  const job = reader.readMessage(body, CUSTOM_JOB, 'custom_job');
  if (reader.problems.length > 0 || job === undefined)
    throw badRequest(reader.problems.map((p) => p.description).join('\n'), reader.problems);
  for (const field of OUTPUT_ONLY) delete job[field];
  const problems = semanticProblems(job);
  if (problems.length > 0) throw badRequest(listOfFoundErrors(problems), problems);
  for (const pool of ((job.jobSpec as JsonObject).workerPoolSpecs ?? []) as JsonObject[]) {
    if (isEmptyPool(pool)) continue;
    // Vertex answers with the disk defaults filled in ([U]: the defaults are [V], echoing them is recollection).
    const disk = (pool.diskSpec ?? {}) as JsonObject;
    pool.diskSpec = { bootDiskType: 'pd-ssd', bootDiskSizeGb: 100, ...disk };
  }
  return job;
}

/** A body that is not JSON at all, as Google's front end words it ([S]). */
export function unreadableBody(error: unknown): VertexError {
  const detail = error instanceof Error ? error.message : String(error);
  return badRequest(`Invalid JSON payload received. ${detail}`, [{ field: '', description: detail }]);
}

export { VertexError };
