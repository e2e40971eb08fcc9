import {
  findGpu,
  findVertexAccelerator,
  findVertexMachineType,
  suggestVertexAccelerator,
  suggestVertexMachineType,
} from '../../src/cost/catalogs/index.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { imageCommands } from '../../src/validate/catalogs/image-commands.js';
import type { BackendValidation, JobGpus, SettingFinding } from '../../src/validate/rule.js';
import { vertexJobImage } from './vertex-image-facts.js';

/**
 * Vertex AI's part of the validator (docs/rules.md): its machine and accelerator types from the catalogs, which
 * accelerator goes on which machine family (T4/V100/P100/P4 on n1, A100 in a2, L4 in g2, H100 in a3), what its
 * prebuilt training containers have (Python with the framework, gcloud tooling:
 * https://cloud.google.com/vertex-ai/docs/training/pre-built-containers), and the variables it sets for every job
 * (the AIP_* folders, CLUSTER_SPEC and TF_CONFIG:
 * https://cloud.google.com/vertex-ai/docs/training/code-requirements#environment-variables).
 */
export const vertexValidation: BackendValidation = {
  commands: () => imageCommands(['gcloud', 'gsutil', 'torchrun', 'tensorboard', 'conda']),
  providedVariables: [
    'AIP_MODEL_DIR',
    'AIP_CHECKPOINT_DIR',
    'AIP_TENSORBOARD_LOG_DIR',
    'CLOUD_ML_JOB_ID',
    'CLOUD_ML_TRIAL_ID',
    'CLUSTER_SPEC',
    'TF_CONFIG',
  ],
  startup: undefined,
  machineNames: (job) => [
    {
      field: 'backends.vertex.machine_type',
      value: job.backends?.vertex?.machine_type,
      what: 'Vertex AI machine type',
      find: findVertexMachineType,
      suggest: suggestVertexMachineType,
    },
    {
      field: 'backends.vertex.accelerator_type',
      value: job.backends?.vertex?.accelerator_type,
      what: 'Vertex AI accelerator type',
      find: findVertexAccelerator,
      suggest: suggestVertexAccelerator,
    },
  ],
  machineGpus,
  mismatches,
  image: vertexJobImage,
  // Custom jobs run as a service account, which gcloud, gsutil and the Google client libraries find on the machine.
  ambientClouds: ['gcp'],
  rules: [],
};

/** The accelerator's GPUs (as many as resources.gpu asks for), else those built into the machine type. */
function machineGpus(job: JobSpec): JobGpus | undefined {
  const options = job.backends?.vertex;
  const accelerator = options?.accelerator_type ? findVertexAccelerator(options.accelerator_type) : undefined;
  if (accelerator) {
    const gpu = findGpu(accelerator.gpu_model);
    return gpu
      ? {
          gpu,
          count: job.resources.gpu?.count ?? 1,
          field: 'backends.vertex.accelerator_type',
          machine: accelerator.name,
        }
      : undefined;
  }
  const machine = options?.machine_type ? findVertexMachineType(options.machine_type) : undefined;
  const builtIn = machine?.built_in_gpus ? findVertexAccelerator(machine.built_in_gpus.accelerator) : undefined;
  const gpu = builtIn ? findGpu(builtIn.gpu_model) : undefined;
  return machine?.built_in_gpus && gpu
    ? { gpu, count: machine.built_in_gpus.count, field: 'backends.vertex.machine_type', machine: machine.name }
    : undefined;
}

/**
 * An accelerator that is not the GPU asked for, or not attached in that number; an accelerator on a machine family
 * it does not attach to, or on a machine with GPUs of its own; a machine whose own GPUs are not the ones asked for.
 */
function mismatches(job: JobSpec): SettingFinding[] {
  const options = job.backends?.vertex;
  const findings: SettingFinding[] = [];
  const accelerator = options?.accelerator_type ? findVertexAccelerator(options.accelerator_type) : undefined;
  const machine = options?.machine_type ? findVertexMachineType(options.machine_type) : undefined;
  const wanted = job.resources.gpu;
  if (accelerator && wanted && findGpu(accelerator.gpu_model)?.name !== findGpu(wanted.model)?.name) {
    findings.push({
      field: 'backends.vertex.accelerator_type',
      severity: 'error',
      message: `${accelerator.name} is a ${accelerator.gpu_model}, but resources.gpu asks for ${wanted.model}`,
    });
  }
  if (accelerator && wanted && accelerator.counts && !accelerator.counts.includes(wanted.count)) {
    findings.push({
      field: 'resources.gpu',
      severity: 'error',
      message: `${accelerator.name} attaches ${accelerator.counts.join(', ')} at a time, not ${wanted.count}`,
    });
  }
  if (accelerator && machine) {
    if (machine.built_in_gpus && machine.built_in_gpus.accelerator !== accelerator.name) {
      findings.push({
        field: 'backends.vertex.accelerator_type',
        severity: 'error',
        message:
          `${machine.name} comes with ${machine.built_in_gpus.count} ${machine.built_in_gpus.accelerator}; ` +
          `it takes no ${accelerator.name}`,
      });
    } else if (!accelerator.machine_families.includes(machine.family)) {
      findings.push({
        field: 'backends.vertex.accelerator_type',
        severity: 'error',
        message:
          `${accelerator.name} does not attach to ${machine.family} machines ` +
          `(it goes with ${accelerator.machine_families.join(', ')})`,
      });
    }
  }
  if (
    !accelerator &&
    machine?.built_in_gpus &&
    wanted &&
    findGpu(wanted.model)?.name !==
      findGpu(findVertexAccelerator(machine.built_in_gpus.accelerator)?.gpu_model ?? '')?.name
  ) {
    findings.push({
      field: 'backends.vertex.machine_type',
      severity: 'error',
      message:
        `${machine.name} comes with ${machine.built_in_gpus.accelerator}, ` +
        `but resources.gpu asks for ${wanted.model}`,
    });
  }
  if (machine && !machine.built_in_gpus && !accelerator && wanted && options?.machine_type) {
    findings.push({
      field: 'backends.vertex.machine_type',
      severity: 'warning',
      message:
        `${machine.name} has no GPU of its own and no accelerator_type is given; ` +
        `dlrun will attach one for resources.gpu ${wanted.model}`,
    });
  }
  return findings;
}
