/**
 * Variables the distributed launchers set in every process they start (torchrun and `python -m
 * torch.distributed.run`, accelerate launch, the deepspeed launcher): a script started by one reads them safely.
 */
export const LAUNCHER_VARIABLES = [
  'RANK',
  'LOCAL_RANK',
  'WORLD_SIZE',
  'LOCAL_WORLD_SIZE',
  'GROUP_RANK',
  'GROUP_WORLD_SIZE',
  'ROLE_RANK',
  'ROLE_NAME',
  'ROLE_WORLD_SIZE',
  'MASTER_ADDR',
  'MASTER_PORT',
  'OMP_NUM_THREADS',
  'CROSS_RANK',
  'CROSS_SIZE',
  'LOCAL_SIZE',
] as const;

/** Prefixes of what launchers, schedulers and images set on their own (TORCHELASTIC_RUN_ID, SLURM_PROCID ...). */
export const SET_BY_OTHERS = [
  'TORCHELASTIC_',
  'ACCELERATE_',
  'SLURM_',
  'OMPI_',
  'PMI_',
  'PMIX_',
  'MV2_',
  'SM_',
  'KUBERNETES_',
  'CUDA_',
  'NVIDIA_',
  'CONDA_',
  'NCCL_',
  'LD_',
  'PYTHON',
  'XDG_',
  'RESCALE_',
  'CLOUD_ML_',
];

/** Images of the clouds' own, which set no variable a job's code expects; any other image may set any in its ENV. */
export const PREBUILT_IMAGES = [/\/vertex-ai\/training\//, /deeplearning/i];

/** Variables every Linux login or container has. */
export const SYSTEM_VARIABLES = ['USER', 'LOGNAME', 'SHELL', 'LANG', 'TERM', 'HOSTNAME', 'TMPDIR', 'VIRTUAL_ENV'];
