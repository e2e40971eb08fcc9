import { findEc2InstanceType, findGpu, suggestEc2InstanceType } from '../../src/cost/catalogs/index.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { imageCommands } from '../../src/validate/catalogs/image-commands.js';
import type { BackendValidation, JobGpus, SettingFinding } from '../../src/validate/rule.js';
import { ec2JobImage } from './ec2-image-facts.js';
import { ec2Region } from './rules/ec2-region.js';

/**
 * What the default image (the AWS Deep Learning AMI) has beyond every Linux training machine: conda, the AWS CLI,
 * Docker, the NVIDIA driver and CUDA, PyTorch with torchrun
 * (https://docs.aws.amazon.com/dlami/latest/devguide/appendix-ami-release-notes.html).
 */
const IMAGE_COMMANDS = [
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
];

/** EC2's part of the validator (docs/rules.md): its instance types from the catalogs, and its region. */
export const ec2Validation: BackendValidation = {
  commands: () => imageCommands(IMAGE_COMMANDS),
  providedVariables: [],
  startup: undefined,
  machineNames: (job) => [
    {
      field: 'backends.ec2.instance_type',
      value: job.backends?.ec2?.instance_type,
      what: 'EC2 instance type',
      find: findEc2InstanceType,
      suggest: suggestEc2InstanceType,
    },
  ],
  machineGpus,
  mismatches,
  image: ec2JobImage,
  // An instance profile (iam_instance_profile) gives the AWS tools credentials on the machine.
  ambientClouds: ['aws'],
  rules: [ec2Region],
};

function machineGpus(job: JobSpec): JobGpus | undefined {
  const name = job.backends?.ec2?.instance_type;
  const type = name ? findEc2InstanceType(name) : undefined;
  const gpu = type?.gpus ? findGpu(type.gpus.model) : undefined;
  return type?.gpus && gpu
    ? { gpu, count: type.gpus.count, field: 'backends.ec2.instance_type', machine: type.name }
    : undefined;
}

/** An instance type without the GPU `resources` asks for (another model, fewer, none), or less memory or CPUs. */
function mismatches(job: JobSpec): SettingFinding[] {
  const name = job.backends?.ec2?.instance_type;
  const type = name ? findEc2InstanceType(name) : undefined;
  if (!type) return [];
  const findings: SettingFinding[] = [];
  const at = (message: string): SettingFinding => ({ field: 'backends.ec2.instance_type', severity: 'error', message });
  const wanted = job.resources.gpu;
  if (wanted) {
    const model = findGpu(wanted.model)?.name ?? wanted.model;
    if (!type.gpus) findings.push(at(`${type.name} has no GPU, but resources.gpu asks for ${wanted.model}`));
    else if (findGpu(type.gpus.model)?.name !== model)
      findings.push(at(`${type.name} has ${type.gpus.count} ${type.gpus.model}, not ${wanted.model}`));
    else if (type.gpus.count < wanted.count)
      findings.push(
        at(
          `${type.name} has ${type.gpus.count} ${type.gpus.model}, ` +
            `fewer than the ${wanted.count} resources.gpu asks for`,
        ),
      );
  }
  if (job.resources.memory !== undefined && job.resources.memory > type.memory_gib)
    findings.push(
      at(
        `${type.name} has ${type.memory_gib} GiB of memory, ` +
          `less than the ${job.resources.memory} GiB resources.memory asks for`,
      ),
    );
  if (job.resources.cpus !== undefined && job.resources.cpus > type.vcpus)
    findings.push(
      at(`${type.name} has ${type.vcpus} vCPUs, fewer than the ${job.resources.cpus} resources.cpus asks for`),
    );
  return findings;
}
