/**
 * A Rescale stand-in: the REST API v2 of one platform (files, jobs, core types) on 127.0.0.1, as providers.md
 * section 5 describes it. Give a client `url` as the platform (`${url}/api/v2/...`) and `Authorization: Token
 * ${apiKey}`.
 *
 * What it follows, and what is unconfirmed, is in test/standins/README.md ("Rescale stand-in"); [V] confirmed,
 * [S] secondary source, [U] unconfirmed, as in /work/shared/reference/providers.md.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestContext } from 'vitest';
import { defer } from '../support/cleanup.js';
import { DEFAULT_CORE_TYPES, type RescaleCoreTypeOffer } from './rescale-coretypes.js';
import {
  type Answer,
  faultAnswer,
  htmlNotFound,
  INVALID_TOKEN,
  json,
  type Json,
  type JsonObject,
  methodNotAllowed,
  NO_CREDENTIALS,
  notFound,
  RescaleError,
  refused,
  unauthenticated,
} from './rescale-errors.js';
import { FileStore, readMultipart, rescaleDate, shortId, type StoredFile } from './rescale-files.js';
import { readJobBody } from './rescale-job-body.js';
import {
  currentStatus,
  isTerminal,
  type JobRecord,
  RescaleJobRunner,
  type RescaleStatus,
  type StatusEntry,
  TERMINAL_STATUSES,
} from './rescale-jobs.js';
import { paginate } from './rescale-pages.js';
import {
  closeServer,
  type FaultOf,
  InjectedFaults,
  listenOnLoopback,
  matchesRequest,
  type RecordedRequestOf,
  type RequestMatchOf,
} from './stand-in-requests.js';
import { type RescaleAction, route, type Route, wantsSlash } from './rescale-routes.js';
import { fileLines, runDirectory, runOf, tailFile } from './rescale-runs.js';

export type { RescaleCoreTypeOffer } from './rescale-coretypes.js';
export type { RescaleStatus, StatusEntry } from './rescale-jobs.js';
export type { RescaleAction } from './rescale-routes.js';

export interface RescaleServerOptions {
  /** The key every request must carry as `Authorization: Token <key>` (default "rescale-test-key"). */
  readonly apiKey?: string;
  /**
   * The core types offered (default DEFAULT_CORE_TYPES: emerald, onyx, jade (GPU, walltime required), marble
   * (deprecated)).
   */
  readonly coreTypes?: readonly RescaleCoreTypeOffer[];
  /** Clock, in ms: how long a submitted job stays in each status before the next (Infinity holds it); 10 each. */
  readonly pendingMs?: number;
  readonly queuedMs?: number;
  readonly startedMs?: number;
  readonly validatedMs?: number;
  /** How long Stopping lasts (default 20). */
  readonly stoppingMs?: number;
  /** How long one hour of `hardware.walltime` lasts (default 3 600 000: real time). */
  readonly walltimeHourMs?: number;
  /** What a job stopped at its walltime ends in after Stopping (default Stopped; [U] which Rescale gives). */
  readonly walltimeEndsAs?: 'Stopped' | 'Terminated';
  /** PATH of the job's command (default: this process's PATH). */
  readonly path?: string;
  /**
   * More environment for every job's command; a function is given the server's URL (for a job that calls the API:
   * Rescale itself gives a job only RESCALE_API_KEY [V], not the platform's URL [U]).
   */
  readonly env?: Readonly<Record<string, string>> | ((url: string) => Readonly<Record<string, string>>);
  /** The page size of a list that asks for none (default 25 [S]). */
  readonly defaultPageSize?: number;
  /** The largest page_size honoured (default 1000 [U]). */
  readonly maxPageSize?: number;
  /** The account's e-mail, the owner of every job and file. */
  readonly owner?: string;
}

export type RequestMatch = RequestMatchOf<RescaleAction>;

/**
 * - 429: DRF's Throttled with `Retry-After: retryAfterSeconds` (default 1); 500: Django's error page; 502, 503: a
 *   load balancer's page.
 * - drop-before: the connection is destroyed and nothing is done.
 * - drop-after: the request is carried out (a create creates the job), then the connection is destroyed.
 * - delay: carried out at once, answered `delayMs` later.
 */
export type RescaleFaultKind = 429 | 500 | 502 | 503 | 'drop-before' | 'drop-after' | 'delay';

export interface RescaleFault extends FaultOf<RescaleAction, RescaleFaultKind> {
  readonly retryAfterSeconds?: number;
}

export interface RecordedRequest extends RecordedRequestOf<RescaleAction, RescaleFaultKind, Json> {
  /** The file of a multipart upload. */
  readonly upload: { readonly filename: string; readonly size: number } | undefined;
  readonly status: number | undefined;
}

/** What the stand-in knows of a job, for assertions. */
export interface RescaleJobView {
  readonly id: string;
  readonly name: string;
  readonly submitted: boolean;
  readonly status: RescaleStatus;
  readonly statusReason: string;
  /** Oldest first. */
  readonly statuses: readonly StatusEntry[];
  /** The command's exit code, once it has ended by itself. */
  readonly exitCode: number | undefined;
  /** The job as GET jobs/{id}/ gives it. */
  readonly detail: JsonObject;
  readonly outputFileIds: readonly string[];
  /** Where the command runs (its HOME is the folder above). */
  readonly workDir: string;
}

export interface RescaleServer {
  /** http://127.0.0.1:PORT, no trailing slash: the platform URL. */
  readonly url: string;
  readonly apiKey: string;
  inject(fault: RescaleFault): void;
  /** Every request so far, in order of arrival (faulted ones too), optionally only those that match. */
  requests(match?: RescaleAction | RequestMatch): readonly RecordedRequest[];
  /** Every job, oldest first. */
  jobs(): RescaleJobView[];
  job(id: string): RescaleJobView | undefined;
  /** Every file (uploads and outputs) as GET files/{id}/ gives it, newest first. */
  files(): JsonObject[];
  /** Puts a job in a status as the clock would (Executing runs the command; a terminal status stops it). */
  setStatus(id: string, status: RescaleStatus, reason?: string): void;
  /** Kills every command, stops the clock and the server, removes the jobs' folders. */
  close(): Promise<void>;
}

const empty = (status: number): Answer => ({ status, body: '', headers: {} });

/** `http://<host>` for a Host header naming a loopback address and a port, else undefined. */
function loopbackOrigin(host: string | undefined): string | undefined {
  return host !== undefined && /^(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$/.test(host) ? `http://${host}` : undefined;
}

/** The cluster status words of the list's clusterStatusDisplay [V] from a job status [U the mapping]. */
function clusterStatus(status: RescaleStatus, submitted: boolean): string {
  if (!submitted || status === 'Pending' || status === 'Queued') return 'Not Started';
  if (status === 'Started' || status === 'Validated' || status === 'Executing') return 'Started';
  if (status === 'Stopping') return 'Stopping';
  return 'Stopped';
}

export async function startRescaleServer(options: RescaleServerOptions = {}): Promise<RescaleServer> {
  const apiKey = options.apiKey ?? 'rescale-test-key';
  const owner = options.owner ?? 'dlrun-test@example.com';
  const coreTypes = options.coreTypes ?? DEFAULT_CORE_TYPES;
  const defaultPageSize = options.defaultPageSize ?? 25;
  const maxPageSize = options.maxPageSize ?? 1000;
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'dlrun-rescale-'));
  const files = new FileStore(path.join(baseDir, 'files'), owner, 'user/user_dLrUn');
  const runner = new RescaleJobRunner(
    {
      pendingMs: options.pendingMs ?? 10,
      queuedMs: options.queuedMs ?? 10,
      startedMs: options.startedMs ?? 10,
      validatedMs: options.validatedMs ?? 10,
      stoppingMs: options.stoppingMs ?? 20,
      hourMs: options.walltimeHourMs ?? 3_600_000,
      walltimeEndsAs: options.walltimeEndsAs ?? 'Stopped',
    },
    {
      path: options.path ?? process.env.PATH ?? '/usr/bin:/bin',
      env: () => (typeof options.env === 'function' ? options.env(url) : (options.env ?? {})),
      apiKey,
    },
    files,
  );
  const jobs = new Map<string, JobRecord>();
  const recorded: RecordedRequest[] = [];
  const faults = new InjectedFaults<RescaleAction, RescaleFault>();
  const closing = new AbortController();
  let closed: Promise<void> | undefined;
  let url = '';

  const fileObject = (file: StoredFile): JsonObject => ({
    ...structuredClone(file.resource),
    downloadUrl: `${url}/api/v2/files/${file.id}/contents/`,
  });
  const findJob = (id: string): JobRecord => {
    const job = jobs.get(id);
    if (!job) throw notFound();
    return job;
  };
  const detail = (job: JobRecord): JsonObject => ({ ...structuredClone(job.resource), id: job.id, owner });
  const statusEntry = (entry: StatusEntry): JsonObject => ({ ...entry });
  const newestFirst = <T>(items: readonly T[]): T[] => [...items].reverse();
  const page = (items: readonly Json[], requestUrl: URL): Answer =>
    json(200, paginate(items, requestUrl, defaultPageSize, maxPageSize));

  /** An item of GET jobs/: the list shape of the 2016 docs [V], jobStatus with its date and reason [V]. */
  function listItem(job: JobRecord): JsonObject {
    const current = currentStatus(job);
    const analysis = (job.resource.jobanalyses as JsonObject[])[0]?.analysis as JsonObject | undefined;
    return {
      analysisNames: analysis ? [String(analysis.name)] : [],
      clusterStatusDisplay: { content: clusterStatus(current.status, job.submitted), labelClass: '', useLabel: false },
      dateInserted: job.dateInserted,
      id: job.id,
      isVisible: true,
      jobStatus: {
        content: current.status,
        statusDate: current.statusDate,
        statusReason: current.statusReason,
        labelClass: '',
        useLabel: false,
      },
      name: job.spec.name,
      owner,
      sharedWith: [],
      storage: 0,
    };
  }

  function create(body: Json | undefined): Answer {
    const { resource, spec } = readJobBody(body, coreTypes, files);
    // Five letters, as the docs' job ids ('OsKBd', 'LeeKa') [V the look].
    const id = shortId(5, (candidate) => jobs.has(candidate));
    const job: JobRecord = {
      id,
      resource,
      spec,
      dateInserted: rescaleDate(),
      statuses: [],
      submitted: false,
      dir: path.join(baseDir, 'jobs', id),
      finished: Promise.resolve(),
      outputs: [],
    };
    jobs.set(id, job);
    runner.enter(job, 'Pending');
    return json(201, detail(job));
  }

  function listJobs(requestUrl: URL): Answer {
    // [U] that v2's job list takes `search`, and that it matches a part of the name (DRF's SearchFilter does).
    const search = requestUrl.searchParams.get('search')?.toLowerCase() ?? '';
    const all = newestFirst([...jobs.values()]).filter((job) => job.spec.name.toLowerCase().includes(search));
    return page(all.map(listItem), requestUrl);
  }

  function submit(job: JobRecord): Answer {
    // [U] the code and the words of refusing a second submit.
    if (job.submitted) throw refused('Job has already been submitted.');
    runner.submit(job);
    return empty(200);
  }

  function stopJob(job: JobRecord): Answer {
    // [U] how Rescale refuses stopping a job that never started or has ended.
    if (!job.submitted) throw refused('Job has not been submitted.');
    if (isTerminal(job)) throw refused(`Job is already ${currentStatus(job).status}.`);
    if (currentStatus(job).status !== 'Stopping') runner.enter(job, 'Stopping', 'Stopped by user.');
    return empty(202);
  }

  function remove(job: JobRecord): Answer {
    // [V] not allowed while the job runs; [U] the code and the words.
    if (job.submitted && !isTerminal(job))
      throw refused(`Job is ${currentStatus(job).status}: stop it before deleting it.`);
    jobs.delete(job.id);
    rmSync(job.dir, { recursive: true, force: true });
    return empty(204);
  }

  const storedOutputs = (job: JobRecord): StoredFile[] =>
    job.outputs.filter((fileId) => files.has(fileId)).map((fileId) => files.get(fileId));
  const outputsOf = (job: JobRecord): Json[] => storedOutputs(job).map(fileObject);

  function findRun(id: string, run: string): JobRecord {
    const job = findJob(id);
    if (run !== '1' || job.dateStarted === undefined) throw notFound();
    return job;
  }

  /** directory-contents and tail "only apply to runs that are currently in-progress" [V]; otherwise 404 [U]. */
  function inProgress(id: string, run: string): JobRecord {
    const job = findRun(id, run);
    if (isTerminal(job) || job.child === undefined) throw notFound();
    return job;
  }

  function answer(where: Route, method: string, requestUrl: URL, incoming: IncomingMessage, raw: Buffer): Answer {
    const [id, run] = where.ids;
    switch (where.action) {
      case 'uploadFile': {
        const contentType = incoming.headers['content-type'];
        return json(201, fileObject(files.upload(readMultipart(contentType, raw), contentType)));
      }
      case 'listFiles':
        return page(files.all().map(fileObject), requestUrl);
      case 'getFile':
        return json(200, fileObject(files.get(id!)));
      case 'deleteFile':
        files.remove(id!);
        return empty(204);
      case 'downloadFile': {
        const file = files.get(id!);
        return {
          status: 200,
          body: '',
          file: file.source,
          headers: {
            'content-type': 'application/octet-stream',
            'content-length': String(file.resource.decryptedSize),
            'content-disposition': `attachment; filename="${String(file.resource.name).replace(/["\\\r\n]/g, '_')}"`,
          },
        };
      }
      case 'fileLines':
        return fileLines(files.get(id!).source, requestUrl);
      case 'listJobs':
        return listJobs(requestUrl);
      case 'createJob':
        return create(readJson(incoming, raw));
      case 'getJob':
        return json(200, detail(findJob(id!)));
      case 'deleteJob':
        return remove(findJob(id!));
      case 'submitJob':
        return submit(findJob(id!));
      case 'stopJob':
        return stopJob(findJob(id!));
      case 'jobStatuses':
        return page(newestFirst(findJob(id!).statuses).map(statusEntry), requestUrl);
      case 'jobFiles':
        return page(outputsOf(findJob(id!)), requestUrl);
      case 'jobRuns': {
        const job = findJob(id!);
        return page(job.dateStarted === undefined ? [] : [runOf(job, storedOutputs(job))], requestUrl);
      }
      case 'getRun': {
        const job = findRun(id!, run!);
        return json(200, runOf(job, storedOutputs(job)));
      }
      case 'stopRun':
        // The job's stop, answered as the docs' sample answers a run's: 200 {} [V]. One run per job here.
        stopJob(findRun(id!, run!));
        return json(200, {});
      case 'runDirectory':
        return runDirectory(runner.workDir(inProgress(id!, run!)), id!, run!);
      case 'tailFile':
        return tailFile(runner.workDir(inProgress(id!, run!)), where.ids[2]!, requestUrl);
      case 'runFiles':
        return page(outputsOf(findRun(id!, run!)), requestUrl);
      case 'coreTypes': {
        // [U] that isActive=true leaves out the deprecated types.
        const activeOnly = requestUrl.searchParams.get('isActive') === 'true';
        return page(
          coreTypes.filter((type) => !activeOnly || !type.isDeprecated).map((type) => ({ ...type })),
          requestUrl,
        );
      }
      default:
        throw methodNotAllowed(method, where.allowed);
    }
  }

  /** DRF's JSONParser: a body that is not JSON is a 400 "JSON parse error" [S]; another media type is 415 [S]. */
  function readJson(incoming: IncomingMessage, raw: Buffer): Json | undefined {
    const type = incoming.headers['content-type'] ?? '';
    if (raw.length === 0) return undefined;
    if (!/^application\/json/i.test(type))
      throw new RescaleError(415, { detail: `Unsupported media type "${type}" in request.` });
    try {
      return JSON.parse(raw.toString('utf8')) as Json;
    } catch (error) {
      throw new RescaleError(400, { detail: `JSON parse error - ${(error as Error).message}` });
    }
  }

  /** DRF's TokenAuthentication [S]: anything but `Token <key>` is no credentials; a wrong key is "Invalid token." */
  function authenticate(headers: IncomingHttpHeaders): void {
    const words = (headers.authorization ?? '').split(' ').filter((word) => word !== '');
    if (words[0]?.toLowerCase() !== 'token') throw unauthenticated(NO_CREDENTIALS);
    if (words.length === 1) throw unauthenticated('Invalid token header. No credentials provided.');
    if (words.length > 2) throw unauthenticated('Invalid token header. Token string should not contain spaces.');
    if (words[1] !== apiKey) throw unauthenticated(INVALID_TOKEN);
  }

  function respond(where: Route, method: string, requestUrl: URL, incoming: IncomingMessage, raw: Buffer): Answer {
    // Django's CommonMiddleware runs before the API view: with APPEND_SLASH and DEBUG off, a path that only matches
    // with a slash is redirected (301, relative Location, query kept) whatever the method, and a POST's body is lost
    // on the way [S] (Django's source; DEBUG would raise for POST/PUT/PATCH instead).
    if (where.allowed.length === 0 && wantsSlash(requestUrl.pathname))
      return {
        status: 301,
        body: '',
        headers: {
          location: `${requestUrl.pathname}/${requestUrl.search}`,
          'content-type': 'text/html; charset=utf-8',
        },
      };
    if (where.allowed.length === 0) return htmlNotFound();
    try {
      authenticate(incoming.headers);
      return answer(where, method, requestUrl, incoming, raw);
    } catch (error) {
      if (error instanceof RescaleError) return error.answer();
      throw error;
    }
  }

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const method = (incoming.method ?? 'GET').toUpperCase();
    // Django builds absolute links (a page's `next`) from the request's Host [S]: behind a proxy that keeps the
    // client's Host (bench/support/timing-proxy.ts, keepHost) they name the proxy, as on a real platform. Only a
    // loopback host:port is taken from the header; anything else is this server's own address.
    const requestUrl = new URL(incoming.url ?? '/', loopbackOrigin(incoming.headers.host) ?? url);
    const where = route(method, requestUrl.pathname);
    let body: Json | undefined;
    try {
      body = raw.length === 0 ? undefined : (JSON.parse(raw.toString('utf8')) as Json);
    } catch {
      body = undefined;
    }
    let upload: RecordedRequest['upload'];
    try {
      const file = readMultipart(incoming.headers['content-type'], raw)?.find((part) => part.name === 'file');
      if (file) upload = { filename: file.filename ?? '', size: file.data.length };
    } catch {
      upload = undefined;
    }
    const described = {
      action: where.action,
      method,
      path: requestUrl.pathname,
      query: Object.fromEntries(requestUrl.searchParams),
      headers: { ...incoming.headers },
      body,
      upload,
    };
    const fault = faults.take(described);
    const record: { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] } = {
      ...described,
      status: undefined,
      fault: fault?.kind,
    };
    recorded.push(record);

    if (fault?.kind === 'drop-before') return void incoming.socket.destroy();
    const reply =
      fault?.kind === 429 || fault?.kind === 500 || fault?.kind === 502 || fault?.kind === 503
        ? faultAnswer(fault.kind, fault.retryAfterSeconds)
        : respond(where, method, requestUrl, incoming, raw);
    record.status = reply.status;
    if (fault?.kind === 'drop-after') return void incoming.socket.destroy();
    if (fault?.kind === 'delay') await sleep(fault.delayMs ?? 0, undefined, { signal: closing.signal });
    if (reply.file !== undefined) {
      outgoing.writeHead(reply.status, reply.headers);
      createReadStream(reply.file).pipe(outgoing);
      return;
    }
    outgoing.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
    outgoing.end(reply.body);
  }

  const server = http.createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      if (outgoing.headersSent || incoming.socket.destroyed) return void incoming.socket.destroy();
      const failure = faultAnswer(500);
      outgoing.writeHead(500, {
        ...failure.headers,
        'x-stand-in-error': String(error)
          .slice(0, 200)
          .replace(/[^\x20-\x7e]/g, '?'),
      });
      outgoing.end(failure.body);
    });
  });
  url = await listenOnLoopback(server);
  // Commands must not outlive the test process, even when it ends without close().
  const onExit = (): void => runner.killAllNow();
  process.once('exit', onExit);

  const view = (job: JobRecord): RescaleJobView => {
    const current = currentStatus(job);
    return {
      id: job.id,
      name: job.spec.name,
      submitted: job.submitted,
      status: current.status,
      statusReason: current.statusReason,
      statuses: job.statuses.map((entry) => ({ ...entry })),
      exitCode: job.exitCode,
      detail: detail(job),
      outputFileIds: [...job.outputs],
      workDir: runner.workDir(job),
    };
  };

  return {
    url,
    apiKey,
    inject: (fault) => faults.inject(fault),
    requests: (match) => recorded.filter((request) => matchesRequest(match, request)),
    jobs: () => [...jobs.values()].map(view),
    job: (id) => {
      const job = jobs.get(id);
      return job ? view(job) : undefined;
    },
    files: () => files.all().map(fileObject),
    setStatus: (id, status, reason) => {
      const job = jobs.get(id);
      if (!job) throw new Error(`the Rescale stand-in has no job ${id}`);
      job.submitted = true;
      if (TERMINAL_STATUSES.includes(status)) void runner.settle(job, status, reason);
      else runner.enter(job, status, reason);
    },
    close: () => (closed ??= shutDown()),
  };

  async function shutDown(): Promise<void> {
    closing.abort();
    faults.clear();
    await runner.stopAll(jobs.values());
    await closeServer(server, onExit, baseDir);
  }
}

/** A stand-in for one test, closed (its commands killed) when the test ends. */
export async function rescaleServerFor(t: TestContext, options: RescaleServerOptions = {}): Promise<RescaleServer> {
  const server = await startRescaleServer(options);
  defer(t, () => server.close());
  return server;
}
