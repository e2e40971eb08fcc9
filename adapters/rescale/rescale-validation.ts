import { findGpu } from '../../src/cost/catalogs/gpus.js';
import { findRescaleCoreType, suggestRescaleCoreType } from '../../src/cost/catalogs/rescale-core-types.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { imageCommands } from '../../src/validate/catalogs/image-commands.js';
import type { BackendValidation, JobGpus } from '../../src/validate/rule.js';
import { RESCALE_STARTUP } from './rescale-startup.js';

/**
 * Rescale's part of the validator (docs/rules.md): its core types from the catalogs, what its images have (from
 * Rescale's bring-your-own-script analysis: python on its images), the API key it sets inside every job
 * (providers.md, section 5.1), and its machines' start-up of 4 to 8 minutes, all of it billed (section 5).
 */
export const rescaleValidation: BackendValidation = {
  commands: () => imageCommands(['mpirun', 'module', 'conda']),
  providedVariables: ['RESCALE_API_KEY'],
  startup: RESCALE_STARTUP,
  machineNames: (job) => [
    {
      field: 'backends.rescale.core_type',
      value: job.backends?.rescale?.core_type,
      what: 'Rescale core type',
      find: findRescaleCoreType,
      suggest: suggestRescaleCoreType,
    },
  ],
  machineGpus,
  rules: [],
};

function machineGpus(job: JobSpec): JobGpus | undefined {
  const code = job.backends?.rescale?.core_type;
  const core = code ? findRescaleCoreType(code) : undefined;
  const gpu = core?.gpus?.model ? findGpu(core.gpus.model) : undefined;
  return core?.gpus && gpu
    ? { gpu, count: core.gpus.count_per_node ?? 1, field: 'backends.rescale.core_type', machine: core.code }
    : undefined;
}
