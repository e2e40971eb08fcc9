import type { Finding } from '../../base/finding.js';
import { findingAt } from '../../base/finding.js';
import {
  findEc2InstanceType,
  findGpu,
  findVertexAccelerator,
  findVertexMachineType,
} from '../../cost/catalogs/index.js';
import type { Rule } from '../rule.js';
import type { JobSpec } from '../../spec/job-spec.js';

/**
 * Settings that contradict each other: `resources.gpu` asking for a GPU the named instance or machine type does
 * not have (another model, fewer of them, none), memory or CPUs it does not have, and a Vertex accelerator on a
 * machine family it does not attach to (T4/V100/P100/P4 go on n1, A100 comes in a2, L4 in g2, H100 in a3).
 */
export const gpuMismatch: Rule = {
  id: 'gpu-mismatch',
  summary: 'a GPU (or memory, CPUs) request the chosen instance or machine type does not have',
  check({ job, targets }) {
    const findings: Finding[] = [];
    if (targets.includes('ec2')) findings.push(...ec2(job));
    if (targets.includes('vertex')) findings.push(...vertex(job));
    return findings;
  },
};

function ec2(job: JobSpec): Finding[] {
  const name = job.backends?.ec2?.instance_type;
  const type = name ? findEc2InstanceType(name) : undefined;
  if (!type) return [];
  const findings: Finding[] = [];
  const at = (message: string): Finding =>
    findingAt(job, 'backends.ec2.instance_type', { rule: 'gpu-mismatch', severity: 'error', message });
  const wanted = job.resources.gpu;
  if (wanted) {
    const model = findGpu(wanted.model)?.name ?? wanted.model;
    if (!type.gpus) findings.push(at(`${type.name} has no GPU, but resources.gpu asks for ${wanted.model}`));
    else if (findGpu(type.gpus.model)?.name !== model)
      findings.push(at(`${type.name} has ${type.gpus.count} ${type.gpus.model}, not ${wanted.model}`));
    else if (type.gpus.count < wanted.count)
      findings.push(
        at(
          `${type.name} has ${type.gpus.count} ${type.gpus.model}, fewer than the ${wanted.count} resources.gpu asks for`,
        ),
      );
  }
  if (job.resources.memory !== undefined && job.resources.memory > type.memory_gib)
    findings.push(
      at(
        `${type.name} has ${type.memory_gib} GiB of memory, less than the ${job.resources.memory} GiB resources.memory asks for`,
      ),
    );
  if (job.resources.cpus !== undefined && job.resources.cpus > type.vcpus)
    findings.push(
      at(`${type.name} has ${type.vcpus} vCPUs, fewer than the ${job.resources.cpus} resources.cpus asks for`),
    );
  return findings;
}

function vertex(job: JobSpec): Finding[] {
  const options = job.backends?.vertex;
  const findings: Finding[] = [];
  const accelerator = options?.accelerator_type ? findVertexAccelerator(options.accelerator_type) : undefined;
  const machine = options?.machine_type ? findVertexMachineType(options.machine_type) : undefined;
  const wanted = job.resources.gpu;
  if (accelerator && wanted && findGpu(accelerator.gpu_model)?.name !== findGpu(wanted.model)?.name) {
    findings.push(
      findingAt(job, 'backends.vertex.accelerator_type', {
        rule: 'gpu-mismatch',
        severity: 'error',
        message: `${accelerator.name} is a ${accelerator.gpu_model}, but resources.gpu asks for ${wanted.model}`,
      }),
    );
  }
  if (accelerator && wanted && accelerator.counts && !accelerator.counts.includes(wanted.count)) {
    findings.push(
      findingAt(job, 'resources.gpu', {
        rule: 'gpu-mismatch',
        severity: 'error',
        message: `${accelerator.name} attaches ${accelerator.counts.join(', ')} at a time, not ${wanted.count}`,
      }),
    );
  }
  if (accelerator && machine) {
    if (machine.built_in_gpus && machine.built_in_gpus.accelerator !== accelerator.name) {
      findings.push(
        findingAt(job, 'backends.vertex.accelerator_type', {
          rule: 'gpu-mismatch',
          severity: 'error',
          message: `${machine.name} comes with ${machine.built_in_gpus.count} ${machine.built_in_gpus.accelerator}; it takes no ${accelerator.name}`,
        }),
      );
    } else if (!accelerator.machine_families.includes(machine.family)) {
      findings.push(
        findingAt(job, 'backends.vertex.accelerator_type', {
          rule: 'gpu-mismatch',
          severity: 'error',
          message: `${accelerator.name} does not attach to ${machine.family} machines (it goes with ${accelerator.machine_families.join(', ')})`,
        }),
      );
    }
  }
  if (
    !accelerator &&
    machine?.built_in_gpus &&
    wanted &&
    findGpu(wanted.model)?.name !==
      findGpu(findVertexAccelerator(machine.built_in_gpus.accelerator)?.gpu_model ?? '')?.name
  ) {
    findings.push(
      findingAt(job, 'backends.vertex.machine_type', {
        rule: 'gpu-mismatch',
        severity: 'error',
        message: `${machine.name} comes with ${machine.built_in_gpus.accelerator}, but resources.gpu asks for ${wanted.model}`,
      }),
    );
  }
  if (machine && !machine.built_in_gpus && !accelerator && wanted && options?.machine_type) {
    findings.push(
      findingAt(job, 'backends.vertex.machine_type', {
        rule: 'gpu-mismatch',
        severity: 'warning',
        message: `${machine.name} has no GPU of its own and no accelerator_type is given; dlrun will attach one for resources.gpu ${wanted.model}`,
      }),
    );
  }
  return findings;
}
