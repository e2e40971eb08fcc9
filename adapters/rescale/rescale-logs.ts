import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendContext, JobHandle, LogChunk, LogOptions } from '../../src/backend/training-backend.js';
import { watchIntervalOverride } from '../../src/util/watch-interval.js';
import { newestStatus } from './rescale-cancel.js';
import type { RescaleClient } from './rescale-client.js';
import { jobClient } from './rescale-job-client.js';
import { decodeRescaleDetails } from './rescale-details.js';
import { DLRUN_FILES, fileAt, jobFiles, readSmallFile } from './rescale-job-files.js';
import { rescaleIdOf } from './rescale-job-id.js';
import { RESCALE_TERMINAL } from './rescale-map-state.js';

/** How often `--follow` asks whether the job has ended, unless DLRUN_WATCH_INTERVAL_MS says otherwise. */
const FOLLOW_INTERVAL_MS = 10_000;
/** The most of a log read at once. */
const LOG_BYTES = 8 * 1024 * 1024;

/**
 * The job's log: the bootstrap's `dlrun/output.log`, which Rescale collects with the job's files when it ends [U:
 * the public API offers no read of a running job's files that dlrun could confirm]. With `follow`, waits while the
 * job runs (saying so once) and prints the log when it has ended.
 */
export async function* rescaleLogs(
  handle: JobHandle,
  options: LogOptions,
  context: BackendContext,
): AsyncIterable<LogChunk> {
  const details = decodeRescaleDetails(handle.details);
  if (!details.platform) return;
  const client = jobClient(details.platform, context);
  const id = await rescaleIdOf(client, handle);
  if (id === undefined) return;
  let said = false;
  for (;;) {
    const status = await newestStatus(client, id);
    if (RESCALE_TERMINAL.has(status)) {
      const text = await finalLog(client, id);
      if (text !== undefined) yield { text: tail(text, options.tailBytes) };
      else yield { text: `dlrun: Rescale job ${id} ended (${status}) and left no ${DLRUN_FILES.log}\n` };
      return;
    }
    if (!options.follow) return;
    if (!said) {
      said = true;
      yield { text: `dlrun: Rescale job ${id} is ${status}; its log is shown when it ends\n` };
    }
    await sleep(watchIntervalOverride(context.env) ?? FOLLOW_INTERVAL_MS, undefined, { signal: options.signal }).catch(
      () => undefined,
    );
    if (options.signal?.aborted) return;
  }
}

async function finalLog(client: RescaleClient, id: string): Promise<string | undefined> {
  const file = fileAt(await jobFiles(client, id), DLRUN_FILES.log);
  return file ? readSmallFile(client, file, LOG_BYTES) : undefined;
}

function tail(text: string, bytes: number | undefined): string {
  if (bytes === undefined || Buffer.byteLength(text) <= bytes) return text;
  return Buffer.from(text).subarray(-bytes).toString('utf8');
}
