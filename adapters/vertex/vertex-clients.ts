import type { aiplatform_v1 } from 'googleapis/build/src/apis/aiplatform/index.js';
import type { cloudbilling_v1 } from 'googleapis/build/src/apis/cloudbilling/index.js';
import type { Storage, StorageOptions } from '@google-cloud/storage';
import { DlrunError } from '../../src/base/errors.js';
import { NETWORK_ATTEMPTS, networkTimeoutMs } from '../../src/backend/network-deadline.js';
import type { BackendContext } from '../../src/backend/training-backend.js';
import { endpointSetting } from './vertex-endpoints.js';
import type { DeadlineNote } from './vertex-errors.js';
import { vertexRegionOf } from './vertex-region.js';
import { aiplatformSdk, cloudbillingSdk, storageAuthLibrary, storageSdk } from './vertex-sdk.js';
import { nonEmpty } from './vertex-setting-text.js';

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
/** A token from GOOGLE_OAUTH_ACCESS_TOKEN is taken as it is: dlrun cannot refresh it, and says so when refused. */
const TOKEN_LIFETIME_MS = 3_600_000;

export interface VertexClients {
  readonly region: string;
  /** `https://{region}-aiplatform.googleapis.com/`, or DLRUN_VERTEX_URL. */
  readonly rootUrl: string;
  /** The Vertex AI v1 API (aiplatform), made on first use. */
  readonly aiplatform: aiplatform_v1.Aiplatform;
  /** The Cloud Storage client, made on first use. */
  readonly storage: Storage;
  /** The Cloud Billing API (its Catalog: SKU prices), made on first use; `dlrun prices refresh` only. */
  readonly cloudbilling: cloudbilling_v1.Cloudbilling;
  /** `https://cloudbilling.googleapis.com/`, or DLRUN_CLOUDBILLING_URL. */
  readonly cloudbillingUrl: string;
  /** The project: backends.vertex.project, else the one Application Default Credentials name, else an error. */
  project(): Promise<string>;
  /** The deadline and endpoint setting, for the errors of vertex-errors.ts. */
  readonly deadline: DeadlineNote;
  /** The Cloud Storage deadline note (names DLRUN_GCS_URL when it is set). */
  readonly storageDeadline: DeadlineNote;
}

export interface VertexClientOptions {
  /** backends.vertex.project. */
  readonly project?: string;
}

/**
 * Google's clients with the user's usual setup: GOOGLE_OAUTH_ACCESS_TOKEN when set (what `gcloud auth
 * print-access-token` gives), else Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC
 * file, the metadata server), with the cloud-platform scope. Requests go to the regional Vertex AI endpoint and to
 * Cloud Storage, or to DLRUN_VERTEX_URL and DLRUN_GCS_URL, with the same credentials. Every request has the network
 * deadline (DLRUN_NETWORK_TIMEOUT_MS); reads are retried on 429, 500, 503 and dropped connections, creates never
 * (the adapter finds a job it may have created by its labels).
 */
export function vertexClients(
  region: string | undefined,
  context: BackendContext,
  options: VertexClientOptions = {},
): VertexClients {
  const resolvedRegion = vertexRegionOf(region, context.env);
  const timeoutMs = networkTimeoutMs(context.env);
  const vertexUrl = endpointSetting(context, 'DLRUN_VERTEX_URL');
  const gcsUrl = endpointSetting(context, 'DLRUN_GCS_URL');
  const rootUrl = vertexUrl ? withSlash(vertexUrl) : `https://${resolvedRegion}-aiplatform.googleapis.com/`;
  const billingUrl = endpointSetting(context, 'DLRUN_CLOUDBILLING_URL');
  const cloudbillingUrl = billingUrl ? withSlash(billingUrl) : 'https://cloudbilling.googleapis.com/';
  const token = nonEmpty(context.env.GOOGLE_OAUTH_ACCESS_TOKEN);
  const keyFilename = nonEmpty(context.env.GOOGLE_APPLICATION_CREDENTIALS);
  let aiplatform: aiplatform_v1.Aiplatform | undefined;
  let cloudbilling: cloudbilling_v1.Cloudbilling | undefined;
  let storage: Storage | undefined;
  let adcAuth: { getProjectId(): Promise<string> } | undefined;
  let project: Promise<string> | undefined;

  const vertexAuth = () => {
    const { auth } = aiplatformSdk();
    if (token !== undefined) {
      const client = new auth.OAuth2();
      client.setCredentials({ access_token: token, expiry_date: Date.now() + TOKEN_LIFETIME_MS });
      return client;
    }
    // The deadline holds for the token requests too (oauth2.googleapis.com, the metadata server).
    const client = new auth.GoogleAuth({
      scopes: [CLOUD_PLATFORM],
      clientOptions: { transporterOptions: { timeout: timeoutMs } },
      ...(keyFilename ? { keyFilename } : {}),
    });
    adcAuth ??= client;
    return client;
  };

  return {
    region: resolvedRegion,
    rootUrl,
    deadline: { timeoutMs, ...(vertexUrl ? { endpointSetting: 'DLRUN_VERTEX_URL' } : {}) },
    storageDeadline: { timeoutMs, attempts: NETWORK_ATTEMPTS, ...(gcsUrl ? { endpointSetting: 'DLRUN_GCS_URL' } : {}) },
    get aiplatform() {
      aiplatform ??= aiplatformSdk().aiplatform({
        version: 'v1',
        rootUrl,
        auth: vertexAuth(),
        timeout: timeoutMs,
        retryConfig: {
          retry: NETWORK_ATTEMPTS - 1,
          noResponseRetries: NETWORK_ATTEMPTS - 1,
          // Reads and deletes only: a create or cancel sent twice is the adapter's to sort out, never the client's.
          httpMethodsToRetry: ['GET', 'HEAD', 'DELETE'],
          statusCodesToRetry: [
            [429, 429],
            [500, 500],
            [503, 503],
          ],
        },
      });
      return aiplatform;
    },
    get storage() {
      storage ??= makeStorage();
      return storage;
    },
    cloudbillingUrl,
    get cloudbilling() {
      // googleapis' submodules share one google-auth-library copy, so aiplatform's auth client serves here too
      // (environment.md, section 9).
      cloudbilling ??= cloudbillingSdk().cloudbilling({
        version: 'v1',
        rootUrl: cloudbillingUrl,
        auth: vertexAuth(),
        timeout: timeoutMs,
        retryConfig: {
          retry: NETWORK_ATTEMPTS - 1,
          noResponseRetries: NETWORK_ATTEMPTS - 1,
          httpMethodsToRetry: ['GET'],
          statusCodesToRetry: [
            [429, 429],
            [500, 500],
            [503, 503],
          ],
        },
      });
      return cloudbilling;
    },
    project() {
      project ??= resolveProject();
      return project;
    },
  };

  function makeStorage(): Storage {
    const { Storage: StorageClient } = storageSdk();
    const settings: StorageOptions = {
      timeout: timeoutMs,
      retryOptions: {
        maxRetries: NETWORK_ATTEMPTS - 1,
        // Seconds. At most 1 s between attempts, so a silent endpoint (which the client retries whatever
        // retryableErrorFn says) fails after NETWORK_ATTEMPTS deadlines and two short pauses.
        maxRetryDelay: 1,
        totalTimeout: Math.ceil((timeoutMs * NETWORK_ATTEMPTS) / 1000) + 10,
        retryableErrorFn: retryableStorageError,
      },
      ...(options.project ? { projectId: options.project } : {}),
      ...(gcsUrl ? { apiEndpoint: gcsUrl.replace(/\/+$/, ''), useAuthWithCustomEndpoint: true } : {}),
    };
    if (token !== undefined) {
      const { OAuth2Client } = storageAuthLibrary();
      const client = new OAuth2Client();
      client.setCredentials({ access_token: token, expiry_date: Date.now() + TOKEN_LIFETIME_MS });
      return new StorageClient({ ...settings, authClient: client });
    }
    const { GoogleAuth } = storageAuthLibrary();
    const auth = new GoogleAuth({
      scopes: [CLOUD_PLATFORM],
      clientOptions: { transporterOptions: { timeout: timeoutMs } },
      ...(keyFilename ? { keyFilename } : {}),
    });
    return new StorageClient({ ...settings, authClient: auth });
  }

  async function resolveProject(): Promise<string> {
    const named = nonEmpty(options.project);
    if (named !== undefined) return named;
    const fromEnv = nonEmpty(context.env.GOOGLE_CLOUD_PROJECT) ?? nonEmpty(context.env.CLOUDSDK_CORE_PROJECT);
    if (fromEnv !== undefined) return fromEnv;
    const hint =
      'set backends.vertex.project in the job file, or GOOGLE_CLOUD_PROJECT, or run `gcloud config set project ...`';
    if (token !== undefined) {
      throw new DlrunError('no Google Cloud project for this Vertex AI job', {
        hint: `${hint} (an access token in GOOGLE_OAUTH_ACCESS_TOKEN does not name one)`,
      });
    }
    if (adcAuth === undefined) vertexAuth();
    let timer: NodeJS.Timeout | undefined;
    try {
      const found = await Promise.race([
        (adcAuth as { getProjectId(): Promise<string> }).getProjectId(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer in time')), timeoutMs);
        }),
      ]);
      if (nonEmpty(found) !== undefined) return found;
    } catch (error) {
      throw new DlrunError('no Google Cloud project for this Vertex AI job', { hint, cause: error });
    } finally {
      clearTimeout(timer);
    }
    throw new DlrunError('no Google Cloud project for this Vertex AI job', { hint });
  }
}

/**
 * Cloud Storage answers worth another attempt: throttling, 500 and 503, and dropped connections. (A request that got
 * no answer at all is retried by the client's retry-request whatever this says, NETWORK_ATTEMPTS times in all.)
 */
function retryableStorageError(error: { code?: number | string; message?: string }): boolean {
  if (error.code === 429 || error.code === 500 || error.code === 503) return true;
  if (typeof error.code === 'string' && ['ECONNRESET', 'EPIPE', 'ECONNREFUSED'].includes(error.code)) return true;
  return /ECONNRESET|socket hang up|EPIPE/.test(error.message ?? '') && !/timeout/i.test(error.message ?? '');
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
