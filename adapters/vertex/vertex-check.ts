import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DlrunError } from '../../src/base/errors.js';
import { networkTimeoutMs } from '../../src/backend/network-deadline.js';
import type { BackendContext, CheckItem } from '../../src/backend/training-backend.js';
import { VERTEX_PRICES_READ_ON, VERTEX_TRAINING_PRICES } from '../../src/cost/catalogs/vertex-prices.js';
import { vertexPricedRegions } from '../../src/cost/catalogs/vertex-price-catalog.js';
import { readRegularFile } from '../../src/util/read-regular-file.js';
import { type VertexClients, vertexClients } from './vertex-clients.js';
import { mirrorOf } from './vertex-containers.js';
import { google, googleError } from './vertex-errors.js';
import { parentOf } from './vertex-list-jobs.js';
import { aiplatformSdk } from './vertex-sdk.js';
import { checkStagingBucket, gsUrl, parseStagingBucket } from './vertex-staging.js';
import { STAGING_BUCKET_SETTING, stagingBucketSetting } from './vertex-staging-setting.js';

/** The project's ids, never secrets: what a credentials file may say about itself in a check. */
interface CredentialsFile {
  readonly type?: unknown;
  readonly client_email?: unknown;
}

/** A key file is a few KB; anything much larger is not one (and is not read whole). */
const MAX_CREDENTIALS_BYTES = 1 << 20;
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * `dlrun check --backend vertex`: where the credentials come from, the project and region jobs would use, whether
 * Vertex AI answers these credentials there, and whether the staging bucket of DLRUN_VERTEX_STAGING_BUCKET may be
 * written. Every check runs whatever another found; each request has the clients' deadline. No token is ever shown.
 */
export async function checkVertex(context: BackendContext): Promise<CheckItem[]> {
  const env = context.env;
  const items: CheckItem[] = [];
  const credentials = await credentialsItem(context);
  items.push(credentials);
  let clients: VertexClients;
  try {
    clients = vertexClients(undefined, context);
  } catch (error) {
    // DLRUN_NETWORK_TIMEOUT_MS not a number, say: nothing can be asked.
    items.push({ check: 'settings', ok: false, detail: said(error), required: true });
    return items;
  }
  const region = clients.region;
  let project: string | undefined;
  try {
    project = await clients.project();
    items.push({ check: 'project', ok: true, detail: `${project} (${projectSource(context)})`, required: true });
  } catch (error) {
    items.push({ check: 'project', ok: false, detail: said(error), required: true });
  }
  const regionSource = env.CLOUDSDK_AI_REGION?.trim()
    ? `CLOUDSDK_AI_REGION, ${sourceOf(context, 'CLOUDSDK_AI_REGION')}`
    : "dlrun's default";
  items.push({
    check: 'region',
    ok: true,
    detail:
      `${region} (${regionSource}; a job's backends.vertex.region overrides it); prebuilt ` +
      `training images from the ${mirrorOf(region)}-docker.pkg.dev mirror`,
    required: true,
  });
  items.push(pricesItem(region));
  const [api, bucket] = await Promise.all([
    apiItem(clients, project, credentials.ok, context),
    bucketItem(clients, credentials.ok, context),
  ]);
  items.push(api, bucket);
  return items;
}

/** Where the credentials come from, in the order Google's clients look; a file is read for its kind only. */
async function credentialsItem(context: BackendContext): Promise<CheckItem> {
  const env = context.env;
  const check = 'credentials';
  if (nonEmpty(env.GOOGLE_OAUTH_ACCESS_TOKEN) !== undefined) {
    return {
      check,
      ok: true,
      detail:
        `an access token in GOOGLE_OAUTH_ACCESS_TOKEN (${sourceOf(context, 'GOOGLE_OAUTH_ACCESS_TOKEN')}); dlrun ` +
        'cannot renew it, and such tokens last an hour',
      required: true,
    };
  }
  const keyFile = nonEmpty(env.GOOGLE_APPLICATION_CREDENTIALS);
  if (keyFile !== undefined) {
    return credentialsFileItem(
      keyFile,
      `GOOGLE_APPLICATION_CREDENTIALS (${sourceOf(context, 'GOOGLE_APPLICATION_CREDENTIALS')})`,
      "check GOOGLE_APPLICATION_CREDENTIALS, or unset it to use gcloud's credentials",
    );
  }
  // Where google-auth-library looks next (on Linux and macOS): gcloud's application default credentials.
  const home = nonEmpty(env.HOME) ?? os.homedir();
  const gcloudFile = path.join(home, '.config', 'gcloud', 'application_default_credentials.json');
  if (existsSync(gcloudFile)) {
    return credentialsFileItem(
      gcloudFile,
      "gcloud's application default credentials",
      'run `gcloud auth application-default login` again',
    );
  }
  return metadataServerItem(context);
}

function credentialsFileItem(file: string, named: string, fix: string): CheckItem {
  const check = 'credentials';
  const read = readRegularFile(file, { maxBytes: MAX_CREDENTIALS_BYTES });
  if (!read.ok) {
    return {
      check,
      ok: false,
      detail: `${file}, named by ${named}, cannot be read (${read.detail}): ${fix}`,
      required: true,
    };
  }
  let content: CredentialsFile;
  try {
    content = JSON.parse(read.bytes.toString('utf8')) as CredentialsFile;
  } catch {
    return { check, ok: false, detail: `${file}, named by ${named}, is not JSON: ${fix}`, required: true };
  }
  return { check, ok: true, detail: `${kindOf(content)}, from ${file} (${named})`, required: true };
}

/** What a credentials file holds, in words: its `type` and, for a service account, whose it is. */
function kindOf(content: CredentialsFile): string {
  const type = typeof content.type === 'string' ? content.type : '';
  if (type === 'service_account')
    return `the service account ${typeof content.client_email === 'string' ? content.client_email : '(no email)'}`;
  if (type === 'authorized_user') return 'your user account (gcloud auth application-default login)';
  if (type === 'external_account') return 'workload identity federation (an external account)';
  if (type === 'impersonated_service_account') return 'an impersonated service account';
  return type ? `credentials of type ${type}` : 'credentials of no stated type';
}

/**
 * No token and no file: Google's clients then ask the metadata server, which only machines on Google Cloud have.
 * One attempt to get a token from it, within the deadline, says whether there is one.
 */
async function metadataServerItem(context: BackendContext): Promise<CheckItem> {
  const check = 'credentials';
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeoutMs = networkTimeoutMs(context.env);
    const { auth } = aiplatformSdk();
    const client = new auth.GoogleAuth({
      scopes: [CLOUD_PLATFORM],
      clientOptions: { transporterOptions: { timeout: timeoutMs } },
    });
    await Promise.race([
      client.getAccessToken(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('Could not load the default credentials in time')), timeoutMs);
      }),
    ]);
    return {
      check,
      ok: true,
      detail: 'the metadata server of this Google Cloud machine (its service account)',
      required: true,
    };
  } catch (error) {
    return {
      check,
      ok: false,
      detail: said(googleError(error, 'looking for Google Cloud credentials')),
      required: true,
    };
  } finally {
    clearTimeout(timer);
  }
}

function projectSource(context: BackendContext): string {
  for (const name of ['GOOGLE_CLOUD_PROJECT', 'CLOUDSDK_CORE_PROJECT'])
    if (nonEmpty(context.env[name]) !== undefined) return `${name}, ${sourceOf(context, name)}`;
  return "the Application Default Credentials' project; a job's backends.vertex.project overrides it";
}

/**
 * Advice: a quote and max_cost need a price of the job's machine in its region, and dlrun's catalog has Vertex AI
 * prices for a few machines of a few regions only (src/cost/catalogs/vertex-prices.ts).
 */
function pricesItem(region: string): CheckItem {
  const here = VERTEX_TRAINING_PRICES.filter((row) => row.region === region).map((row) => row.item);
  return here.length > 0
    ? {
        check: 'prices',
        ok: true,
        detail:
          `dlrun has Vertex AI prices in ${region} for ${here.join(', ')} (read on ${VERTEX_PRICES_READ_ON}); ` +
          'a job on another machine cannot be quoted or held to max_cost',
        required: false,
      }
    : {
        check: 'prices',
        ok: false,
        detail:
          `dlrun has no Vertex AI prices in ${region}, so no quote and no max_cost there; it has some in ` +
          `${vertexPricedRegions().join(', ')}`,
        required: false,
      };
}

/** One customJobs.list of one job: Vertex AI is enabled and answers these credentials in this project and region. */
async function apiItem(
  clients: VertexClients,
  project: string | undefined,
  credentialsFound: boolean,
  context: BackendContext,
): Promise<CheckItem> {
  const check = 'Vertex AI API';
  if (project === undefined || !credentialsFound) {
    const missing = credentialsFound ? 'there is no project to ask in' : 'there are no credentials to ask with';
    return { check, ok: false, detail: `not asked: ${missing}`, required: false };
  }
  const parent = parentOf(project, clients.region);
  const doing = `listing the Vertex AI custom jobs of ${parent}`;
  try {
    await google(
      doing,
      () =>
        clients.aiplatform.projects.locations.customJobs.list(
          { parent, pageSize: 1 },
          context.signal ? { signal: context.signal } : {},
        ),
      clients.deadline,
    );
    return { check, ok: true, detail: `these credentials may list the custom jobs of ${parent}`, required: true };
  } catch (error) {
    return { check, ok: false, detail: said(error, doing), required: true };
  }
}

/** The bucket of DLRUN_VERTEX_STAGING_BUCKET exists and may be written (an object written and removed again). */
async function bucketItem(
  clients: VertexClients,
  credentialsFound: boolean,
  context: BackendContext,
): Promise<CheckItem> {
  const check = 'staging bucket';
  const setting = stagingBucketSetting(undefined, context.env);
  if (setting === undefined) {
    return {
      check,
      ok: false,
      detail:
        `${STAGING_BUCKET_SETTING} is not set, so every job must name its bucket in backends.vertex.staging_bucket ` +
        '(gs://bucket/prefix)',
      required: false,
    };
  }
  const from = `${setting.source}, ${sourceOf(context, STAGING_BUCKET_SETTING)}`;
  try {
    const location = parseStagingBucket(setting.url);
    if (!credentialsFound)
      return {
        check,
        ok: false,
        detail: `${setting.url} (${from}) not checked: there are no credentials`,
        required: false,
      };
    await checkStagingBucket(
      clients.storage,
      location,
      { jobId: 'dlrun-check', ledgerId: context.ledgerId },
      clients.storageDeadline,
    );
    return {
      check,
      ok: true,
      detail: `${gsUrl(location, location.prefix)} (${from}) exists and these credentials may write to it`,
      required: true,
    };
  } catch (error) {
    return { check, ok: false, detail: `${setting.url} (${from}): ${said(error, 'checking it')}`, required: true };
  }
}

/**
 * An error as one line: the message, then the fix when there is one. Never a stack. An error that is not dlrun's
 * (google-auth-library failing to sign with a broken key, say) is prefixed with what was being done.
 */
function said(error: unknown, doing?: string): string {
  if (error instanceof DlrunError) return error.hint ? `${error.message}; ${error.hint}` : error.message;
  const message = error instanceof Error ? error.message : String(error);
  return doing ? `${doing}: ${message}` : message;
}

function sourceOf(context: BackendContext, name: string): string {
  return context.fromDotenv?.has(name) ? '.env' : 'your shell';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
