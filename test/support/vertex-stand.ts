// The Vertex AI backend's world for a test: the Vertex AI and Cloud Storage stand-ins, a metadata server that hands
// the replicas their access token, the staging bucket, and a context whose settings point dlrun at them.
import type { TestContext } from 'vitest';
import { asLedgerId, type LedgerId } from '../../src/backend/job-id.js';
import type { BackendContext } from '../../src/backend/training-backend.js';
import { type GcsServer, gcsServerFor } from '../standins/gcs-server.js';
import { type VertexServer, type VertexServerOptions, vertexServerFor } from '../standins/vertex-server.js';
import { metadataServerFor } from './vertex-bootstrap-run.js';
import { tempDir } from './temp-dir.js';

const STAND_TOKEN = 'ya29.dlrun-test-token';
export const STAND_BUCKET = 'dlrun-stand-staging';

export interface VertexStand {
  readonly vertex: VertexServer;
  readonly gcs: GcsServer;
  /** The settings a user's shell would hold: token, project, endpoints, staging bucket. */
  readonly env: Record<string, string>;
  readonly context: BackendContext;
  readonly ledgerId: LedgerId;
}

export interface VertexStandOptions {
  readonly vertex?: VertexServerOptions;
  readonly ledgerId?: string;
}

export async function vertexStandFor(t: TestContext, options: VertexStandOptions = {}): Promise<VertexStand> {
  const gcs = await gcsServerFor(t, { requireToken: STAND_TOKEN });
  gcs.createBucket(STAND_BUCKET);
  const metadata = await metadataServerFor(t, () => ({ token: STAND_TOKEN, expiresIn: 3600 }));
  const vertex = await vertexServerFor(t, {
    requireToken: STAND_TOKEN,
    ...options.vertex,
    env: {
      DLRUN_METADATA_URL: metadata.url,
      // Each replica keeps its job under its own folder (the stand-in runs them side by side on this machine).
      DLRUN_ROOT: 'dlrun',
      DLRUN_BOOT_LOG_INTERVAL: '1',
      DLRUN_BOOT_RETRY_SECONDS: '0.1',
      ...options.vertex?.env,
    },
  });
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GOOGLE_OAUTH_ACCESS_TOKEN: STAND_TOKEN,
    GOOGLE_CLOUD_PROJECT: vertex.projectId,
    DLRUN_VERTEX_URL: vertex.url,
    DLRUN_GCS_URL: gcs.endpoint,
    DLRUN_VERTEX_STAGING_BUCKET: `gs://${STAND_BUCKET}/dlrun-tests`,
  };
  const ledgerId = asLedgerId(options.ledgerId ?? 'vertex-stand-ledger');
  return { vertex, gcs, env, ledgerId, context: { ledgerId, home: tempDir(t, 'dlrun-home-'), env } };
}
