import { performance } from 'node:perf_hooks';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { SeededRandom } from './random.js';

/**
 * Refusals as the validator words them (file:line: message), one per kind of mistake it catches before launch;
 * with the backend it was refused for and what one failed start there would have cost (null: no price known).
 */
const REFUSALS: readonly (readonly [string, string, number | null])[] = [
  ['ec2', 'job.yaml:4: run: train.py does not exist in the workdir', 0.0175],
  ['ec2', 'job.yaml:9: resources.gpu: A100 is not available on g4dn.xlarge', 0.0175],
  ['vertex', 'job.yaml:12: backends.vertex.machine_type: n1-standard-4 cannot carry 2 T4 GPUs', 0.0474],
  ['vertex', 'job.yaml:3: setup: pip install with no requirements.txt in the workdir', 0.0474],
  ['rescale', 'job.yaml:15: backends.rescale.core_type: emeral is no Rescale core type', null],
  ['rescale', 'job.yaml:6: env.EPOCHS is used but never set', 0.04],
  ['local', 'job.yaml:2: framework: pytorch==2.3.1 does not support compute capability 3.7', 0],
];
const DAY = 86_400_000;

export interface RefusedSeedSummary {
  readonly refused: number;
  /** The sum of the estimates, as `report` should total it. */
  readonly estimatedUsd: number;
  readonly ms: number;
}

/**
 * Record `count` refused submits in the ledger at `file` through the ledger API, spread over the past `days` days:
 * the `refused_submits` rows `report` counts as money the validator saved. A fixed seed keeps runs comparable.
 */
export async function seedRefusedSubmits(file: string, count: number, days: number): Promise<RefusedSeedSummary> {
  const start = performance.now();
  const random = new SeededRandom(20261206);
  const ledger = await SqliteLedger.open(file, { busyTimeoutMs: 10_000 });
  const now = Date.now();
  let estimatedUsd = 0;
  try {
    for (let index = 0; index < count; index++) {
      const [backend, reason, estimate] = random.pick(REFUSALS);
      await ledger.recordRefusedSubmit({
        at: new Date(now - random.between(0.1, days) * DAY).toISOString(),
        jobName: `refused-${index % 12}`,
        backend,
        jobFile: `/home/researcher/projects/refused-${index % 12}/job.yaml`,
        reason,
        estimatedFailedStartUsd: estimate,
      });
      estimatedUsd += estimate ?? 0;
    }
  } finally {
    await ledger.close();
  }
  return { refused: count, estimatedUsd, ms: performance.now() - start };
}
