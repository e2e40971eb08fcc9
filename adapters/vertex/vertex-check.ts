import type { BackendContext, CheckItem } from '../../src/backend/training-backend.js';
import { VERTEX_PRICES_READ_ON, VERTEX_TRAINING_PRICES } from '../../src/cost/catalogs/vertex-prices.js';
import { vertexPricedRegions } from '../../src/cost/catalogs/vertex-price-catalog.js';
import { credentialsItem, sourceOf } from './vertex-check-credentials.js';
import { type VertexClients, vertexClients } from './vertex-clients.js';
import { mirrorOf } from './vertex-containers.js';
import { google, said } from './vertex-errors.js';
import { parentOf } from './vertex-list-jobs.js';
import { checkStagingBucket, gsUrl, parseStagingBucket } from './vertex-staging.js';
import { STAGING_BUCKET_SETTING, stagingBucketSetting } from './vertex-staging-setting.js';

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

function projectSource(context: BackendContext): string {
  for (const name of ['GOOGLE_CLOUD_PROJECT', 'CLOUDSDK_CORE_PROJECT'])
    if (context.env[name]?.trim()) return `${name}, ${sourceOf(context, name)}`;
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
