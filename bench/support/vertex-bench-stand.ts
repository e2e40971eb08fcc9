import type { ProxyEvent } from '../../test/standins/fault-proxy.js';
import { type GcsServer, startGcsServer } from '../../test/standins/gcs-server.js';
import { startVertexServer, type VertexServer, type VertexServerOptions } from '../../test/standins/vertex-server.js';
import { startTimingProxy, type TimingProxy } from './timing-proxy.js';

export const BENCH_TOKEN = 'ya29.dlrun-bench-token';
export const BENCH_BUCKET = 'dlrun-bench-staging';
export const BENCH_PREFIX = 'bench';
export const BENCH_REGION = 'us-central1';

/**
 * The Vertex AI and Cloud Storage stand-ins, each behind a timing proxy, and the settings that point a `dlrun`
 * child at the proxies. test/support/vertex-stand.ts is the tests' version, tied to a vitest TestContext.
 */
export interface VertexBenchStand {
  readonly vertex: VertexServer;
  readonly gcs: GcsServer;
  readonly vertexProxy: TimingProxy;
  readonly gcsProxy: TimingProxy;
  /** Token, project, endpoints (the proxies) and staging bucket, as a user's shell would hold them. */
  readonly env: Readonly<Record<string, string>>;
  /** The same settings with the stand-ins' own endpoints: for seeding, which is not timed. */
  readonly directEnv: Readonly<Record<string, string>>;
  /** Both proxies' events, for requestTime(): the time at least one Google request was in flight. */
  events(): readonly ProxyEvent[];
  /** Forget both proxies' events and counts. */
  clear(): void;
  stop(): Promise<void>;
}

/** Requests by what they do: `customJobs.list`, `customJobs.create`, `customJobs.get` ... */
export function vertexLabel(method: string, path: string): string {
  if (/\/customJobs\/[^/]+:cancel$/.test(path)) return 'customJobs.cancel';
  if (/\/customJobs\/[^/]+$/.test(path))
    return method === 'DELETE' ? 'customJobs.delete' : method === 'GET' ? 'customJobs.get' : `${method} customJob`;
  if (/\/customJobs$/.test(path))
    return method === 'POST' ? 'customJobs.create' : method === 'GET' ? 'customJobs.list' : `${method} customJobs`;
  return `${method} ${path}`;
}

/**
 * Cloud Storage requests by the JSON API method their method and path make (`objects.get`, `buckets.get`,
 * `objects.insert` ...); any other as its method and path with the bucket and the object name left out.
 */
export function gcsLabel(method: string, path: string): string {
  const pattern = path
    .replace(/^\/(upload|download)\/storage\/v1\//, '/$1/')
    .replace(/^\/storage\/v1\//, '/')
    .replace(/\/b\/[^/]+/, '/b/{bucket}')
    .replace(/\/o\/[^/]+$/, '/o/{object}');
  const methods: Record<string, string> = {
    'GET /b/{bucket}': 'buckets.get',
    'GET /b/{bucket}/o': 'objects.list',
    'GET /b/{bucket}/o/{object}': 'objects.get',
    'GET /download/b/{bucket}/o/{object}': 'objects.get',
    'DELETE /b/{bucket}/o/{object}': 'objects.delete',
    'PATCH /b/{bucket}/o/{object}': 'objects.patch',
    'POST /upload/b/{bucket}/o': 'objects.insert',
    'PUT /upload/b/{bucket}/o': 'upload (session)',
  };
  return methods[`${method} ${pattern}`] ?? `${method} ${pattern}`;
}

/** Reads of Cloud Storage: object and bucket reads, listings. */
export function isGcsRead(label: string): boolean {
  return ['buckets.get', 'objects.list', 'objects.get'].includes(label) || /^(GET|HEAD) /.test(label);
}

/** The requests since the last clear(), by service and kind: `Vertex AI: 5 customJobs.list`. */
export function requestKinds(stand: Pick<VertexBenchStand, 'vertexProxy' | 'gcsProxy'>): string[] {
  const line = (service: string, counts: ReadonlyMap<string, number>) =>
    `${service}: ${[...counts].map(([kind, count]) => `${count} ${kind}`).join(', ') || 'none'}`;
  return [line('Vertex AI', stand.vertexProxy.counts()), line('Cloud Storage', stand.gcsProxy.counts())];
}

export async function startVertexBenchStand(options: VertexServerOptions = {}): Promise<VertexBenchStand> {
  const started: { close(): Promise<void> }[] = [];
  try {
    const vertex = await startVertexServer({ requireToken: BENCH_TOKEN, ...options });
    started.push(vertex);
    const gcs = await startGcsServer({ requireToken: BENCH_TOKEN });
    started.push(gcs);
    gcs.createBucket(BENCH_BUCKET);
    const vertexProxy = await startTimingProxy(vertex.url, { label: vertexLabel });
    started.push(vertexProxy);
    const gcsProxy = await startTimingProxy(gcs.endpoint, { label: gcsLabel });
    started.push(gcsProxy);
    const settings = (vertexUrl: string, gcsUrl: string) => ({
      GOOGLE_OAUTH_ACCESS_TOKEN: BENCH_TOKEN,
      GOOGLE_CLOUD_PROJECT: vertex.projectId,
      DLRUN_VERTEX_URL: vertexUrl,
      DLRUN_GCS_URL: gcsUrl,
      DLRUN_VERTEX_STAGING_BUCKET: `gs://${BENCH_BUCKET}/${BENCH_PREFIX}`,
    });
    return {
      vertex,
      gcs,
      vertexProxy,
      gcsProxy,
      env: settings(vertexProxy.url, gcsProxy.url),
      directEnv: settings(vertex.url, gcs.endpoint),
      events: () => [...vertexProxy.events(), ...gcsProxy.events()],
      clear: () => {
        vertexProxy.clear();
        gcsProxy.clear();
      },
      stop: () => closeAll(started),
    };
  } catch (error) {
    await closeAll(started);
    throw error;
  }
}

/** The proxies first, then the servers behind them (the Vertex stand-in kills its replicas). */
async function closeAll(started: readonly { close(): Promise<void> }[]): Promise<void> {
  for (const server of [...started].reverse()) await server.close();
}
