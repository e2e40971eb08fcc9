/**
 * Errors from Google's clients as errors a user can act on: a GaxiosError from googleapis (its body a
 * google.rpc.Status, `{"error": {"code", "message", "status", "details"}}`), an ApiError from @google-cloud/storage
 * (`code`, `errors[0].reason`), or a request that got no answer within the deadline. Each message says what dlrun
 * was doing (the call), what Google answered and, where there is one, the fix.
 */
import { DlrunError, ProviderError } from '../../src/base/errors.js';
import { NO_ANSWER_CODES } from '../../src/util/no-answer-codes.js';

interface GoogleErrorShape {
  readonly name?: string;
  readonly code?: string | number;
  readonly status?: number;
  readonly message?: string;
  readonly type?: string;
  readonly errors?: readonly { readonly reason?: string; readonly message?: string }[];
  readonly response?: { readonly status?: number; readonly data?: unknown };
  readonly cause?: unknown;
}

interface RpcStatusBody {
  readonly error?: {
    readonly code?: number;
    readonly message?: string;
    readonly status?: string;
    readonly errors?: readonly { readonly reason?: string }[];
    readonly details?: readonly Record<string, unknown>[];
  };
}

const BY_STATUS: Readonly<Record<number, { message: string; hint?: string; retryable?: boolean }>> = {
  400: { message: 'Google Cloud refused the request' },
  401: {
    message: 'Google Cloud rejected the credentials',
    hint:
      'run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS to a key file, or set ' +
      'GOOGLE_OAUTH_ACCESS_TOKEN to a fresh `gcloud auth print-access-token` (they last an hour)',
  },
  403: {
    message: 'your Google Cloud credentials may not do this',
    hint:
      'check backends.vertex.project, and that the account has the Vertex AI User role and may write the ' +
      'staging bucket (Storage Object Admin)',
  },
  404: {
    message: 'Google Cloud has no such resource',
    hint: 'check backends.vertex.project, backends.vertex.region and backends.vertex.staging_bucket',
  },
  409: { message: 'Google Cloud refused the request as conflicting' },
  412: { message: 'a precondition of the request did not hold' },
  429: {
    message: 'Google Cloud is throttling requests or a quota is used up',
    hint: 'try again in a minute; the Quotas page of the Cloud console shows the quotas',
    retryable: true,
  },
};

/** What the deadline was, for messages about a request that got no answer: set by vertex-clients.ts. */
export interface DeadlineNote {
  readonly timeoutMs: number;
  /** How many times the client sends a request that gets no answer (1 when it does not retry timeouts). */
  readonly attempts?: number;
  /** Whether an endpoint setting (DLRUN_VERTEX_URL, DLRUN_GCS_URL) is in use: the hint names it. */
  readonly endpointSetting?: string;
}

/** A Google client's error as a ProviderError that says what dlrun was doing; anything else unchanged. */
export function googleError(error: unknown, doing: string, deadline?: DeadlineNote): unknown {
  if (error instanceof ProviderError) return error;
  const shape = (error ?? {}) as GoogleErrorShape;
  const credentials = credentialsError(shape, doing);
  if (credentials) return credentials;
  const status = httpStatus(shape);
  if (status === undefined) return networkError(shape, doing, deadline) ?? error;
  const body = (shape.response?.data ?? undefined) as RpcStatusBody | undefined;
  const rpc = typeof body === 'object' && body !== null ? body.error : undefined;
  const reason = rpc?.status ?? rpc?.errors?.[0]?.reason ?? shape.errors?.[0]?.reason;
  const said = firstLine(rpc?.message ?? shape.errors?.[0]?.message ?? shape.message ?? '');
  const known = BY_STATUS[status];
  const violations = fieldViolations(rpc?.details);
  const what = known?.message ?? (status >= 500 ? 'Google Cloud failed to answer' : 'Google Cloud refused the request');
  const code = `${status}${reason ? ` ${reason}` : ''}`;
  return new ProviderError(
    `${doing}: ${what} (${code}${said ? `: ${said}` : ''})${violations ? `; ${violations}` : ''}`,
    reason ?? String(status),
    {
      retryable: known?.retryable ?? status >= 500,
      ...(known?.hint ? { hint: known.hint } : status >= 500 ? { hint: 'try again in a few minutes' } : {}),
      cause: error,
    },
  );
}

/** Run a Google call, turning its errors into ProviderErrors that say what dlrun was doing. */
export async function google<T>(doing: string, call: () => Promise<T>, deadline?: DeadlineNote): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw googleError(error, doing, deadline);
  }
}

/**
 * An error as one line: the message, then the fix when there is one. Never a stack. An error that is not dlrun's
 * (google-auth-library failing to sign with a broken key, say) is prefixed with what was being done.
 */
export function said(error: unknown, doing?: string): string {
  if (error instanceof DlrunError) return error.hint ? `${error.message}; ${error.hint}` : error.message;
  const message = error instanceof Error ? error.message : String(error);
  return doing ? `${doing}: ${message}` : message;
}

/** The HTTP status a Google client's error carries (response.status, status or a numeric code), if any. */
export function errorStatus(error: unknown): number | undefined {
  const shape = (error ?? {}) as { code?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const value of [shape.response?.status, shape.status, shape.code]) if (typeof value === 'number') return value;
  return undefined;
}

function httpStatus(shape: GoogleErrorShape): number | undefined {
  const candidates = [shape.response?.status, shape.status, typeof shape.code === 'number' ? shape.code : undefined];
  return candidates.find((value) => typeof value === 'number' && value >= 400 && value < 600);
}

/** A request that got no answer (a timeout, a refused or dropped connection), or undefined when it is not one. */
function networkError(shape: GoogleErrorShape, doing: string, deadline?: DeadlineNote): ProviderError | undefined {
  const codes = [shape.code, (shape.cause as GoogleErrorShape | undefined)?.code, shape.name, shape.type].filter(
    (value): value is string => typeof value === 'string',
  );
  const text = `${shape.message ?? ''} ${(shape.cause as GoogleErrorShape | undefined)?.message ?? ''}`;
  const timedOut =
    codes.some((code) => code === 'ETIMEDOUT' || code === 'TimeoutError' || code === 'AbortError') ||
    codes.includes('request-timeout') ||
    /timeout|timed out|aborted/i.test(text);
  const code = codes.find((value) => NO_ANSWER_CODES.has(value)) ?? text.match(/\b(E[A-Z]{4,}|UND_ERR_[A-Z_]+)\b/)?.[1];
  if (!timedOut && (code === undefined || !NO_ANSWER_CODES.has(code)) && !/socket hang up|fetch failed/i.test(text))
    return undefined;
  const check = `check the network${deadline?.endpointSetting ? ` and ${deadline.endpointSetting}` : ''}`;
  if (timedOut) {
    const tries = deadline?.attempts && deadline.attempts > 1 ? `, ${deadline.attempts} attempts` : '';
    const within = deadline ? ` within ${seconds(deadline.timeoutMs)}${tries}` : '';
    return new ProviderError(`${doing}: Google Cloud did not answer${within}`, code ?? 'ETIMEDOUT', {
      retryable: true,
      hint:
        `${check}; DLRUN_NETWORK_TIMEOUT_MS` +
        `${deadline ? ` (now ${deadline.timeoutMs})` : ''} is how long dlrun waits for an answer`,
      cause: shape,
    });
  }
  const what =
    code === 'ECONNREFUSED'
      ? 'refused the connection'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'is not at a host name the network knows'
        : 'closed the connection without answering';
  return new ProviderError(`${doing}: Google Cloud ${what}${code ? ` (${code})` : ''}`, code ?? 'ECONNRESET', {
    retryable: true,
    hint: check,
    cause: shape,
  });
}

/** google-auth-library finding no credentials, or not reading the key file it was given. */
function credentialsError(shape: GoogleErrorShape & { path?: string }, doing: string): ProviderError | undefined {
  if (/Could not load the default credentials/i.test(shape.message ?? '')) {
    return new ProviderError(`${doing}: no Google Cloud credentials were found`, 'NO_CREDENTIALS', {
      hint:
        'run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS to a key file, or set ' +
        'GOOGLE_OAUTH_ACCESS_TOKEN to `gcloud auth print-access-token`',
      cause: shape,
    });
  }
  if ((shape.code === 'ENOENT' || shape.code === 'EACCES' || shape.code === 'EISDIR') && shape.path) {
    return new ProviderError(
      `${doing}: the Google Cloud credentials file ${shape.path} cannot be read (${shape.code})`,
      shape.code,
      { hint: "check GOOGLE_APPLICATION_CREDENTIALS, or unset it to use gcloud's credentials", cause: shape },
    );
  }
  return undefined;
}

/** google.rpc.BadRequest field violations, as `field: description` pairs. */
function fieldViolations(details: readonly Record<string, unknown>[] | undefined): string | undefined {
  const pairs: string[] = [];
  for (const detail of details ?? []) {
    const list = detail.fieldViolations;
    if (!Array.isArray(list)) continue;
    for (const violation of list as { field?: string; description?: string }[])
      pairs.push(`${violation.field ?? '?'}: ${firstLine(violation.description ?? '')}`);
  }
  return pairs.length > 0 ? pairs.slice(0, 5).join('; ') : undefined;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 300);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
