import { setTimeout as sleep } from 'node:timers/promises';
import { DlrunError, ProviderError } from '../../src/base/errors.js';
import { isTerminal } from '../../src/backend/job-state.js';
import type { BackendContext, JobHandle, LogChunk, LogOptions } from '../../src/backend/training-backend.js';
import { watchIntervalOverride } from '../../src/util/watch-interval.js';
import type { VertexClients } from './vertex-clients.js';
import { clientsOf, decodeVertexDetails, jobObjects, stagingOf, type VertexJobDetails } from './vertex-details.js';
import { errorStatus, google } from './vertex-errors.js';
import { type CustomJob, findJob, parentOf } from './vertex-list-jobs.js';
import { mapVertexJob } from './vertex-map-state.js';
import { objectVersion, readObject } from './vertex-read-object.js';

/**
 * How often a followed log is read again, as on EC2: the bootstrap uploads it every 30 s (DLRUN_BOOT_LOG_INTERVAL)
 * and once more at the end. DLRUN_WATCH_INTERVAL_MS overrides.
 */
const FOLLOW_INTERVAL_MS = 5_000;
/** A job missing at Vertex this soon after its submit may just not be listed yet (as ec2-status.ts allows). */
const VISIBILITY_GRACE_MS = 5 * 60_000;
/** Rounds in a row a followed log may fail to be read (a network blip, a 503) before following gives up. */
const FOLLOW_FAILURES = 5;

/**
 * A Vertex AI job's output: the log node 0's bootstrap uploads to the staging bucket as it runs
 * (jobObjects().log(0)). Without `follow`, the log as it is now (with `tailBytes`, only its last bytes, by a ranged
 * read). With `follow`, only the bytes added since the last read (ranged reads from there), until the job has ended
 * at Vertex and the log's last upload was read. The text is the job's, unchanged: keeping terminal escapes off the
 * screen is the CLI's business (src/cli/visible-text.ts), as for every backend. UTF-8 is decoded across reads, so a
 * character cut between two uploads arrives whole.
 */
export async function* vertexLogs(
  handle: JobHandle,
  options: LogOptions,
  context: BackendContext,
): AsyncIterable<LogChunk> {
  const details = decodeVertexDetails(handle.details, context);
  if (details.bucket === '')
    throw new DlrunError(`job ${handle.jobId} has no staging bucket in the ledger, so dlrun cannot find its log`, {
      hint: 'the job was never launched on Vertex AI; `dlrun status` shows what became of it',
    });
  const clients = clientsOf(details, context);
  const reader = new LogReader(clients, details, jobObjects(details, context.ledgerId, handle.jobId).log(0));
  const signal = options.signal ?? context.signal;
  if (!options.follow) {
    const read = reader.read(options.tailBytes, signal);
    for await (const text of read) yield { text };
    if (!reader.found && !signal?.aborted) {
      const job = await jobNow(clients, details, handle, context, signal);
      if (job.ended) yield { text: `[dlrun: the job ended (${job.said}) without uploading a log]\n` };
    }
    return;
  }
  let failures = 0;
  for (;;) {
    if (signal?.aborted) return;
    try {
      // The job's state first, the log after: once the job is seen ended, the read that follows has its last upload.
      const job = await jobNow(clients, details, handle, context, signal);
      for await (const text of reader.readNew(signal)) yield { text };
      if (job.ended && !signal?.aborted) {
        const rest = reader.flush();
        if (rest) yield { text: rest };
        if (!reader.found) yield { text: `[dlrun: the job ended (${job.said}) without uploading a log]\n` };
        return;
      }
      failures = 0;
    } catch (error) {
      if (signal?.aborted) return;
      if (!(error instanceof ProviderError && error.isRetryable) || ++failures >= FOLLOW_FAILURES) throw error;
    }
    await sleep(
      watchIntervalOverride(context.env) ?? FOLLOW_INTERVAL_MS,
      undefined,
      signal ? { signal } : undefined,
    ).catch(() => undefined);
  }
}

/** Node 0's log, read where the last read stopped, its UTF-8 decoded across reads. */
class LogReader {
  private offset = 0;
  private decoder = new TextDecoder('utf-8');
  /** Whether the log object was there at any read. */
  found = false;

  constructor(
    private readonly clients: VertexClients,
    private readonly details: VertexJobDetails,
    private readonly name: string,
  ) {}

  /** The whole log once, or its last `tailBytes`; nothing when there is no log yet. */
  async *read(tailBytes: number | undefined, signal: AbortSignal | undefined): AsyncIterable<string> {
    const range = tailBytes !== undefined ? { last: tailBytes } : {};
    let first = tailBytes !== undefined;
    try {
      for await (let chunk of this.chunks(range, signal)) {
        // A tail that begins inside a character: its stray continuation bytes are left out.
        if (first) chunk = chunk.subarray(leadingContinuationBytes(chunk));
        first = false;
        const text = this.decoder.decode(chunk, { stream: true });
        if (text) yield text;
      }
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    const rest = this.flush();
    if (rest) yield rest;
  }

  /**
   * What the log gained since the last read. A log shorter than what was read was written anew (another upload
   * started it over): it is read again from its start, after a note saying so.
   */
  async *readNew(signal: AbortSignal | undefined): AsyncIterable<string> {
    const version = await objectVersion(
      this.clients.storage,
      stagingOf(this.details),
      this.name,
      this.clients.storageDeadline,
    );
    if (version === undefined) return;
    this.found = true;
    if (version.size < this.offset) {
      const rest = this.flush();
      const cut = rest && !rest.endsWith('\n') ? '\n' : '';
      yield `${rest}${cut}[dlrun: the log was written anew; it follows from its start]\n`;
      this.offset = 0;
    }
    if (version.size === this.offset) return;
    try {
      // The generation just seen: a newer upload in between is read at the next round, never mixed with this one.
      const range = { start: this.offset, end: version.size - 1, generation: version.generation };
      for await (const chunk of this.chunks(range, signal)) {
        this.offset += chunk.length;
        const text = this.decoder.decode(chunk, { stream: true });
        if (text) yield text;
      }
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /** Whatever the decoder holds back (a character cut at the end), once no more bytes will come. */
  flush(): string {
    const rest = this.decoder.decode();
    this.decoder = new TextDecoder('utf-8');
    return rest;
  }

  private async *chunks(
    range: Parameters<typeof readObject>[3],
    signal: AbortSignal | undefined,
  ): AsyncIterable<Buffer> {
    const location = stagingOf(this.details);
    const options = { deadline: this.clients.storageDeadline, ...(signal ? { signal } : {}) };
    for await (const chunk of readObject(this.clients.storage, location, this.name, range, options)) {
      this.found = true;
      yield chunk;
    }
  }
}

/** Bytes 10xxxxxx at the start of a buffer (at most 3: a UTF-8 character has at most 3 after its first byte). */
function leadingContinuationBytes(chunk: Buffer): number {
  let count = 0;
  while (count < 3 && count < chunk.length && ((chunk[count] ?? 0) & 0xc0) === 0x80) count++;
  return count;
}

function isMissing(error: unknown): boolean {
  return (error as { missing?: unknown } | undefined)?.missing === true;
}

/** Whether the job has ended at Vertex, and its state in words for a note. */
interface JobNow {
  readonly ended: boolean;
  readonly said: string;
}

/**
 * The job as Vertex reports it now: by its name when the ledger has it, else by its labels (a submit that died
 * before recording the name). A job Vertex does not have is over, unless it was submitted moments ago.
 */
async function jobNow(
  clients: VertexClients,
  details: VertexJobDetails,
  handle: JobHandle,
  context: BackendContext,
  signal: AbortSignal | undefined,
): Promise<JobNow> {
  const parent = parentOf(await clients.project(), details.region);
  let job: CustomJob | undefined;
  if (handle.externalId) {
    const name = handle.externalId.startsWith('projects/')
      ? handle.externalId
      : `${parent}/customJobs/${handle.externalId}`;
    try {
      const answer = await clients.aiplatform.projects.locations.customJobs.get({ name }, signal ? { signal } : {});
      job = answer.data;
    } catch (error) {
      if (errorStatus(error) !== 404) {
        await google(`reading the Vertex AI custom job ${name}`, () => Promise.reject(error), clients.deadline);
      }
    }
  } else {
    job = await findJob(clients, parent, context.ledgerId, handle.jobId, signal);
  }
  if (job === undefined) {
    const recent =
      !handle.externalId &&
      handle.submittedAt !== undefined &&
      Date.now() - Date.parse(handle.submittedAt) < VISIBILITY_GRACE_MS;
    return { ended: !recent, said: 'Vertex AI has no such custom job' };
  }
  const status = mapVertexJob({
    jobId: handle.jobId,
    job,
    stopAfterSeconds: details.stopAfter.seconds,
    observedAt: new Date().toISOString(),
  });
  return { ended: isTerminal(status.state), said: `${status.state}, ${status.providerState}` };
}
