import type { BackendContext, ForeignEndpoint } from '../../src/backend/training-backend.js';
import { shownUrl } from '../../src/util/shown-url.js';
import { awsConfigFile, readAwsConfigSections } from './ec2-config-file.js';

/** The AWS services dlrun calls, by the SDK's service id (which names AWS_ENDPOINT_URL_<ID> and the config key). */
const AWS_SERVICES = ['EC2', 'S3', 'STS', 'SSM', 'Service Quotas', 'Cost Explorer', 'Pricing'] as const;
export type AwsService = (typeof AWS_SERVICES)[number];

/** Where a service's requests go when it is not AWS's default endpoint, and which setting said so. */
interface ConfiguredEndpoint {
  readonly url: string;
  readonly setting: string;
  readonly source: string;
}

/**
 * The endpoint the SDK's "configured endpoints" rules give a service
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html): AWS_ENDPOINT_URL_<SERVICE>, then
 * AWS_ENDPOINT_URL, then the `services` section named by the profile, then the profile's `endpoint_url`; none when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's ignore_configured_endpoint_urls) is true. dlrun resolves it
 * itself and hands the result to every client explicitly (ec2-clients.ts), so the endpoint shown is the one used.
 */
export function configuredEndpoint(service: AwsService, context: BackendContext): ConfiguredEndpoint | undefined {
  const env = context.env;
  const sourceOf = (name: string): string => (context.fromDotenv?.has(name) ? '.env' : 'your shell');
  const ignoreSetting = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  if (ignoreSetting?.toLowerCase() === 'true') return undefined;
  for (const name of [`AWS_ENDPOINT_URL_${service.toUpperCase().replaceAll(' ', '_')}`, 'AWS_ENDPOINT_URL']) {
    const url = env[name];
    if (url) return { url, setting: name, source: sourceOf(name) };
  }
  const file = awsConfigFile(env);
  const profileName = env.AWS_PROFILE || 'default';
  const sections = readAwsConfigSections(file);
  const profile = sections?.profiles.get(profileName);
  if (!sections || !profile) return undefined;
  if (ignoreSetting === undefined && profile.get('ignore_configured_endpoint_urls')?.toLowerCase() === 'true')
    return undefined;
  const servicesName = profile.get('services');
  const key = `${service.toLowerCase().replaceAll(' ', '_')}.endpoint_url`;
  const fromServices = servicesName !== undefined ? sections.services.get(servicesName)?.get(key) : undefined;
  if (fromServices)
    return {
      url: fromServices,
      setting: `${key} in [services ${servicesName}] of profile ${profileName}`,
      source: file,
    };
  const fromProfile = profile.get('endpoint_url');
  if (fromProfile) return { url: fromProfile, setting: `endpoint_url of profile ${profileName}`, source: file };
  return undefined;
}

/**
 * Every endpoint dlrun would send AWS requests to that is not AWS's own, one entry per setting: one for every
 * service when AWS_ENDPOINT_URL alone sends them all elsewhere.
 */
export function ec2Endpoints(context: BackendContext): ForeignEndpoint[] {
  const groups = new Map<string, { endpoint: ConfiguredEndpoint; services: AwsService[] }>();
  for (const service of AWS_SERVICES) {
    const endpoint = configuredEndpoint(service, context);
    if (!endpoint || isAwsOwn(endpoint.url)) continue;
    const key = JSON.stringify([endpoint.url, endpoint.setting, endpoint.source]);
    const group = groups.get(key) ?? { endpoint, services: [] };
    group.services.push(service);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ endpoint, services }) => ({
    provider: 'AWS',
    ...(services.length < AWS_SERVICES.length ? { services: services.join(', ') } : {}),
    url: shownUrl(endpoint.url),
    setting: endpoint.setting,
    source: endpoint.source,
  }));
}

/** AWS's own endpoints: HTTPS to a host of its own domains (a FIPS or regional endpoint named explicitly). */
function isAwsOwn(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' &&
      /(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/.test(url.hostname) &&
      !url.username &&
      !url.password
    );
  } catch {
    return false;
  }
}
