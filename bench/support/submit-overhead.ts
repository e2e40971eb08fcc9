import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { timeChild, type RequestTime } from './aws-stand-in.js';
import type { Measurement } from './measurement.js';
import { CLI_BIN } from './paths.js';
import { median, medianAndP90 } from './statistics.js';
import { cleanEnv } from './time-commands.js';

/** One `dlrun submit`: its wall time and the provider requests it made, timed at the proxy. */
export interface SubmitSample {
  readonly ms: number;
  readonly provider: RequestTime;
  /** The requests by kind, a line per service, when the proxies count them so. */
  readonly kinds?: readonly string[];
}

export interface SubmitRounds {
  /** The first submit of a fresh ledger (it stages what later submits find there). */
  readonly first: SubmitSample;
  readonly samples: readonly SubmitSample[];
  /** `dlrun --help`, one per run, taking turns with the submits. */
  readonly help: readonly number[];
}

/**
 * The first submit of a fresh DLRUN_HOME once, then a warm-up submit and `runs` submits into another one, each
 * taking turns with `dlrun --help`, so that a busy spell of the machine weighs on both alike.
 */
export async function submitRounds(
  root: string,
  jobDir: string,
  runs: number,
  submit: (home: string) => Promise<SubmitSample>,
): Promise<SubmitRounds> {
  const home = (name: string) => {
    const folder = path.join(root, name);
    mkdirSync(folder);
    return folder;
  };
  const first = await submit(home('first'));
  const steady = home('steady');
  await submit(steady); // warm-up: what the first submit of a ledger stages is there from now on
  const samples: SubmitSample[] = [];
  const help: number[] = [];
  for (let run = 0; run < runs; run++) {
    samples.push(await submit(steady));
    help.push(
      (await timeChild([CLI_BIN, '--help'], { cwd: jobDir, env: cleanEnv({ HOME: steady, DLRUN_HOME: steady }) })).ms,
    );
  }
  return { first, samples, help };
}

export interface OverheadLabels {
  /** Whose requests: `AWS`, `Google`. */
  readonly provider: string;
  /** The steady submit's line, e.g. `dlrun submit (bucket and workdir already there)`. */
  readonly submit: string;
  /** What the first submit of a ledger does beyond the others, e.g. `creates the bucket, uploads the workdir`. */
  readonly first: string;
}

/**
 * The lines of a submit-overhead benchmark: the wall time, the time provider requests were in flight and their
 * sum, the difference (what dlrun adds), the part of it `dlrun --help` takes, and the first submit of a ledger.
 */
export function overheadMeasurements(rounds: SubmitRounds, labels: OverheadLabels): Measurement[] {
  const { samples, help, first } = rounds;
  const runs = samples.length;
  const wall = samples.map((sample) => sample.ms);
  const inFlight = samples.map((sample) => sample.provider.inFlightMs);
  const added = samples.map((sample) => sample.ms - sample.provider.inFlightMs);
  return [
    { label: labels.submit, figures: medianAndP90(wall), runs },
    {
      label: `  ${labels.provider} requests in flight (${samples[0]!.provider.requests} requests)`,
      figures: medianAndP90(inFlight),
      runs,
      ratio: { value: median(inFlight) / median(wall), of: 'wall' },
    },
    ...(samples[0]!.kinds ?? []).map((kinds) => ({ label: `    ${kinds}`, figures: [], runs: 1 })),
    {
      label: `  ${labels.provider} request times added up (overlaps counted twice)`,
      figures: medianAndP90(samples.map((sample) => sample.provider.sumMs)),
      runs,
    },
    {
      label: '  what dlrun adds (wall - in flight, per run)',
      figures: medianAndP90(added),
      runs,
      ratio: { value: median(added) / median(wall), of: 'wall' },
    },
    {
      label: '  of which starting Node and dlrun (dlrun --help)',
      figures: medianAndP90(help),
      runs,
      ratio: { value: median(help) / median(added), of: 'added' },
    },
    {
      label: `first submit of a ledger (${labels.first}; ${first.provider.requests} requests)`,
      figures: [
        { name: 'wall', ms: first.ms },
        { name: 'added', ms: first.ms - first.provider.inFlightMs },
      ],
      runs: 1,
    },
  ];
}
