import { DlrunError } from '../base/errors.js';
import type { Config } from '../config.js';
import type { JobSpec } from '../spec/job-spec.js';

/**
 * The values of the job's `secrets`, from the submitting shell, else from .env; every one must be set. A declared
 * secret is read from the .env of any folder, allowed or not (src/trust/dotenv-rules.ts says why).
 */
export function readSecrets(
  job: Pick<JobSpec, 'secrets'>,
  config: Pick<Config, 'env' | 'dotenv'>,
): Record<string, string> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of job.secrets ?? []) {
    const value = Object.hasOwn(config.env, name)
      ? config.env[name]
      : Object.hasOwn(config.dotenv.values, name)
        ? config.dotenv.values[name]
        : undefined;
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
