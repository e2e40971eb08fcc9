/**
 * What the EC2 bootstrap of one launch needs, rendered into a shell script that dlrun stages in S3 (the user data
 * itself is only a small stub that sets the machine's own stop timer, fetches this script and runs it). Every URL is
 * presigned, so the machine holds no AWS credentials of the user's, ever.
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
  /** GET then DELETE: the job's secrets as `export NAME='value'` lines, read once and deleted at once; null without secrets. */
  readonly secretsGet: string | null;
  readonly secretsDelete: string | null;
  /**
   * PUT: this node's private address, for the other nodes' `TF_CONFIG` (TensorFlow on several nodes: a node knows
   * only its own address and node 0's, and TensorFlow wants every node's); null otherwise.
   */
  readonly address: string | null;
}

export interface Ec2BootstrapInput {
  readonly jobId: string;
  /** Job nodes in all; the nodes of this launch have ranks `firstRank`, `firstRank + 1`, ... by their launch index. */
  readonly nodes: number;
  readonly firstRank: number;
  /** Node 0's private address for the other nodes; undefined for node 0 itself, which reads its own from the metadata. */
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
  /** GET: a tar.gz of the shipped workdir. */
  readonly workdirUrl: string;
  /** Seconds after boot at which the job is stopped (max_runtime, or max_cost at the hourly price); null for none. */
  readonly stopAfterSeconds: number | null;
  /** Why, for the result's reason line ("max_runtime 4h"). */
  readonly stopReason: string | null;
  readonly logIntervalSeconds: number;
  /** URLs by launch index (entry i belongs to the node of rank firstRank + i). */
  readonly nodeUrls: readonly Ec2NodeUrls[];
  /**
   * GET: every node's address object (the one its `Ec2NodeUrls.address` PUTs), by rank, `nodes` entries in all;
   * empty unless TensorFlow runs on several nodes. A node polls the others' until they appear.
   */
  readonly addressUrls: readonly string[];
}

/** The user data stub's inputs: where the bootstrap is, and the machine's own stop timer. */
export interface Ec2StubInput {
  readonly jobId: string;
  /** GET: the rendered bootstrap script. */
  readonly bootstrapUrl: string;
  /** Minutes after boot at which the machine shuts itself down whatever happens (`shutdown -h +N`); null for none. */
  readonly shutdownAfterMinutes: number | null;
}
