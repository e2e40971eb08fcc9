import os from 'node:os';
import path from 'node:path';
import { readRegularText } from '../../src/util/read-regular-file.js';

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The region a job runs in: backends.ec2.region wins over the environment (JOB-SPEC.md section 1), which wins over
 * the region of the AWS profile in use (~/.aws/config), as the AWS CLI and SDKs resolve it.
 */
export function regionOf(jobRegion: string | undefined, env: Environment): string | undefined {
  return jobRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? profileRegion(env);
}

function profileRegion(env: Environment): string | undefined {
  const file = env.AWS_CONFIG_FILE ?? path.join(env.HOME ?? os.homedir(), '.aws', 'config');
  const profile = env.AWS_PROFILE ?? 'default';
  // Bounded, and only a regular file: the validator asks this too, and must finish whatever the path holds.
  const text = readRegularText(file, { maxBytes: 1024 * 1024 });
  if (text === undefined) return undefined;
  let inProfile = false;
  for (const line of text.split('\n')) {
    const section = /^\s*\[\s*(?:profile\s+)?([^\]]+?)\s*\]/.exec(line);
    if (section) inProfile = section[1] === profile;
    const region = /^\s*region\s*=\s*(\S+)/.exec(line);
    if (inProfile && region) return region[1];
  }
  return undefined;
}

/** The region an EC2 job runs and is priced in: as regionOf, else us-east-1 (the SDK's choice when nothing is set). */
export function ec2RegionOf(jobRegion: string | undefined, env: Environment): string {
  return regionOf(jobRegion, env) ?? 'us-east-1';
}
