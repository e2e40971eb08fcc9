import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendContext, JobHandle, LogChunk, LogOptions } from '../../src/backend/training-backend.js';
import { watchIntervalOverride } from '../../src/util/watch-interval.js';
import { ec2Clients } from './ec2-clients.js';
import { decodeEc2Details } from './ec2-details.js';
import { isEnded, ledgerInstances, rankOf } from './ec2-instances.js';
import { nodeKeys } from './ec2-names.js';
import { awsSdk } from './ec2-sdk.js';
import { getText } from './ec2-staging.js';

/** How often a followed log is read again: the machine uploads it every 15 s. DLRUN_WATCH_INTERVAL_MS overrides. */
const FOLLOW_INTERVAL_MS = 5_000;

function followIntervalOf(env: BackendContext['env']): number {
  return watchIntervalOverride(env) ?? FOLLOW_INTERVAL_MS;
}

/**
 * An EC2 job's output: the log node 0 uploads to S3 as it runs; before the first upload, the instance's console
 * output (buffered by EC2, the last 64 KB). With `follow`, new output until the job's result is there.
 */
export async function* ec2Logs(
  handle: JobHandle,
  options: LogOptions,
  context: BackendContext,
): AsyncIterable<LogChunk> {
  const details = decodeEc2Details(handle.details, context);
  // EC2 is asked only for the console output, before the first log upload.
  const clients = ec2Clients(details.region, context);
  const keys = nodeKeys(context.ledgerId, handle.jobId, 0);
  if (options.tailBytes !== undefined && !options.follow) {
    const tail = await logTail(clients.s3, details.bucket, keys.log, options.tailBytes);
    if (tail !== undefined) {
      yield { text: tail };
      return;
    }
  }
  let printed = 0;
  let consoleShown = false;
  for (;;) {
    if (options.signal?.aborted) return;
    const ended = (await getText(clients.s3, details.bucket, keys.result)) !== undefined;
    const log = await getText(clients.s3, details.bucket, keys.log);
    if (log !== undefined && log.length > printed) {
      yield { text: log.slice(printed) };
      printed = log.length;
    } else if (log === undefined && !consoleShown) {
      const console = await consoleOutput(clients.ec2, context, handle);
      if (console) {
        yield { text: `[dlrun: the machine has not uploaded its log yet; its console output follows]\n${console}` };
        consoleShown = true;
      }
    }
    if (ended && options.follow) await untilLeaderEnds(clients.ec2, handle, context, options.signal);
    if (!options.follow || ended) return;
    await sleep(
      followIntervalOf(context.env),
      undefined,
      options.signal ? { signal: options.signal } : undefined,
    ).catch(() => undefined);
  }
}

/** How long a followed log waits, after the result, for node 0's machine to end (it shuts down seconds after). */
const LEADER_END_WAIT_MS = 120_000;

/**
 * The result is the job's last upload, and node 0 shuts down right after it: following ends when the job does, as
 * status sees it (a job whose machine still runs is not over: it still bills).
 */
async function untilLeaderEnds(
  ec2: ReturnType<typeof ec2Clients>['ec2'],
  handle: JobHandle,
  context: BackendContext,
  signal: AbortSignal | undefined,
): Promise<void> {
  const giveUp = Date.now() + LEADER_END_WAIT_MS;
  while (Date.now() < giveUp && !signal?.aborted) {
    const nodes = (await ledgerInstances(ec2, context.ledgerId, [handle.jobId]).catch(() => [])).map(
      ({ instance }) => instance,
    );
    const leader = nodes.sort((a, b) => rankOf(a) - rankOf(b))[0];
    if (!leader || isEnded(leader)) return;
    await sleep(Math.min(followIntervalOf(context.env), 2_000), undefined, signal ? { signal } : undefined).catch(
      () => undefined,
    );
  }
}

/** Node 0's console: its id as the ledger recorded it, else as the job's tag finds it (a submit that died early). */
async function consoleOutput(
  ec2: ReturnType<typeof ec2Clients>['ec2'],
  context: BackendContext,
  handle: JobHandle,
): Promise<string | undefined> {
  const instanceId =
    handle.externalId?.split(',')[0] ||
    (await ledgerInstances(ec2, context.ledgerId, [handle.jobId]))[0]?.instance.InstanceId;
  if (!instanceId) return undefined;
  const { ec2: sdk } = awsSdk();
  const answer = await ec2.send(new sdk.GetConsoleOutputCommand({ InstanceId: instanceId })).catch(() => undefined);
  return answer?.Output ? Buffer.from(answer.Output, 'base64').toString('utf8') : undefined;
}

/** The last bytes of the uploaded log (an HTTP range read), or undefined when there is no log yet. */
async function logTail(
  s3: ReturnType<typeof ec2Clients>['s3'],
  bucket: string,
  key: string,
  bytes: number,
): Promise<string | undefined> {
  const { s3: sdk } = awsSdk();
  try {
    const answer = await s3.send(
      new sdk.GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=-${Math.max(1, Math.floor(bytes))}` }),
    );
    return await answer.Body?.transformToString('utf8');
  } catch {
    return undefined;
  }
}
