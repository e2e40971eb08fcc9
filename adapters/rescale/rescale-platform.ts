import { DlrunError } from '../../src/base/errors.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { RESCALE_PLATFORMS } from '../../src/spec/backends/rescale.js';
import { shownUrl } from '../../src/util/shown-url.js';

/** The platform a Rescale job goes to, and where that choice came from (error messages name it). */
export interface RescalePlatform {
  /** The base URL without a trailing slash, e.g. https://platform.rescale.com. */
  readonly url: string;
  /** The setting that chose it: `backends.rescale.platform`, `RESCALE_PLATFORM_URL` or `the default`. */
  readonly setting: string;
  /** Where that setting was read: `the job file`, `.env`, `your shell`, `the ledger`, or '' for the default. */
  readonly source: string;
}

const DEFAULT_RESCALE_PLATFORM = RESCALE_PLATFORMS[0];

/** The loopback hosts a plain http:// platform may name: a stand-in on this machine, never a network. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * The platform of a job: backends.rescale.platform, else RESCALE_PLATFORM_URL, else Rescale's US platform. Each
 * platform is a separate account with its own keys (providers.md, section 5.1), so the choice is the user's and is
 * never guessed from the key.
 */
export function rescalePlatform(
  job: Pick<JobSpec, 'backends'> | undefined,
  env: Readonly<Record<string, string | undefined>>,
  fromDotenv?: ReadonlySet<string>,
): RescalePlatform {
  const fromJob = nonEmpty(job?.backends?.rescale?.platform);
  if (fromJob !== undefined) return platformAt(fromJob, 'backends.rescale.platform', 'the job file');
  const fromEnv = nonEmpty(env.RESCALE_PLATFORM_URL);
  if (fromEnv !== undefined) {
    return platformAt(fromEnv, 'RESCALE_PLATFORM_URL', fromDotenv?.has('RESCALE_PLATFORM_URL') ? '.env' : 'your shell');
  }
  return { url: DEFAULT_RESCALE_PLATFORM, setting: 'the default', source: '' };
}

/**
 * A platform URL checked: https://, or http:// on a loopback host (the tests' stand-ins); no user, password, path
 * (other than `/`), query or fragment. The API key goes to this host with every request, so anything else is
 * refused with the fix rather than used.
 */
export function platformAt(value: string, setting: string, source: string): RescalePlatform {
  const where = `${setting}${source ? ` (${source})` : ''}`;
  const fix = `set ${setting} to one of ${RESCALE_PLATFORMS.join(', ')}`;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new DlrunError(`${where} is ${shownUrl(value)}, which is not a URL`, { hint: fix });
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new DlrunError(
      `${where} is ${shownUrl(value)}: a Rescale platform URL must start with https:// ` +
        '(plain http:// is accepted only for 127.0.0.1, ::1 and localhost, where a test stand-in runs)',
      { hint: `${fix}; dlrun sends your API key to this address, so never over plain http` },
    );
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new DlrunError(
      `${where} is ${shownUrl(value)}: give only the platform's address, without a path, query or user name`,
      { hint: `${fix} (dlrun adds /api/v2/... itself)` },
    );
  }
  return { url: url.origin, setting, source };
}

/** Whether a platform URL names a plain-http loopback host (a stand-in). */
export function isLoopbackPlatform(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
  } catch {
    return false;
  }
}

/** The setting and its source as a message shows them: `RESCALE_PLATFORM_URL in .env`. */
export function platformSource(platform: RescalePlatform): string {
  if (platform.setting === 'the default')
    return 'the default, as neither backends.rescale.platform nor ' + 'RESCALE_PLATFORM_URL is set';
  return `${platform.setting}${platform.source ? ` in ${platform.source}` : ''}`;
}

/** How to get a key, for every message about a missing or refused one. */
export function apiKeyHint(platform: RescalePlatform): string {
  return (
    `get a key on ${platform.url} under Settings > API Key and set RESCALE_API_KEY to it; ` +
    `a key belongs to one platform (this one is ${platform.url}, from ${platformSource(platform)}), ` +
    'so a key made on another platform is refused here'
  );
}

/** RESCALE_API_KEY, or an error saying how to get one. */
export function rescaleApiKey(env: Readonly<Record<string, string | undefined>>, platform: RescalePlatform): string {
  const key = nonEmpty(env.RESCALE_API_KEY);
  if (key === undefined) {
    throw new DlrunError('RESCALE_API_KEY is not set: dlrun needs a Rescale API key to reach Rescale', {
      hint: apiKeyHint(platform),
    });
  }
  // A header value with a line break or other control character would be refused by Node or, worse, split the
  // request: say so rather than send it.
  if (/[\u0000-\u001f\u007f\s]/.test(key)) {
    throw new DlrunError('RESCALE_API_KEY contains spaces or control characters, which no Rescale key has', {
      hint: `copy the key again; ${apiKeyHint(platform)}`,
    });
  }
  return key;
}

function nonEmpty(value: string | undefined | null): string | undefined {
  return value === undefined || value === null || value.trim() === '' ? undefined : value.trim();
}
