import type { FrameworkPin } from '../spec/units/framework.js';

/** The default rendezvous port of PyTorch's and TensorFlow's distributed runtimes. */
export const DEFAULT_MASTER_PORT = 29500;

export interface NodePlacement {
  readonly jobId: string;
  readonly backend: string;
  readonly workdir: string;
  readonly outputDir: string;
  readonly nodes: number;
  readonly rank: number;
  readonly masterAddress: string;
  readonly masterPort?: number;
  readonly gpusPerNode: number;
  readonly framework: FrameworkPin | undefined;
  /** Every node's address, in rank order, for TF_CONFIG. */
  readonly nodeAddresses: readonly string[];
}

/**
 * The variables every job gets on every backend (JOB-SPEC.md section 1), so that one job file runs the same
 * anywhere and torchrun or TF_CONFIG can be wired from them.
 */
export function dlrunVariables(placement: NodePlacement): Record<string, string> {
  const port = placement.masterPort ?? DEFAULT_MASTER_PORT;
  const variables: Record<string, string> = {
    DLRUN_JOB_ID: placement.jobId,
    DLRUN_BACKEND: placement.backend,
    DLRUN_WORKDIR: placement.workdir,
    DLRUN_OUTPUT_DIR: placement.outputDir,
    DLRUN_NUM_NODES: String(placement.nodes),
    DLRUN_NODE_RANK: String(placement.rank),
    DLRUN_MASTER_ADDR: placement.masterAddress,
    DLRUN_MASTER_PORT: String(port),
    DLRUN_GPUS_PER_NODE: String(placement.gpusPerNode),
  };
  if (placement.framework?.name === 'tensorflow') {
    variables.TF_CONFIG = JSON.stringify({
      cluster: { worker: placement.nodeAddresses.map((address) => `${address}:${port}`) },
      task: { type: 'worker', index: placement.rank },
    });
  }
  return variables;
}

/**
 * The variables a job that runs on the submitting machine (the local backend) takes from the submitting shell: what
 * programs need to find commands, the user's home and language, and the proxies downloads must go through. Nothing
 * else of the shell (its credentials, tokens, tool settings) and nothing of `.env`: everything else a job needs is in
 * its `env:` and `secrets`. docs/local-backend.md lists these and says why.
 */
export const INHERITED_VARIABLES: readonly string[] = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  // pip, conda, curl and dataset downloads on a network that goes out only through a proxy fail without them; they
  // come from the user's own shell, which already sends this machine's traffic that way.
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
];

/** The submitting shell's variables a job on this machine inherits: INHERITED_VARIABLES and the locale's LC_*. */
export function inheritedEnvironment(shell: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const [name, value] of Object.entries(shell)) {
    if (value !== undefined && (INHERITED_VARIABLES.includes(name) || /^LC_[A-Z_]+$/.test(name)))
      inherited[name] = value;
  }
  return inherited;
}
