import { findGpu } from '../cost/catalogs/index.js';
import type { JobSpec } from '../spec/job-spec.js';
import type { BackendValidation, JobGpus } from './rule.js';

/**
 * The GPUs a job gets on a backend: those of the machine type its block names (the backend says which: an instance,
 * machine, accelerator or core type), else those `resources.gpu` asks for.
 */
export function jobGpus(job: JobSpec, backend: BackendValidation): JobGpus | undefined {
  const fromMachine = backend.machineGpus?.(job);
  if (fromMachine) return fromMachine;
  const requested = job.resources.gpu;
  const gpu = requested ? findGpu(requested.model) : undefined;
  return requested && gpu ? { gpu, count: requested.count, field: 'resources.gpu', machine: undefined } : undefined;
}
