import {
  findEc2InstanceType,
  findGpu,
  findRescaleCoreType,
  findVertexAccelerator,
  findVertexMachineType,
  type GpuModel,
} from '../cost/catalogs/index.js';
import type { BackendName } from '../spec/backend-names.js';
import type { JobSpec } from '../spec/job-spec.js';

/** The GPUs a job will get on a backend, and which setting decides them. */
export interface JobGpus {
  readonly gpu: GpuModel;
  readonly count: number;
  /** The job file field that decides it, for pointing at it (`backends.ec2.instance_type`, `resources.gpu`). */
  readonly field: string;
  readonly machine: string | undefined;
}

/**
 * The GPUs a job gets on a backend: those of the machine type it names (the EC2 instance type, the Vertex
 * accelerator or machine type, the Rescale core type), else those `resources.gpu` asks for.
 */
export function jobGpus(job: JobSpec, backend: BackendName): JobGpus | undefined {
  const fromMachine = machineGpus(job, backend);
  if (fromMachine) return fromMachine;
  const requested = job.resources.gpu;
  const gpu = requested ? findGpu(requested.model) : undefined;
  return requested && gpu ? { gpu, count: requested.count, field: 'resources.gpu', machine: undefined } : undefined;
}

function machineGpus(job: JobSpec, backend: BackendName): JobGpus | undefined {
  if (backend === 'ec2' && job.backends?.ec2?.instance_type) {
    const type = findEc2InstanceType(job.backends.ec2.instance_type);
    const gpu = type?.gpus ? findGpu(type.gpus.model) : undefined;
    return type?.gpus && gpu
      ? { gpu, count: type.gpus.count, field: 'backends.ec2.instance_type', machine: type.name }
      : undefined;
  }
  if (backend === 'vertex') {
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
  if (backend === 'rescale' && job.backends?.rescale?.core_type) {
    const core = findRescaleCoreType(job.backends.rescale.core_type);
    const gpu = core?.gpus?.model ? findGpu(core.gpus.model) : undefined;
    return core?.gpus && gpu
      ? { gpu, count: core.gpus.count_per_node ?? 1, field: 'backends.rescale.core_type', machine: core.code }
      : undefined;
  }
  return undefined;
}
