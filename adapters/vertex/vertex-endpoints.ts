import type { BackendContext, ForeignEndpoint } from '../../src/backend/training-backend.js';
import { shownUrl } from '../../src/util/shown-url.js';
import { nonEmpty } from './vertex-setting-text.js';

/** The settings that send a Vertex AI job's requests elsewhere than Google's hosts, and which service each moves. */
export const VERTEX_ENDPOINT_SETTINGS = [
  { name: 'DLRUN_VERTEX_URL', service: 'Vertex AI' },
  { name: 'DLRUN_GCS_URL', service: 'Cloud Storage' },
  { name: 'DLRUN_CLOUDBILLING_URL', service: 'Cloud Billing Catalog' },
] as const;

/**
 * Where the Vertex AI backend's requests go when not to Google's own hosts: the root URL of the Vertex AI REST API
 * (DLRUN_VERTEX_URL) and the Cloud Storage JSON API (DLRUN_GCS_URL). Credentials are sent to them too, so they are
 * always shown (TrainingBackend.endpoints).
 */
export function vertexEndpoints(context: BackendContext): ForeignEndpoint[] {
  const endpoints: ForeignEndpoint[] = [];
  for (const { name, service } of VERTEX_ENDPOINT_SETTINGS) {
    const url = nonEmpty(context.env[name]);
    if (url === undefined || isGoogleOwn(url)) continue;
    endpoints.push({
      provider: 'Google Cloud',
      services: service,
      url: shownUrl(url),
      setting: name,
      source: context.fromDotenv?.has(name) ? '.env' : 'your shell',
    });
  }
  return endpoints;
}

/** The endpoint a setting names, or undefined when it is unset or blank. */
export function endpointSetting(
  context: BackendContext,
  name: (typeof VERTEX_ENDPOINT_SETTINGS)[number]['name'],
): string | undefined {
  return nonEmpty(context.env[name]);
}

/** Google's own hosts: HTTPS to googleapis.com, with no user or password in the URL. */
function isGoogleOwn(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && /(^|\.)googleapis\.com$/.test(url.hostname) && !url.username && !url.password;
  } catch {
    return false;
  }
}
