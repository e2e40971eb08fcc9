import type { BackendName } from '../../spec/backend-names.js';
import { BASE_COMMANDS, BASH_BUILTINS, GPU_COMMANDS, PYTHON_COMMANDS } from './shell-commands.js';

/**
 * What a backend's default image provides beyond the base commands, so that a command is judged against the
 * machine the job runs on, not this laptop. Sources: the AWS Deep Learning AMI release notes
 * (https://docs.aws.amazon.com/dlami/latest/devguide/appendix-ami-release-notes.html: conda, the AWS CLI, Docker,
 * the NVIDIA driver and CUDA, PyTorch with torchrun), Vertex AI's prebuilt training containers
 * (https://cloud.google.com/vertex-ai/docs/training/pre-built-containers: Python with the framework and gcloud
 * tooling), Rescale's bring-your-own-script analysis (python on its images). Lists, not guarantees: a missing command
 * is only reported when it is a near miss of one listed.
 */
const IMAGE_COMMANDS: Readonly<Record<Exclude<BackendName, 'local'>, readonly string[]>> = {
  ec2: [
    'conda',
    'mamba',
    'aws',
    'docker',
    'torchrun',
    'accelerate',
    'deepspeed',
    'tensorboard',
    'jupyter',
    'ipython',
    'huggingface-cli',
    'gsutil',
    'fi_info',
    'mpirun',
  ],
  vertex: ['gcloud', 'gsutil', 'torchrun', 'tensorboard', 'conda'],
  rescale: ['mpirun', 'module', 'conda'],
};

const EVERYWHERE = new Set<string>([...BASH_BUILTINS, ...BASE_COMMANDS, ...PYTHON_COMMANDS, ...GPU_COMMANDS]);

/**
 * Commands a backend's machines are known to have. The local backend's are those on this machine's PATH, read
 * only when a job is checked for it.
 */
export function imageCommands(backend: BackendName, localPath: () => ReadonlySet<string>): ReadonlySet<string> {
  if (backend === 'local') return new Set([...BASH_BUILTINS, ...localPath()]);
  return new Set([...EVERYWHERE, ...IMAGE_COMMANDS[backend]]);
}
