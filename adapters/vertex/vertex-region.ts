import { nonEmpty } from './vertex-setting-text.js';

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The region a Vertex AI job runs and is priced in: backends.vertex.region, else gcloud's `ai/region` property as the
 * environment sets it (CLOUDSDK_AI_REGION, gcloud's CLOUDSDK_<SECTION>_<PROPERTY> form), else us-central1, the
 * region Vertex AI's own documentation and client libraries default to.
 */
export function vertexRegionOf(jobRegion: string | undefined, env: Environment): string {
  return jobRegion ?? nonEmpty(env.CLOUDSDK_AI_REGION) ?? 'us-central1';
}
