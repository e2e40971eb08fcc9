/**
 * A Vertex AI stand-in: `projects.locations.customJobs` (create, get, list, cancel, delete) of the v1 REST API on
 * 127.0.0.1, root-mounted as googleapis needs it (googleapis-common resolves the method path against rootUrl, so any
 * path prefix is dropped [V]). Give the googleapis aiplatform client `rootUrl: server.url + '/'`.
 *
 * What it follows, and what is unconfirmed, is in test/standins/README.md ("Vertex AI stand-in"); [V] confirmed,
 * [S] secondary source, [U] unconfirmed, as in /work/shared/reference/providers.md.
 */
import { mkdtempSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestContext } from 'vitest';
import { defer } from '../support/cleanup.js';
import {
  closeServer,
  type FaultOf,
  InjectedFaults,
  listenOnLoopback,
  matchesRequest,
  type RecordedRequestOf,
  type RequestMatchOf,
} from './stand-in-requests.js';
import { jobFilter } from './vertex-filter.js';
import { type JobClock, type JobRecord, JobRunner, type LogEntry, TERMINAL_STATES, timestamp } from './vertex-jobs.js';
import { errorInfo, type RpcStatus, VertexError } from './vertex-status.js';
import { type JobState, type Json, type JsonObject, readCustomJob, unreadableBody } from './vertex-validation.js';

export type { LogEntry } from './vertex-jobs.js';
export type { RpcStatus } from './vertex-status.js';

export interface VertexServerOptions {
  /** The project id a path may name (default "dlrun-test"). */
  readonly projectId?: string;
  /** The project number, which job names carry whatever the path said (default "123456789012"). */
  readonly projectNumber?: string;
  /** The regions this endpoint serves (default ["us-central1"]); any other in a path is refused. */
  readonly regions?: readonly string[];
  /** When set, every request needs `Authorization: Bearer <requireToken>` (401 UNAUTHENTICATED otherwise). */
  readonly requireToken?: string;
  /** Clock: how long a job stays QUEUED, PENDING and CANCELLING (ms; Infinity holds it there). Default 20, 20, 50. */
  readonly queuedMs?: number;
  readonly pendingMs?: number;
  readonly cancellingMs?: number;
  /** What scheduling.timeout ends a job as (default JOB_STATE_CANCELLED; see vertex-jobs.ts). */
  readonly timeoutEndsAs?: JobClock['timeoutEndsAs'];
  /** PATH of the replicas (default: this process's PATH). */
  readonly path?: string;
  /** More environment for every replica, e.g. a Cloud Storage stand-in's endpoint and an access token. */
  readonly env?: Readonly<Record<string, string>>;
  /** The page size of a list that gives none ([U] Vertex's own default). Default 100. */
  readonly defaultPageSize?: number;
}

/** The methods, named as googleapis names them. */
export type VertexAction = 'create' | 'get' | 'list' | 'cancel' | 'delete' | 'unknown';

export type RequestMatch = RequestMatchOf<VertexAction>;

/**
 * - 429: RESOURCE_EXHAUSTED; 500: INTERNAL; 503: UNAVAILABLE (google.rpc.Status bodies).
 * - drop-before: the connection is destroyed and nothing is done.
 * - drop-after: the request is carried out (a create creates the job), then the connection is destroyed.
 * - delay: carried out at once, answered `delayMs` later.
 */
export type VertexFaultKind = 429 | 500 | 503 | 'drop-before' | 'drop-after' | 'delay';

export type VertexFault = FaultOf<VertexAction, VertexFaultKind>;

export type RecordedRequest = RecordedRequestOf<VertexAction, VertexFaultKind, Json>;

export interface VertexServer {
  /** http://127.0.0.1:PORT (no trailing slash): give googleapis `rootUrl: url + '/'`. */
  readonly url: string;
  readonly projectId: string;
  readonly projectNumber: string;
  inject(fault: VertexFault): void;
  /** Every request so far, in order of arrival (faulted ones too), optionally only those that match. */
  requests(match?: VertexAction | RequestMatch): readonly RecordedRequest[];
  /** Every CustomJob, as `get` would return it, oldest first. */
  jobs(): JsonObject[];
  /** One CustomJob by name (or numeric id), as `get` would return it. */
  job(name: string): JsonObject | undefined;
  /** Puts a job in a state as the clock would (RUNNING starts its replicas, a terminal state stops them). */
  setState(name: string, state: JobState, error?: RpcStatus): void;
  /** What a replica ("workerpool0-0") wrote, line by line, as Cloud Logging would hold it. */
  output(name: string, replica?: string): readonly LogEntry[];
  /** The folder a replica runs in (its working directory and HOME). */
  replicaDir(name: string, replica?: string): string;
  /** Kills every replica, stops the clock and the server, removes the replicas' folders. */
  close(): Promise<void>;
}

const JOB_COLLECTION = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/customJobs$/;
const JOB = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/customJobs\/([^/:]+)$/;
const JOB_CANCEL = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/customJobs\/([^/:]+):cancel$/;

interface Route {
  readonly action: VertexAction;
  readonly project?: string;
  readonly region?: string;
  readonly id?: string;
}

function route(method: string, pathname: string): Route {
  const parts = (match: RegExpExecArray): string[] => match.slice(1).map((part) => decodeURIComponent(part));
  let match = JOB_COLLECTION.exec(pathname);
  if (match) {
    const [project, region] = parts(match);
    if (method === 'POST') return { action: 'create', project, region };
    if (method === 'GET') return { action: 'list', project, region };
  }
  match = JOB.exec(pathname);
  if (match) {
    const [project, region, id] = parts(match);
    if (method === 'GET') return { action: 'get', project, region, id };
    if (method === 'DELETE') return { action: 'delete', project, region, id };
  }
  match = JOB_CANCEL.exec(pathname);
  if (match && method === 'POST') {
    const [project, region, id] = parts(match);
    return { action: 'cancel', project, region, id };
  }
  return { action: 'unknown' };
}

/** The google.rpc.Status answers of the injected faults ([S] the words Google front ends use). */
function faultError(kind: 429 | 500 | 503): VertexError {
  if (kind === 429)
    return new VertexError('RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [
      errorInfo('RATE_LIMIT_EXCEEDED'),
    ]);
  if (kind === 503) return new VertexError('UNAVAILABLE', 'The service is currently unavailable.');
  return new VertexError('INTERNAL', 'Internal error encountered.');
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  body: JSON.stringify(body, null, 2),
  headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
});

/** A page token: where the previous page stopped, and the filter it was for (AIP-158 [V]; the encoding is ours). */
interface PageToken {
  readonly after: string;
  readonly filter: string;
}

export async function startVertexServer(options: VertexServerOptions = {}): Promise<VertexServer> {
  const projectId = options.projectId ?? 'dlrun-test';
  const projectNumber = options.projectNumber ?? '123456789012';
  const regions = options.regions ?? ['us-central1'];
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'dlrun-vertex-'));
  const runner = new JobRunner(
    {
      queuedMs: options.queuedMs ?? 20,
      pendingMs: options.pendingMs ?? 20,
      cancellingMs: options.cancellingMs ?? 50,
      timeoutEndsAs: options.timeoutEndsAs ?? 'JOB_STATE_CANCELLED',
    },
    { path: options.path ?? process.env.PATH ?? '/usr/bin:/bin', env: options.env ?? {} },
    projectNumber,
    baseDir,
  );
  const jobs = new Map<string, JobRecord>();
  const recorded: RecordedRequest[] = [];
  const faults = new InjectedFaults<VertexAction, VertexFault>();
  // Numeric ids of the size Vertex gives (19 digits), rising, not consecutive.
  let nextId = 2_718_281_828_459_045_235n;
  let nextOperation = 1_000_000_000_000_000_000n;
  const closing = new AbortController();
  let closed: Promise<void> | undefined;

  const nameOf = (job: JobRecord): string => `projects/${projectNumber}/locations/${job.region}/customJobs/${job.id}`;
  const copy = (job: JobRecord): JsonObject => structuredClone(job.resource);
  const idOf = (name: string): string => name.split('/').pop()!;
  const recordOf = (name: string): JobRecord => {
    const job = jobs.get(idOf(name));
    if (!job) throw new Error(`the Vertex stand-in has no job ${name}`);
    return job;
  };

  /** The checks every customJobs method makes on its parent: the project, then the endpoint's region. */
  function checkParent(project: string, region: string, permission: string): void {
    if (project !== projectId && project !== projectNumber)
      throw new VertexError(
        'PERMISSION_DENIED',
        `Permission '${permission}' denied on resource '//aiplatform.googleapis.com/projects/${project}/locations/` +
          `${region}' (or it may not exist).`,
        [errorInfo('IAM_PERMISSION_DENIED', { permission })],
      );
    // [S] kubeflow/pipelines#6011 quotes this message for a location that is not the endpoint's; the code is [U].
    if (!regions.includes(region))
      throw new VertexError(
        'INVALID_ARGUMENT',
        `The provided location ID doesn't match the endpoint. The valid location ID is \`${regions[0]}\`.`,
      );
  }

  function findJob(project: string, region: string, id: string, permission: string): JobRecord {
    checkParent(project, region, permission);
    const job = jobs.get(id);
    if (!job || job.region !== region)
      // [U] the message: Vertex's words for a missing CustomJob were not found.
      throw new VertexError(
        'NOT_FOUND',
        `CustomJob projects/${project}/locations/${region}/customJobs/${id} not found.`,
      );
    return job;
  }

  function create(where: Route, body: Json | undefined, raw: string): Answer {
    checkParent(where.project!, where.region!, 'aiplatform.customJobs.create');
    if (body === undefined && raw.trim() !== '') throw unreadableBody(new Error('The body is not JSON.'));
    const resource = readCustomJob(body ?? {});
    nextId += 1n + BigInt(Math.floor(Math.random() * 1000));
    const id = nextId.toString();
    const job: JobRecord = {
      id,
      region: where.region!,
      resource,
      dir: runner.jobDir(id),
      replicas: [],
      logs: new Map(),
    };
    resource.name = nameOf(job);
    resource.createTime = timestamp();
    jobs.set(id, job);
    runner.enter(job, 'JOB_STATE_QUEUED');
    resource.updateTime = resource.createTime;
    return json(200, copy(job));
  }

  function list(where: Route, query: URLSearchParams): Answer {
    checkParent(where.project!, where.region!, 'aiplatform.customJobs.list');
    const filter = query.get('filter') ?? '';
    const keep = jobFilter(filter);
    const pageSizeText = query.get('pageSize');
    const pageSize = pageSizeText === null ? 0 : Number(pageSizeText);
    if (!Number.isInteger(pageSize) || pageSize < 0)
      throw new VertexError('INVALID_ARGUMENT', `Invalid value for pageSize: ${pageSizeText}`);
    const size = pageSize === 0 ? (options.defaultPageSize ?? 100) : pageSize;
    let after: bigint | undefined;
    const tokenText = query.get('pageToken');
    if (tokenText) {
      let token: PageToken | undefined;
      try {
        token = JSON.parse(Buffer.from(tokenText, 'base64url').toString('utf8')) as PageToken;
      } catch {
        token = undefined;
      }
      // AIP-158: a token is only good with the request it came from ([V] the rule; [U] Vertex's words).
      if (token === undefined || typeof token.after !== 'string' || token.filter !== filter)
        throw new VertexError('INVALID_ARGUMENT', 'Invalid page token.');
      after = BigInt(token.after);
    }
    // Newest first ([U] Vertex's order); paging by id keeps pages stable while jobs are created.
    const matching = [...jobs.values()]
      .filter((job) => job.region === where.region)
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .filter((job) => after === undefined || BigInt(job.id) < after)
      .filter((job) => keep(job.resource));
    const page = matching.slice(0, size);
    const answer: JsonObject = {};
    // Empty repeated fields are left out of proto3 JSON: no customJobs at all when none match [V].
    if (page.length > 0) answer.customJobs = page.map(copy);
    if (matching.length > size) {
      const token: PageToken = { after: page[page.length - 1]!.id, filter };
      answer.nextPageToken = Buffer.from(JSON.stringify(token)).toString('base64url');
    }
    return json(200, answer);
  }

  function cancel(where: Route): Answer {
    const job = findJob(where.project!, where.region!, where.id!, 'aiplatform.customJobs.cancel');
    const state = job.resource.state as JobState;
    // [U] that cancelling a finished job is refused, and how; Vertex's cancel is documented as best effort.
    if (TERMINAL_STATES.includes(state))
      throw new VertexError('FAILED_PRECONDITION', `Cannot cancel CustomJob ${nameOf(job)}: it is in state ${state}.`);
    if (state !== 'JOB_STATE_CANCELLING') runner.enter(job, 'JOB_STATE_CANCELLING');
    // google.protobuf.Empty [V].
    return json(200, {});
  }

  function remove(where: Route): Answer {
    const job = findJob(where.project!, where.region!, where.id!, 'aiplatform.customJobs.delete');
    const state = job.resource.state as JobState;
    // [V] delete works only on jobs that no longer run; [U] the code and the words of the refusal.
    if (!TERMINAL_STATES.includes(state))
      throw new VertexError(
        'FAILED_PRECONDITION',
        `CustomJob ${nameOf(job)} is in state ${state}: only a job that is no longer running can be deleted.`,
      );
    jobs.delete(job.id);
    nextOperation += 1n;
    const now = timestamp();
    // A google.longrunning.Operation [V]; finished at once here ([U] Vertex's finishes later).
    return json(200, {
      name: `projects/${projectNumber}/locations/${job.region}/operations/${nextOperation}`,
      metadata: {
        '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.DeleteOperationMetadata',
        genericMetadata: { createTime: now, updateTime: now },
      },
      done: true,
      response: { '@type': 'type.googleapis.com/google.protobuf.Empty' },
    });
  }

  function answer(where: Route, method: string, query: URLSearchParams, body: Json | undefined, raw: string): Answer {
    switch (where.action) {
      case 'create':
        return create(where, body, raw);
      case 'list':
        return list(where, query);
      case 'get':
        return json(200, copy(findJob(where.project!, where.region!, where.id!, 'aiplatform.customJobs.get')));
      case 'cancel':
        return cancel(where);
      case 'delete':
        return remove(where);
      default:
        // Google's front end answers an unknown method or path with an HTML 404 page ([S]).
        return {
          status: 404,
          body:
            '<!DOCTYPE html>\n<title>Error 404 (Not Found)!!1</title>\n' +
            `<p>The requested URL <code>${method}</code> was not found on this server.`,
          headers: { 'content-type': 'text/html; charset=UTF-8' },
        };
    }
  }

  function authorise(headers: IncomingHttpHeaders): void {
    if (options.requireToken === undefined) return;
    if (headers.authorization === `Bearer ${options.requireToken}`) return;
    // The words every Google API answers a missing or bad OAuth token with ([S]).
    throw new VertexError(
      'UNAUTHENTICATED',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid ' +
        'authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      [errorInfo('CREDENTIALS_MISSING', { method: 'google.cloud.aiplatform.v1.JobService' })],
      { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
    );
  }

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = (incoming.method ?? 'GET').toUpperCase();
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const where = route(method, url.pathname);
    let body: Json | undefined;
    try {
      body = raw.trim() === '' ? undefined : (JSON.parse(raw) as Json);
    } catch {
      body = undefined;
    }
    const described = {
      action: where.action,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...incoming.headers },
      body,
    };
    const fault = faults.take(described);
    recorded.push({ ...described, fault: fault?.kind });

    if (fault?.kind === 'drop-before') return void incoming.socket.destroy();
    let reply: Answer;
    if (fault?.kind === 429 || fault?.kind === 500 || fault?.kind === 503) {
      const error = faultError(fault.kind);
      reply = json(error.httpStatus, error.body());
    } else {
      try {
        authorise(incoming.headers);
        reply = answer(where, `${method} ${url.pathname}`, url.searchParams, body, raw);
      } catch (error) {
        if (!(error instanceof VertexError)) throw error;
        reply = json(error.httpStatus, error.body(), error.headers);
      }
    }
    if (fault?.kind === 'drop-after') return void incoming.socket.destroy();
    if (fault?.kind === 'delay') await sleep(fault.delayMs ?? 0, undefined, { signal: closing.signal });
    outgoing.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
    outgoing.end(reply.body);
  }

  const server = http.createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      if (outgoing.headersSent || incoming.socket.destroyed) return void incoming.socket.destroy();
      const failure = new VertexError('INTERNAL', `Vertex stand-in failure: ${String(error)}`);
      outgoing.writeHead(500, { 'content-type': 'application/json; charset=UTF-8' });
      outgoing.end(JSON.stringify(failure.body()));
    });
  });
  const url = await listenOnLoopback(server);
  // Replicas must not outlive the test process, even when it ends without close().
  const onExit = (): void => runner.killAllNow();
  process.once('exit', onExit);

  return {
    url,
    projectId,
    projectNumber,
    inject: (fault) => faults.inject(fault),
    requests: (match) => recorded.filter((request) => matchesRequest(match, request)),
    jobs: () => [...jobs.values()].map(copy),
    job: (name) => {
      const job = jobs.get(idOf(name));
      return job ? copy(job) : undefined;
    },
    setState: (name, state, error) => runner.enter(recordOf(name), state, error),
    output: (name, replica = 'workerpool0-0') => [...(recordOf(name).logs.get(replica) ?? [])],
    replicaDir: (name, replica = 'workerpool0-0') => path.join(recordOf(name).dir, replica),
    close: () => (closed ??= stop()),
  };

  async function stop(): Promise<void> {
    closing.abort();
    faults.clear();
    for (const job of jobs.values()) {
      clearTimeout(job.clock);
      clearTimeout(job.timeout);
    }
    await runner.stopAll();
    await closeServer(server, onExit, baseDir);
  }
}

/** A stand-in for one test, closed (its replicas killed) when the test ends. */
export async function vertexServerFor(t: TestContext, options: VertexServerOptions = {}): Promise<VertexServer> {
  const server = await startVertexServer(options);
  defer(t, () => server.close());
  return server;
}
