/**
 * Deadlines on every AWS request: a connect timeout and a read timeout (the longest wait for the next byte of an
 * answer) on the SDK's HTTP handler, a bounded number of attempts, and, when an endpoint still did not answer, an
 * error that names it and says what dlrun was asking. The SDK's own defaults would wait 5 minutes per attempt.
 */
import { ProviderError } from '../../src/base/errors.js';
import { NETWORK_ATTEMPTS, networkTimeoutMs } from '../../src/backend/network-deadline.js';
import type { BackendContext } from '../../src/backend/training-backend.js';
import { NO_ANSWER_CODES } from '../../src/util/no-answer-codes.js';

/** The settings every AWS client gets (spread into its configuration beside the region and credentials). */
export interface DeadlineSettings {
  readonly maxAttempts: number;
  readonly requestHandler: { readonly connectionTimeout: number; readonly socketTimeout: number };
}

/**
 * Connect and read timeouts of DLRUN_NETWORK_TIMEOUT_MS each, and NETWORK_ATTEMPTS attempts. No total timeout per
 * request: a workdir upload may rightly take an hour, and is only stopped when it stalls.
 */
export function deadlineSettings(env: BackendContext['env'], maxAttempts?: number): DeadlineSettings {
  const timeoutMs = networkTimeoutMs(env);
  return {
    maxAttempts: maxAttempts ?? NETWORK_ATTEMPTS,
    requestHandler: { connectionTimeout: timeoutMs, socketTimeout: timeoutMs },
  };
}

/** A request that got no usable answer: the endpoint was silent, dropped the connection, refused it or is unknown. */
export class NetworkFailure extends ProviderError {
  constructor(
    message: string,
    code: string,
    /** The endpoint asked, as `scheme://host[:port]`. */
    readonly endpoint: string,
    options: { hint: string; cause?: unknown },
  ) {
    super(message, code, { retryable: true, ...options });
  }
}

/**
 * Endpoints that did not answer within the deadline, and until when this process does not ask them again: a
 * command that needs several requests (a failed submit then cleans up) fails in one deadline, not one per request.
 */
const silentUntil = new Map<string, number>();
const SILENT_FOR_MS = 60_000;

/** Codes of a request that never got an HTTP answer (Node's socket errors, the SDK's timeouts). */
const NO_ANSWER: ReadonlySet<string> = new Set(['TimeoutError', ...NO_ANSWER_CODES]);

interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

interface RequestShape {
  readonly protocol?: string;
  readonly hostname?: string;
  readonly port?: number;
}

type Next = (args: { readonly request?: unknown }) => Promise<unknown>;
interface LooseStack {
  add(
    middleware: (next: Next, context: { readonly clientName?: string; readonly commandName?: string }) => Next,
    options: { step: 'build'; name: string; override: boolean },
  ): void;
}

/**
 * The client, with a middleware above the SDK's retries that turns a request that got no answer after every
 * attempt into a NetworkFailure naming the service, the endpoint and the operation, and that refuses at once to
 * send to an endpoint that was silent a moment ago.
 */
export function withDeadlines<Client extends { readonly middlewareStack: unknown }>(
  client: Client,
  env: BackendContext['env'],
): Client {
  const timeoutMs = networkTimeoutMs(env);
  const endpointSet = env.AWS_ENDPOINT_URL !== undefined;
  (client.middlewareStack as LooseStack).add(
    (next, context) => async (args) => {
      const origin = originOf(args.request as RequestShape | undefined);
      const service = serviceName(context.clientName);
      const operation = (context.commandName ?? 'a request').replace(/Command$/, '');
      const hint =
        `check the network${endpointSet ? ' and AWS_ENDPOINT_URL' : ''}; ` +
        `DLRUN_NETWORK_TIMEOUT_MS (now ${timeoutMs}) is how long dlrun waits for an answer`;
      const silent = silentUntil.get(origin);
      if (silent !== undefined && Date.now() < silent) {
        throw new NetworkFailure(
          `no answer from ${service} at ${origin}: ` +
            `it did not answer an earlier request either, so ${operation} was not sent`,
          'TimeoutError',
          origin,
          { hint },
        );
      }
      try {
        return await next(args);
      } catch (error) {
        const shape = (error ?? {}) as SdkError;
        const code = shape.code && NO_ANSWER.has(shape.code) ? shape.code : shape.name;
        if (shape.$metadata?.httpStatusCode !== undefined || code === undefined || !NO_ANSWER.has(code)) throw error;
        const attempts = shape.$metadata?.attempts ?? 1;
        const tries = `${operation}, ${attempts} attempt${attempts === 1 ? '' : 's'}`;
        if (code === 'TimeoutError' || code === 'ETIMEDOUT') {
          silentUntil.set(origin, Date.now() + SILENT_FOR_MS);
          throw new NetworkFailure(
            `no answer from ${service} at ${origin} within ${seconds(timeoutMs)} (${tries})`,
            code,
            origin,
            { hint, cause: error },
          );
        }
        const what =
          code === 'ECONNREFUSED'
            ? 'refused the connection'
            : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
              ? 'is not a host name the network knows'
              : code === 'ENETUNREACH' || code === 'EHOSTUNREACH'
                ? 'cannot be reached from this network'
                : 'closed the connection without answering';
        throw new NetworkFailure(`${service} at ${origin} ${what} (${tries}; ${code})`, code, origin, {
          hint: `check the network${endpointSet ? ' and AWS_ENDPOINT_URL' : ''}`,
          cause: error,
        });
      }
    },
    { step: 'build', name: 'dlrunNetworkDeadline', override: true },
  );
  return client;
}

function originOf(request: RequestShape | undefined): string {
  if (!request?.hostname) return 'the AWS endpoint';
  return `${request.protocol ?? 'https:'}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
}

/** 'EC2Client' -> 'EC2', 'CostExplorerClient' -> 'Cost Explorer'. */
function serviceName(clientName: string | undefined): string {
  return (clientName ?? 'AWS').replace(/Client$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
