import { setTimeout as sleep } from 'node:timers/promises';
import { StringDecoder } from 'node:string_decoder';
import type { BackendContext, JobHandle, LogChunk, LogOptions } from '../../src/backend/training-backend.js';
import { watchIntervalOverride } from '../../src/util/watch-interval.js';
import { newestStatus } from './rescale-cancel.js';
import type { RescaleClient } from './rescale-client.js';
import { decodeRescaleDetails } from './rescale-details.js';
import { jobClient } from './rescale-job-client.js';
import { DLRUN_FILES, downloadBytes, fileAt, jobFiles } from './rescale-job-files.js';
import { rescaleIdOf } from './rescale-job-id.js';
import { RESCALE_TERMINAL } from './rescale-map-state.js';

/** How often `--follow` reads the running job's log, unless DLRUN_WATCH_INTERVAL_MS says otherwise. */
const FOLLOW_INTERVAL_MS = 5_000;

/**
 * The job's log, the bootstrap's `dlrun/output.log`. While the job runs it is read through the run's live view of
 * its work directory (`GET /api/v2/jobs/{id}/runs/1/tail/dlrun/output.log/`, the raw file [V: 2016 API docs; the
 * path under /api/v2/ is S]); once the job has ended, from the job's output files. `follow` prints what is new on
 * each read (bytes past those printed) until the job ends and its final log is read. A live view that is not there
 * (before the command starts, or not offered) only means waiting for the final log.
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
  const decoder = new StringDecoder('utf8');
  let printed = 0;
  /** The part of `bytes` past what was printed; a log that got shorter was written anew and is printed whole. */
  const newPart = (bytes: Buffer): string => {
    if (bytes.length < printed) printed = 0;
    const text = decoder.write(bytes.subarray(printed));
    printed = bytes.length;
    return text;
  };
  for (;;) {
    const status = await newestStatus(client, id);
    if (RESCALE_TERMINAL.has(status)) {
      const bytes = await finalLog(client, id);
      if (bytes === undefined) {
        if (printed === 0)
          yield { text: `dlrun: Rescale job ${id} ended (${status}) and left no ${DLRUN_FILES.log}\n` };
        return;
      }
      const text = printed === 0 ? tail(bytes, options.tailBytes) : newPart(bytes);
      const rest = text + decoder.end();
      if (rest) yield { text: rest };
      return;
    }
    if (status === 'Executing') {
      const live = await liveLog(client, id);
      if (live !== undefined) {
        const text = newPart(live);
        if (text) yield { text };
      }
    }
    if (!options.follow) return;
    await sleep(watchIntervalOverride(context.env) ?? FOLLOW_INTERVAL_MS, undefined, { signal: options.signal }).catch(
      () => undefined,
    );
    if (options.signal?.aborted) return;
  }
}

/** The running job's log as it is now, or undefined when the live view has none (not started, not offered). */
async function liveLog(client: RescaleClient, id: string): Promise<Buffer | undefined> {
  return downloadBytes(client, `/api/v2/jobs/${encodeURIComponent(id)}/runs/1/tail/${DLRUN_FILES.log}/`).catch(
    () => undefined,
  );
}

async function finalLog(client: RescaleClient, id: string): Promise<Buffer | undefined> {
  const file = fileAt(await jobFiles(client, id), DLRUN_FILES.log);
  return file ? downloadBytes(client, `/api/v2/files/${encodeURIComponent(file.id)}/contents/`) : undefined;
}

/** With `tailBytes`, about the last that many bytes (the first line may be cut), as the other backends give. */
function tail(bytes: Buffer, tailBytes: number | undefined): string {
  if (tailBytes === undefined || bytes.length <= tailBytes) return bytes.toString('utf8');
  return bytes.subarray(-tailBytes).toString('utf8');
}
