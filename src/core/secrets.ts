import { DlrunError } from '../backend/errors.js';
import type { Config } from '../config.js';
import type { JobSpec } from '../spec/job-spec.js';

/** The values of the job's `secrets`, from the submitting shell or .env; every one must be set. */
export function readSecrets(job: Pick<JobSpec, 'secrets'>, config: Pick<Config, 'env'>): Record<string, string> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of job.secrets ?? []) {
    const value = config.env[name];
    if (value === undefined || value === '') missing.push(name);
    else values[name] = value;
  }
  if (missing.length) {
    throw new DlrunError(`the job's secrets ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set`, {
      hint: `export ${missing[0]}=... in your shell, or put it in .env in this folder`,
    });
  }
  return values;
}
