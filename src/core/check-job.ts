import path from 'node:path';
import { inheritedEnvironment } from '../backend/job-environment.js';
import type { Config } from '../config.js';
import type { BackendName } from '../spec/backend-names.js';
import type { JobSpec } from '../spec/job-spec.js';
import { validateJob, type ValidationResult } from '../validate/validate-job.js';
import { capabilitiesOf, pricingIfAny, validationOf } from './backends.js';

/**
 * The validator's checks of a job, with the capabilities and validation modules of the backends it is for from the
 * registry: what validate and submit both run. The environment they see is what a job on this machine inherits, from
 * the shell only: a `.env` PATH never chooses the bash, python3 and shellcheck that check the scripts, nor the
 * commands a job that runs here is checked against. `keepResults: false` (a dry run, which creates nothing anywhere)
 * keeps no checker results in DLRUN_HOME.
 */
export async function checkJob(
  job: JobSpec,
  config: Config,
  backend: BackendName | undefined,
  keepResults = true,
): Promise<ValidationResult> {
  return validateJob(job, {
    ...(backend ? { backend } : {}),
    env: inheritedEnvironment(config.shell),
    settings: config.env,
    backends: { capabilities: capabilitiesOf, validation: validationOf, pricing: pricingIfAny },
    ...(keepResults ? { cacheFolder: path.join(config.home, 'cache', 'checks') } : {}),
  });
}
