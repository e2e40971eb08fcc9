/**
 * Rescale's answers and failures as errors a user can act on. Each message says what dlrun was doing, what Rescale
 * answered (its Django REST framework body: `{"detail": "..."}`, or field errors `{"field": ["msg"]}`, flattened,
 * cleaned of control characters and cut to 300 characters: it is the server's text, never trusted) and, where there
 * is one, the fix.
 */
import { ProviderError } from '../../src/base/errors.js';
import { NO_ANSWER_CODES } from '../../src/util/no-answer-codes.js';
import { shownUrl } from '../../src/util/shown-url.js';
import { apiKeyHint, platformSource, type RescalePlatform } from './rescale-platform.js';

/** What the client knew when a request failed: the platform, the deadline and how many attempts it made. */
export interface RescaleRequestNote {
  readonly platform: RescalePlatform;
  readonly timeoutMs: number;
  /** Attempts made, the failed one included. */
  readonly attempts: number;
}

/**
 * A Rescale request that failed. `status` is the HTTP status when Rescale answered (callers tell a 404, a job gone,
 * from other failures by it); `retryAfterMs` what a 429's Retry-After asked for; `request` the method and path.
 */
export class RescaleApiError extends ProviderError {
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    providerCode: string | undefined,
    readonly request: string,
    /** The message without the `doing: ` prefix, so that withDoing can say more about what dlrun was doing. */
    readonly what: string,
    readonly status: number | undefined,
    options: { retryable?: boolean; hint?: string; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(message, providerCode, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

interface AxiosErrorShape {
  readonly code?: string;
  readonly message?: string;
  readonly response?: { readonly status?: number; readonly data?: unknown; readonly headers?: unknown };
  readonly cause?: { readonly code?: string; readonly message?: string };
}

const BY_STATUS: Readonly<Record<number, string>> = {
  400: 'Rescale refused the request',
  401: 'Rescale rejected the API key',
  403: 'Rescale does not let this API key do that',
  404: 'Rescale has no such resource',
  405: 'Rescale does not allow that request here',
  409: 'Rescale refused the request as conflicting',
  413: 'Rescale refused the upload as too large',
  429: 'Rescale is throttling requests',
};

const MAX_SAID = 300;

/**
 * A failed request as a RescaleApiError. `request` is `METHOD /path/` (never a query string or a host: those may
 * carry what the server sent). Errors that are neither an answer nor a known network failure (a cancelled request,
 * a bug) are returned unchanged.
 */
export function rescaleError(
  error: unknown,
  request: string,
  note: RescaleRequestNote,
  options: { retryAfterMs?: number } = {},
): unknown {
  if (error instanceof ProviderError) return error;
  const shape = (error ?? {}) as AxiosErrorShape;
  const status = shape.response?.status;
  if (typeof status === 'number' && status >= 300)
    return answerError(error, status, shape.response?.data, request, note, options);
  return networkError(shape, request, note) ?? error;
}

function answerError(
  error: unknown,
  status: number,
  data: unknown,
  request: string,
  note: RescaleRequestNote,
  options: { retryAfterMs?: number },
): RescaleApiError {
  const said = rescaleAnswerText(data);
  const tries = note.attempts > 1 ? `, after ${note.attempts} attempts` : '';
  const base = BY_STATUS[status] ?? (status >= 500 ? 'Rescale failed to answer' : 'Rescale refused the request');
  const what = `${base} (${status}${said ? `: ${said}` : ''})${status === 429 || status >= 500 ? tries : ''}`;
  const platform = note.platform;
  let hint: string | undefined;
  if (status === 401) hint = `check RESCALE_API_KEY; ${apiKeyHint(platform)}`;
  else if (status === 403) {
    hint = `check that the key's user may do this on ${platform.url} (a workspace administrator can say)`;
  } else if (status === 404) {
    hint =
      `jobs and files belong to one platform: check that ${platform.url} ` +
      `(from ${platformSource(platform)}) is the one they were made on`;
  } else if (options.retryAfterMs !== undefined) {
    hint = `Rescale asks to wait ${duration(options.retryAfterMs)}; try again then`;
  } else if (status === 429) hint = 'try again in a minute';
  else if (status >= 500) hint = 'try again in a few minutes';
  else if (status >= 300 && status < 400) {
    hint = `check ${platformSource(platform)}: ${platform.url} redirects API requests elsewhere`;
  }
  return new RescaleApiError(`${request}: ${what}`, String(status), request, what, status, {
    retryable: status === 429 || status >= 500,
    ...(hint ? { hint } : {}),
    ...(options.retryAfterMs !== undefined ? { retryAfterMs: options.retryAfterMs } : {}),
    cause: error,
  });
}

/** A request that got no answer (a timeout, a refused or dropped connection, an unknown host), else undefined. */
function networkError(shape: AxiosErrorShape, request: string, note: RescaleRequestNote): RescaleApiError | undefined {
  const codes = [shape.code, shape.cause?.code].filter((value): value is string => typeof value === 'string');
  const text = `${shape.message ?? ''} ${shape.cause?.message ?? ''}`;
  const timedOut = codes.includes('ETIMEDOUT') || (codes.includes('ECONNABORTED') && /timeout/i.test(text));
  const code = codes.find((value) => NO_ANSWER_CODES.has(value));
  if (!timedOut && code === undefined && !/socket hang up/i.test(text)) return undefined;
  const { platform, timeoutMs, attempts } = note;
  const from = `${shownUrl(platform.url)} (from ${platformSource(platform)})`;
  const tries = attempts > 1 ? `, ${attempts} attempts` : '';
  let what: string;
  let hint: string;
  if (timedOut) {
    what = `Rescale did not answer within ${duration(timeoutMs)}${tries}`;
    hint =
      `check the network and ${platform.setting === 'the default' ? 'the platform' : platform.setting}; ` +
      `DLRUN_NETWORK_TIMEOUT_MS (now ${timeoutMs}) is how long dlrun waits for an answer`;
  } else if (code === 'ECONNREFUSED') {
    what = `nothing accepts connections at ${from} (ECONNREFUSED)`;
    hint = `check ${platformSource(platform)}: it must name a Rescale platform, such as https://platform.rescale.com`;
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    what = `the host of ${from} is not one the network knows (${code})`;
    hint = `check ${platformSource(platform)} and the network`;
  } else {
    what = `Rescale closed the connection without answering (${code ?? 'ECONNRESET'}${tries})`;
    hint = `check the network; try again in a minute`;
  }
  return new RescaleApiError(
    `${request}: ${what}`,
    timedOut ? 'ETIMEDOUT' : (code ?? 'ECONNRESET'),
    request,
    what,
    undefined,
    {
      retryable: true,
      hint,
      cause: shape,
    },
  );
}

/**
 * Say what dlrun was doing in the errors of `call`: `creating the Rescale job (POST /api/v2/jobs/): Rescale refused
 * the request (400: ...)`.
 */
export async function withDoing<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof RescaleApiError)) throw error;
    throw new RescaleApiError(
      `${doing} (${error.request}): ${error.what}`,
      error.providerCode,
      error.request,
      error.what,
      error.status,
      {
        retryable: error.isRetryable,
        ...(error.hint ? { hint: error.hint } : {}),
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
        cause: error.cause,
      },
    );
  }
}

/**
 * What a Rescale answer says, as one clean line: DRF's `detail`, `non_field_errors`, or its field errors flattened
 * to `field: message` (nested ones as `jobanalyses[0].hardware.coreType: message`); a plain-text body's first line;
 * nothing for an HTML page (a proxy's error page says nothing useful and may hold anything).
 */
export function rescaleAnswerText(data: unknown): string {
  let body = data;
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body === 'string') {
    const trimmed = body.trim();
    if (trimmed === '' || trimmed.startsWith('<')) return '';
    try {
      body = JSON.parse(trimmed);
    } catch {
      return clean(trimmed.split('\n')[0] ?? '');
    }
  }
  const parts: string[] = [];
  collect(body, '', parts);
  return clean(parts.join('; '));
}

function collect(value: unknown, path: string, parts: string[]): void {
  if (parts.length >= 20) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    parts.push(path ? `${path}: ${String(value)}` : String(value));
  } else if (Array.isArray(value)) {
    const strings = value.every((item) => typeof item === 'string');
    if (strings && value.length > 0) parts.push(path ? `${path}: ${value.join(' ')}` : value.join(' '));
    else {
      for (const [index, item] of value.entries()) collect(item, `${path}[${index}]`, parts);
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      // DRF's keys for errors of the whole request rather than of one field.
      const whole = key === 'detail' || key === 'non_field_errors' || key === 'error' || key === 'message';
      collect(item, whole ? path : path ? `${path}.${key}` : key, parts);
    }
  }
}

/**
 * Server text fit for a terminal: control characters (which could rewrite the screen), bidirectional overrides and
 * zero-width characters become spaces; runs of space are one; at most MAX_SAID characters.
 */
export function clean(text: string): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > MAX_SAID ? `${flat.slice(0, MAX_SAID - 1)}…` : flat;
}

function duration(ms: number): string {
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1).replace(/\.0$/, '')} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
