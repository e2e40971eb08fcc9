import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { newJobId, type JobId } from '../../src/backend/job-id.js';
import { billRulesOf, jobBill } from '../../src/core/job-bill.js';
import { storableSpec } from '../../src/core/storable-spec.js';
import { costOf } from '../../src/cost/price-snapshot.js';
import type { JobChange } from '../../src/ledger/ledger.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { loadJobFile } from '../../src/spec/load-job-file.js';
import { BACKEND_SAMPLES } from './backend-samples.js';
import {
  ACTIVE_FATES,
  ENDED_FATES,
  LOCAL_ACTIVE_FATES,
  jobHistory,
  randomDurations,
  type Fate,
} from './job-histories.js';
import { BENCH_FIXTURES } from './paths.js';
import { SeededRandom } from './random.js';

export interface SeedOptions {
  readonly jobs: number;
  readonly activeJobs: number;
  /** What the local backend reports for a running job: active local jobs are recorded with it. */
  readonly localRunningProviderState: string;
}

/** An active local job, whose folder must show it running (see stand-in-supervisor.ts). */
export interface RunningLocalJob {
  readonly jobId: JobId;
  readonly phaseStartedAt: Readonly<Record<string, string>>;
}

export interface SeedSummary {
  readonly jobs: number;
  readonly events: number;
  /** Calls to the ledger API, each its own transaction. */
  readonly writes: number;
  readonly ms: number;
  readonly runningLocalJobs: readonly RunningLocalJob[];
}

const JOB_NAMES = [
  'mnist-cnn',
  'resnet50-imagenet',
  'bert-finetune-squad',
  'gpt2-small-pretrain',
  'unet-segmentation',
  'whisper-tiny-finetune',
  'vit-cifar100',
  'llama-lora-sweep',
  'yolov8-coco',
  't5-summarize',
  'diffusion-tiny',
  'ppo-atari',
];
const MINUTE = 60_000;
/** Jobs are submitted about this far apart, so 10,000 of them span about a year. */
const SPACING = 50 * MINUTE;
/** The newest job was submitted this long ago: long enough that every seeded event lies in the past. */
const NEWEST_AGE = 3 * 60 * MINUTE;

/**
 * Fill the SQLite ledger at `file` through the ledger API, as dlrun itself writes it: each job's row, about
 * five events with their phases, and the bill of each job that ended. The API writes every change in its own
 * transaction; that is the fewest it allows.
 */
export async function seedLedger(file: string, options: SeedOptions): Promise<SeedSummary> {
  const start = performance.now();
  const random = new SeededRandom(20261126);
  const spec = storableSpec(loadJobFile(path.join(BENCH_FIXTURES, 'typical-job.yaml')).job) as object;
  const ledger = await SqliteLedger.open(file, { busyTimeoutMs: 10_000 });
  const now = Date.now();
  const usedIds = new Set<string>();
  let events = 0;
  let writes = 0;
  const runningLocalJobs: RunningLocalJob[] = [];
  try {
    for (let index = 0; index < options.jobs; index++) {
      const age = options.jobs - 1 - index;
      const backend = random.weighted(BACKEND_SAMPLES.map((sample) => [sample, sample.weight] as const));
      const local = backend.name === 'local';
      const active = isActive(age, options.activeJobs);
      // A local job starts at once, so an active one is running; the cloud backends also queue and provision.
      const fate: Fate = active
        ? random.weighted(local ? LOCAL_ACTIVE_FATES : ACTIVE_FATES)
        : random.weighted(ENDED_FATES);
      const providerStates =
        local && active
          ? { ...backend.providerStates, running: options.localRunningProviderState }
          : backend.providerStates;
      const name = random.pick(JOB_NAMES);
      const submittedAt = now - NEWEST_AGE - age * SPACING + random.between(-10, 10) * MINUTE;
      const jobId = uniqueJobId(name, submittedAt, random, usedIds);
      const externalId = backend.externalId(random);
      const history = jobHistory(
        fate,
        submittedAt,
        randomDurations(random),
        { ...providerStates, externalId },
        now - MINUTE,
      );
      let job = await ledger.createJob({
        jobId,
        name,
        backend: backend.name,
        jobFile: `/home/researcher/projects/${name}/job.yaml`,
        spec: { ...spec, name, backend: backend.name },
        submittedAt: new Date(submittedAt).toISOString(),
        price: backend.price,
        quotedUsd: costOf(4 * 3600, backend.price),
      });
      for (const change of history.changes) job = await ledger.recordChange(jobId, change);
      if (local && active) runningLocalJobs.push({ jobId, phaseStartedAt: phaseStarts(history.changes) });
      events += 1 + history.changes.length;
      writes += 1 + history.changes.length;
      // As dlrun bills a job when it sees it end: from its events, at the price stored at launch.
      if (history.endedAt !== null) {
        const jobEvents = (await ledger.eventsOf([jobId])).get(jobId) ?? [];
        const bill = jobBill(job, jobEvents, new Date(history.endedAt), await billRulesOf(job));
        if (bill) {
          await ledger.recordBill(jobId, bill);
          writes += 1;
        }
      }
    }
  } finally {
    await ledger.close();
  }
  return { jobs: options.jobs, events, writes, ms: performance.now() - start, runningLocalJobs };
}

/** The active jobs are among the most recent: every fourth of them, newest first. */
function isActive(age: number, activeJobs: number): boolean {
  return age % 4 === 0 && age / 4 < activeJobs;
}

function uniqueJobId(name: string, submittedAt: number, random: SeededRandom, usedIds: Set<string>): JobId {
  let jobId: JobId;
  do jobId = newJobId(name, new Date(submittedAt), Buffer.from(random.hex(4), 'hex'));
  while (usedIds.has(jobId));
  usedIds.add(jobId);
  return jobId;
}

function phaseStarts(changes: readonly JobChange[]): Record<string, string> {
  return Object.fromEntries(
    changes.filter((change) => change.phase !== undefined).map((change) => [change.phase!, change.at]),
  );
}
