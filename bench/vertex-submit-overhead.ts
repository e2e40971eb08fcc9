import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult } from './support/measurement.js';
import { submitOverheadBench } from './support/submit-overhead.js';
import { requestKinds, startVertexBenchStand } from './support/vertex-bench-stand.js';

const RUNS = 8;
const JOB = [
  'name: overhead',
  'run: python train.py',
  'resources: { cpus: 4 }',
  'limits:',
  '  max_runtime: 1h',
  '',
].join('\n');

/**
 * `dlrun submit --backend vertex` of a one-node CPU job (no --wait: it ends once the custom job is created) against
 * the Vertex AI and Cloud Storage stand-ins, each behind a timing proxy. The proxies time every Google request;
 * what remains of the wall time is dlrun's own: Node's start, loading the job and Google's clients, planning,
 * the ledger. The custom jobs stay QUEUED: nothing runs.
 */
export async function vertexSubmitOverhead(): Promise<BenchmarkResult> {
  return submitOverheadBench({
    title: "What dlrun adds to a Vertex AI submit, beyond Google's own calls (stand-ins)",
    backend: 'vertex',
    job: JOB,
    folderPrefix: 'dlrun-bench-vertex-submit-',
    runs: RUNS,
    labels: {
      provider: 'Google',
      submit: 'dlrun submit --backend vertex (workdir already staged)',
      first: 'uploads the workdir',
    },
    // What the adapter loads on first use (adapters/vertex/vertex-sdk.ts), in a fresh Node: the SDKs' own cost.
    loading: {
      code: "require('googleapis/build/src/apis/aiplatform'); require('@google-cloud/storage');",
      label: "loading googleapis' aiplatform and @google-cloud/storage in a fresh Node (minus node -e 0)",
    },
    method: {
      job: 'a one-line job of 4 vCPUs, submitted with --backend vertex and without --wait',
      providerTime:
        'Google time = requests in flight at the proxies in front of the Vertex AI and Cloud Storage stand-ins',
      loading: 'the SDK line: node -e require(...) and node -e 0 taking turns, per-run difference',
    },
    startStand: () => startVertexBenchStand({ queuedMs: Number.POSITIVE_INFINITY }),
    kinds: (stand) => requestKinds(stand),
  });
}

await runWhenMain(import.meta.url, vertexSubmitOverhead);
