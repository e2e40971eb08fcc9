import type { TestContext } from 'vitest';
import { vertexClients } from '../../adapters/vertex/vertex-clients.js';
import { customJobBody } from '../../adapters/vertex/vertex-custom-job.js';
import { encodeVertexDetails, type VertexJobDetails } from '../../adapters/vertex/vertex-details.js';
import { parentOf } from '../../adapters/vertex/vertex-list-jobs.js';
import { asJobId, asLedgerId } from '../../src/backend/job-id.js';
import type { BackendContext, JobHandle } from '../../src/backend/training-backend.js';
import { type GcsServer, gcsServerFor } from '../standins/gcs-server.js';
import { type VertexServer, type VertexServerOptions, vertexServerFor } from '../standins/vertex-server.js';
import { tempDir } from './temp-dir.js';

export const LEDGER = asLedgerId('vertex-ledger-1');
export const REGION = 'us-central1';
export const BUCKET = 'staging';
export const PREFIX = 'team';

/** The Vertex AI and Cloud Storage stand-ins, a bucket, and a context whose clients talk to them. */
export interface VertexStand {
  readonly vertex: VertexServer;
  readonly gcs: GcsServer;
  readonly context: BackendContext;
  /** Creates a custom job of `jobId` through the real client (as submit would), returning its name. */
  create(jobId: string, options?: { region?: string; command?: string[] }): Promise<string>;
  /** A handle the ledger would give, details as planned (region us-central1, the bucket). */
  handle(jobId: string, externalId: string | null, extra?: HandleExtra): JobHandle;
}

export interface HandleExtra {
  readonly submittedAt?: string;
  readonly details?: Partial<VertexJobDetails>;
}

/**
 * Jobs stay QUEUED (and PENDING) until a test moves them (setState): nothing runs unless asked. A replica started
 * by RUNNING runs `sleep`, so that a running job stays running until the test ends.
 */
export async function vertexStand(t: TestContext, options: VertexServerOptions = {}): Promise<VertexStand> {
  // Held in QUEUED and in PENDING: a job moves only when the test moves it, however slow the machine.
  const vertex = await vertexServerFor(t, {
    queuedMs: Number.POSITIVE_INFINITY,
    pendingMs: Number.POSITIVE_INFINITY,
    ...options,
  });
  const gcs = await gcsServerFor(t);
  gcs.createBucket(BUCKET);
  const context: BackendContext = {
    ledgerId: LEDGER,
    home: tempDir(t, 'dlrun-vertex-home-'),
    env: {
      GOOGLE_OAUTH_ACCESS_TOKEN: 'ya29.x',
      DLRUN_VERTEX_URL: vertex.url,
      DLRUN_GCS_URL: gcs.endpoint,
      GOOGLE_CLOUD_PROJECT: vertex.projectId,
    },
  };
  const clients = new Map<string, ReturnType<typeof vertexClients>>();
  const clientsIn = (region: string) => {
    const made = clients.get(region) ?? vertexClients(region, context);
    clients.set(region, made);
    return made;
  };
  return {
    vertex,
    gcs,
    context,
    async create(jobId, options = {}) {
      const region = options.region ?? REGION;
      const body = customJobBody({
        jobId: asJobId(jobId),
        ledgerId: LEDGER,
        name: jobId,
        machine: { machineType: 'n1-standard-4' },
        nodes: 1,
        imageUri: 'us-docker.pkg.dev/vertex-ai/training/pytorch-cpu.2-4.py310:latest',
        command: options.command ?? ['sleep', '300'],
        env: [],
        stopAfterSeconds: null,
        spot: false,
        baseOutputDirectory: `gs://${BUCKET}/${PREFIX}/out`,
      });
      const created = await clientsIn(region).aiplatform.projects.locations.customJobs.create({
        parent: parentOf(vertex.projectId, region),
        requestBody: body as never,
      });
      return created.data.name!;
    },
    handle(jobId, externalId, extra = {}) {
      const details: VertexJobDetails = {
        region: REGION,
        project: null,
        bucket: BUCKET,
        prefix: PREFIX,
        workdirObject: null,
        nodes: 1,
        stopAfter: { seconds: null, reason: null },
        secrets: false,
        ...extra.details,
      };
      return {
        jobId: asJobId(jobId),
        backend: 'vertex',
        externalId,
        details: encodeVertexDetails(details),
        ...(extra.submittedAt ? { submittedAt: extra.submittedAt } : {}),
      };
    },
  };
}
