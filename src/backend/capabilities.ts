/**
 * What a backend can do, as data, so checks run before any provider call and every "no" tells the user why.
 * A capability is either supported (with its details) or not (with a reason a person can read).
 */
export type Capability<Details extends object = object> =
  | ({ readonly supported: true } & Details)
  | { readonly supported: false; readonly reason: string };

export function supported<Details extends object>(details: Details): Capability<Details>;
export function supported(): Capability;
export function supported(details: object = {}): Capability<object> {
  return { supported: true, ...details };
}

export function unsupported(reason: string): { readonly supported: false; readonly reason: string } {
  return { supported: false, reason };
}

export interface BackendCapabilities {
  /** Whether this version of dlrun can launch jobs on the backend at all. */
  readonly launch: Capability;
  readonly gpu: Capability;
  readonly spot: Capability;
  /**
   * Several machines for one job; `maxNodes` is the largest job dlrun will launch. `commandOn: 'first-node'` when the
   * backend starts the job on its first node only, which reaches the others itself (MPI, as Rescale's jobs do);
   * otherwise dlrun starts it on every node, each told its rank.
   */
  readonly multiNode: Capability<{ readonly maxNodes: number; readonly commandOn?: 'every-node' | 'first-node' }>;
  /** Logs while the job runs (`follow`) or only after it ended. */
  readonly logs: Capability<{ readonly follow: boolean }>;
  /** Limits that the provider side enforces, so they hold when no dlrun process is running. */
  readonly providerEnforcedMaxRuntime: Capability;
  readonly providerEnforcedMaxCost: Capability;
  /** Refreshing many jobs in one provider call; `maxPerCall` is the API's page size. */
  readonly batchStatus: Capability<{ readonly maxPerCall: number }>;
  /** The provider's own billing figure for a job, beside dlrun's computed bill. */
  readonly providerBilling: Capability<{ readonly source: string }>;
  /**
   * Jobs run on a machine the user owns (this one), which costs what owning it costs: `quote` prices every job on
   * such a backend too, to compare the rented machines against.
   */
  readonly ownedMachine: Capability;
  /**
   * The job runs on the machine that submits it: that machine's commands, environment, GPUs and paths are the job's,
   * and nobody rents it out (the validator judges such a job against this machine, not a provider's image).
   */
  readonly runsOnSubmittingMachine: Capability;
  /**
   * A job can be reached (refreshed, cancelled, its logs and outputs read) only from the host that launched it: its
   * process and files are that machine's. From any other host sharing the ledger, dlrun shows the job as the ledger
   * last knew it and refuses to act on it.
   */
  readonly jobsLiveOnHost: Capability;
}

/** The reason to give for a capability, or undefined when it is supported. */
export function reasonUnsupported(capability: Capability<object>): string | undefined {
  return capability.supported ? undefined : capability.reason;
}
