import type { BackendName } from '../../spec/backend-names.js';

/** Variables bash itself always sets, in every non-interactive shell. */
export const BASH_VARIABLES = [
  'BASH',
  'BASHOPTS',
  'BASHPID',
  'BASH_ARGC',
  'BASH_ARGV',
  'BASH_COMMAND',
  'BASH_LINENO',
  'BASH_REMATCH',
  'BASH_SOURCE',
  'BASH_SUBSHELL',
  'BASH_VERSINFO',
  'BASH_VERSION',
  'DIRSTACK',
  'EPOCHREALTIME',
  'EPOCHSECONDS',
  'EUID',
  'FUNCNAME',
  'GROUPS',
  'HOSTNAME',
  'HOSTTYPE',
  'IFS',
  'LINENO',
  'MACHTYPE',
  'OPTIND',
  'OSTYPE',
  'PIPESTATUS',
  'PPID',
  'PS4',
  'PWD',
  'RANDOM',
  'SECONDS',
  'SHELLOPTS',
  'SHLVL',
  'SRANDOM',
  'UID',
  'HOME',
  'PATH',
] as const;

/**
 * Variables a backend's machines set for every job, beyond dlrun's own DLRUN_* (Vertex AI: the AIP_* folders and
 * CLUSTER_SPEC/TF_CONFIG, https://cloud.google.com/vertex-ai/docs/training/code-requirements#environment-variables;
 * Rescale: RESCALE_API_KEY inside jobs, providers.md section 5.1).
 */
export const BACKEND_VARIABLES: Readonly<Record<BackendName, readonly string[]>> = {
  local: [],
  ec2: [],
  vertex: [
    'AIP_MODEL_DIR',
    'AIP_CHECKPOINT_DIR',
    'AIP_TENSORBOARD_LOG_DIR',
    'CLOUD_ML_JOB_ID',
    'CLOUD_ML_TRIAL_ID',
    'CLUSTER_SPEC',
    'TF_CONFIG',
  ],
  rescale: ['RESCALE_API_KEY'],
};

/** The variables dlrun gives every job on every backend (JOB-SPEC.md section 1). */
export const DLRUN_VARIABLES = [
  'DLRUN_JOB_ID',
  'DLRUN_BACKEND',
  'DLRUN_WORKDIR',
  'DLRUN_OUTPUT_DIR',
  'DLRUN_NUM_NODES',
  'DLRUN_NODE_RANK',
  'DLRUN_MASTER_ADDR',
  'DLRUN_MASTER_PORT',
  'DLRUN_GPUS_PER_NODE',
] as const;
