import path from 'node:path';
import type { BackendCapabilities } from '../backend/capabilities.js';
import { inheritedEnvironment } from '../backend/job-environment.js';
import type { Config } from '../config.js';
import { BACKEND_NAMES, type BackendName } from '../spec/backend-names.js';
import type { JobSpec } from '../spec/job-spec.js';
import { validateJob, type ValidationResult } from '../validate/validate-job.js';
import { capabilitiesOf } from './backends.js';

/**
 * The validator's checks of a job, with every backend's capabilities from the registry: what validate and submit both
 * run. The environment they see is what a local job inherits, from the shell only: a `.env` PATH never chooses the
 * bash, python3 and shellcheck that check the scripts, nor the commands a local job is checked against. `keepResults: false` (a dry run, which creates nothing anywhere) keeps no checker results in DLRUN_HOME.
 */
export async function checkJob(
  job: JobSpec,
  config: Config,
  backend: BackendName | undefined,
  keepResults = true,
): Promise<ValidationResult> {
  const capabilities: Partial<Record<BackendName, BackendCapabilities>> = {};
  for (const name of BACKEND_NAMES) capabilities[name] = await capabilitiesOf(name);
  return validateJob(job, {
    ...(backend ? { backend } : {}),
    env: inheritedEnvironment(config.shell),
    settings: config.env,
    capabilities,
    ...(keepResults ? { cacheFolder: path.join(config.home, 'cache', 'checks') } : {}),
  });
}
