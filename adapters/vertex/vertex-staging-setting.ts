import type { JobSpec } from '../../src/spec/job-spec.js';

/** The environment variable that names the staging bucket when the job file does not. */
export const STAGING_BUCKET_SETTING = 'DLRUN_VERTEX_STAGING_BUCKET';

/** backends.vertex.staging_bucket, else DLRUN_VERTEX_STAGING_BUCKET, with where it came from; else undefined. */
export function stagingBucketSetting(
  job: Pick<JobSpec, 'backends'> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { url: string; source: string } | undefined {
  const named = job?.backends?.vertex?.staging_bucket?.trim();
  if (named) return { url: named, source: 'backends.vertex.staging_bucket' };
  const fromEnv = env[STAGING_BUCKET_SETTING]?.trim();
  return fromEnv ? { url: fromEnv, source: STAGING_BUCKET_SETTING } : undefined;
}
