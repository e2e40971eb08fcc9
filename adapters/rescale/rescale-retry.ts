import { NETWORK_ATTEMPTS } from '../../src/backend/network-deadline.js';

/**
 * Which failures a Rescale request may be sent again after:
 * - `idempotent` (GET, DELETE, downloads): throttling (429), any 5xx, a dropped connection and a timeout. Sending
 *   them twice does nothing twice.
 * - `throttled` (POST of a stop, an upload): 429 only. Rescale (Django REST framework) checks its throttles before
 *   the view runs, so a 429 means the request did nothing; a 5xx or a lost answer may come after it did (a second
 *   upload is a second file, billed as storage).
 * - `never` (postOnce: create and submit): nothing. Rescale takes no idempotency key (providers.md, section 5.4), so
 *   a create sent again may be a second job, billed; the caller looks the job up by name first and decides.
 */
export type RetryRule = 'idempotent' | 'throttled' | 'never';

/** The longest Retry-After waited out: a longer one (an hourly submit budget used up) ends the request at once. */
export const MAX_RETRY_AFTER_MS = 60_000;

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 4_000;

/** Node's codes for a connection lost before or while the answer came: worth another try when that is safe. */
const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET']);

interface FailureShape {
  readonly code?: string;
  readonly message?: string;
  readonly response?: { readonly status?: number; readonly headers?: Record<string, unknown> };
}

/** What to do after attempt `attempt` failed with `error`: wait `waitMs` and try again, or give up. */
export interface RetryDecision {
  /** Milliseconds to wait before the next attempt; undefined to give up. */
  readonly waitMs: number | undefined;
  /** A 429's Retry-After, for the error message when giving up. */
  readonly retryAfterMs: number | undefined;
}

export function retryDecision(error: unknown, attempt: number, rule: RetryRule, now = Date.now()): RetryDecision {
  const shape = (error ?? {}) as FailureShape;
  const status = shape.response?.status;
  // 429 says when to come back; a 503 may too (a platform under maintenance).
  const asksToWait = status === 429 || status === 503;
  const retryAfter = asksToWait ? retryAfterMs(header(shape.response?.headers, 'retry-after'), now) : undefined;
  const giveUp = { waitMs: undefined, retryAfterMs: retryAfter };
  if (rule === 'never' || attempt >= NETWORK_ATTEMPTS) return giveUp;
  if (status === 429) {
    if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS) return giveUp;
    return { waitMs: retryAfter ?? backoffMs(attempt), retryAfterMs: retryAfter };
  }
  if (rule !== 'idempotent') return giveUp;
  if (typeof status === 'number') {
    if (status < 500 || (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS)) return giveUp;
    return { waitMs: retryAfter ?? backoffMs(attempt), retryAfterMs: retryAfter };
  }
  const dropped = DROPPED.has(shape.code ?? '') || /socket hang up/i.test(shape.message ?? '');
  return dropped ? { waitMs: backoffMs(attempt), retryAfterMs: undefined } : giveUp;
}

/**
 * A Retry-After header in milliseconds: delay-seconds (`120`) or an HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`),
 * never negative; undefined when absent or unreadable.
 */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with jitter (so that many clients do not retry in step): about 0.25 s, 0.5 s, 1 s ... */
export function backoffMs(attempt: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Wait, unless the command is interrupted (then reject with the signal's reason). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function header(headers: Record<string, unknown> | undefined, name: string): unknown {
  if (!headers) return undefined;
  const getter = (headers as { get?: (key: string) => unknown }).get;
  if (typeof getter === 'function') return getter.call(headers, name);
  return headers[name];
}
