import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult } from './support/measurement.js';
import { rescaleRequestKinds, startRescaleBenchStand } from './support/rescale-bench-stand.js';
import { submitOverheadBench } from './support/submit-overhead.js';

const RUNS = 8;
const JOB = [
  'name: overhead',
  'run: python train.py',
  'resources: { cpus: 2 }',
  'limits:',
  '  max_runtime: 1h',
  '',
].join('\n');

/**
 * `dlrun submit --backend rescale` of a one-node CPU job (no --wait: it ends once the job is submitted) against the
 * Rescale stand-in behind a timing proxy. The proxy times every Rescale request; what remains of the wall time is
 * dlrun's own: Node's start, loading the job and axios, planning, the workdir archive, the ledger. The jobs stay
 * Queued: nothing runs. Every submit after the first finds the workdir's archive uploaded (its name is its
 * content's hash).
 */
export async function rescaleSubmitOverhead(): Promise<BenchmarkResult> {
  return submitOverheadBench({
    title: "What dlrun adds to a Rescale submit, beyond Rescale's own calls (stand-in)",
    backend: 'rescale',
    job: JOB,
    folderPrefix: 'dlrun-bench-rescale-submit-',
    runs: RUNS,
    labels: {
      provider: 'Rescale',
      submit: 'dlrun submit --backend rescale (workdir already uploaded)',
      first: 'uploads the workdir',
    },
    // What the adapter loads on first use (adapters/rescale/rescale-sdk.ts), in a fresh Node: axios's own cost.
    loading: { code: "require('axios');", label: 'loading axios in a fresh Node (minus node -e 0)' },
    method: {
      job: 'a one-line job of 2 cores (standard-plus), submitted with --backend rescale and without --wait',
      providerTime: 'Rescale time = requests in flight at the proxy in front of the Rescale stand-in',
      loading: 'the axios line: node -e require(...) and node -e 0 taking turns, per-run difference',
    },
    startStand: () => startRescaleBenchStand({ queuedMs: Number.POSITIVE_INFINITY }),
    kinds: (stand) => rescaleRequestKinds(stand),
  });
}

await runWhenMain(import.meta.url, rescaleSubmitOverhead);
