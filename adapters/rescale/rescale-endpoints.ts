import type { BackendContext, ForeignEndpoint } from '../../src/backend/training-backend.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { RESCALE_PLATFORMS } from '../../src/spec/backends/rescale.js';
import { shownUrl } from '../../src/util/shown-url.js';

/**
 * Where a Rescale job's requests go when that is not one of Rescale's own platforms (RESCALE_PLATFORMS): a stand-in,
 * a private deployment, or a server someone else chose. The API key is sent there, so it is always shown
 * (TrainingBackend.endpoints). Read from RESCALE_PLATFORM_URL and, when a job is given, backends.rescale.platform.
 * A value that is not a URL at all is shown too: rescalePlatform refuses it with the fix when it is used.
 */
export function rescaleEndpoints(context: BackendContext, job?: Pick<JobSpec, 'backends'>): ForeignEndpoint[] {
  const endpoints: ForeignEndpoint[] = [];
  const fromJob = nonEmpty(job?.backends?.rescale?.platform);
  if (fromJob !== undefined && !isRescaleOwn(fromJob)) {
    endpoints.push({
      provider: 'Rescale',
      url: shownUrl(fromJob),
      setting: 'backends.rescale.platform',
      source: 'the job file',
    });
  }
  const fromEnv = nonEmpty(context.env.RESCALE_PLATFORM_URL);
  // The job's own platform wins over the environment (rescalePlatform), so RESCALE_PLATFORM_URL is then unused.
  if (fromJob === undefined && fromEnv !== undefined && !isRescaleOwn(fromEnv)) {
    endpoints.push({
      provider: 'Rescale',
      url: shownUrl(fromEnv),
      setting: 'RESCALE_PLATFORM_URL',
      source: context.fromDotenv?.has('RESCALE_PLATFORM_URL') ? '.env' : 'your shell',
    });
  }
  return endpoints;
}

/** One of Rescale's platforms, over https, with at most a trailing slash after the host. */
function isRescaleOwn(value: string): boolean {
  try {
    const url = new URL(value.trim());
    const bare = !url.username && !url.password && !url.search && !url.hash && url.pathname === '/';
    return bare && (RESCALE_PLATFORMS as readonly string[]).includes(url.origin);
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined | null): string | undefined {
  return value === undefined || value === null || value.trim() === '' ? undefined : value.trim();
}
