import type { JobId } from '../../src/backend/job-id.js';

/**
 * What the EC2 bootstrap of one machine needs, rendered into a shell script that dlrun stages in S3 (the user data
 * itself is only a small stub that sets the machine's own stop timer, fetches this script, deletes it and runs it).
 * Every URL is presigned, so the machine holds no AWS credentials of the user's, ever. Each machine gets a bootstrap
 * of its own, holding only its own URLs: it is read once and deleted (ec2-backend.md, "How secrets travel").
 */
export interface Ec2NodeUrls {
  /** PUT: the job's output so far, uploaded again every `logIntervalSeconds` and once at the end. */
  readonly log: string;
  /** PUT: the phase markers (the job wrapper's `markers` file), uploaded with the log. */
  readonly markers: string;
  /** PUT: `exit_code=N` and `reason=...` lines, uploaded once when the job has ended, before the shutdown. */
  readonly result: string;
  /** PUT: a tar.gz of the outputs folder, uploaded at the end (node 0 only: other nodes' outputs stay unset). */
  readonly outputs: string | null;
  /**
   * GET then DELETE: the job's secrets as `export NAME='value'` lines, read once and deleted at once; null without
   * secrets. Valid only for the boot window.
   */
  readonly secretsGet: string | null;
  readonly secretsDelete: string | null;
  /**
   * PUT: this node's private address, for the other nodes' `TF_CONFIG` (TensorFlow on several nodes: a node knows
   * only its own address and node 0's, and TensorFlow wants every node's); null otherwise.
   */
  readonly address: string | null;
}

export interface Ec2BootstrapInput {
  readonly jobId: JobId;
  /** Job nodes in all. */
  readonly nodes: number;
  /** This machine's rank: 0 for the first node, then 1, 2, ... (the stub fetched the bootstrap of its launch index). */
  readonly rank: number;
  /**
   * Node 0's private address for the other nodes; undefined for node 0 itself, which reads its own from the metadata.
   */
  readonly masterAddress: string | undefined;
  readonly masterPort: number;
  readonly gpusPerNode: number;
  /** `TF_CONFIG` for TensorFlow jobs is built on the machine from the node addresses, when true. */
  readonly tensorflow: boolean;
  /** The job's `env:` values (no secrets). */
  readonly env: Readonly<Record<string, string>>;
  readonly setup: string | undefined;
  readonly run: string;
  /** The outputs folder, relative to the workdir. */
  readonly outputs: string;
  /** GET: a tar.gz of the shipped workdir; valid only for the boot window. */
  readonly workdirUrl: string;
  /** Seconds after boot at which the job is stopped (max_runtime, or max_cost at the hourly price); null for none. */
  readonly stopAfterSeconds: number | null;
  /** Why, for the result's reason line ("max_runtime 4h"). */
  readonly stopReason: string | null;
  readonly logIntervalSeconds: number;
  /** This machine's own URLs. */
  readonly urls: Ec2NodeUrls;
  /**
   * GET: every node's address object (the one its `Ec2NodeUrls.address` PUTs), by rank, `nodes` entries in all;
   * empty unless TensorFlow runs on several nodes. A node polls the others' until they appear.
   */
  readonly addressUrls: readonly string[];
}

/** One machine's bootstrap object: fetched once by the stub, then deleted by it. Both URLs live for the boot window. */
export interface Ec2BootstrapUrls {
  readonly get: string;
  readonly delete: string;
}

/** The user data stub's inputs: where each machine's bootstrap is, and the machine's own stop timer. */
export interface Ec2StubInput {
  readonly jobId: JobId;
  /**
   * By launch index: one machine's launch has one entry; a launch of several machines (the workers) one per
   * machine, which the stub picks by the launch index the instance metadata gives.
   */
  readonly bootstraps: readonly Ec2BootstrapUrls[];
  /** Minutes after boot at which the machine shuts itself down whatever happens (`shutdown -h +N`); null for none. */
  readonly shutdownAfterMinutes: number | null;
}
