import type { JobSpec } from '../../src/spec/job-spec.js';
import { nonEmpty } from './vertex-setting-text.js';

/**
 * The environment setting of the staging bucket for jobs whose file names none (`gs://bucket/prefix`): a team sets
 * it once in its shell or `.env` instead of in every job file.
 */
export const STAGING_BUCKET_SETTING = 'DLRUN_VERTEX_STAGING_BUCKET';

/**
 * Where a Vertex AI job stages its files: backends.vertex.staging_bucket of the job file, else
 * DLRUN_VERTEX_STAGING_BUCKET; undefined when neither is set. `source` names the setting, for messages ("the staging
 * bucket gs://x from DLRUN_VERTEX_STAGING_BUCKET does not exist"). The URL is not checked here (parseStagingBucket).
 */
export function stagingBucketSetting(
  job: Pick<JobSpec, 'backends'> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { url: string; source: string } | undefined {
  const named = nonEmpty(job?.backends?.vertex?.staging_bucket);
  if (named !== undefined) return { url: named, source: 'backends.vertex.staging_bucket' };
  const fromEnv = nonEmpty(env[STAGING_BUCKET_SETTING]);
  return fromEnv === undefined ? undefined : { url: fromEnv, source: STAGING_BUCKET_SETTING };
}
