import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import { detailReader } from '../../src/backend/provider-details.js';
import type { ProviderDetails, StopAfter } from '../../src/backend/training-backend.js';

/**
 * What the Rescale adapter decides when it plans a job and needs again later: at submit, and to find the job again
 * (status, logs, cancel, outputs, gc). Kept in the ledger with the job as `encodeRescaleDetails` writes it.
 */
export interface RescaleJobDetails {
  /** The platform's base URL, e.g. https://platform.rescale.com (or a loopback stand-in). */
  readonly platform: string;
  /** hardware.coreType: a code from /api/v2/coretypes/. */
  readonly coreType: string;
  /** hardware.coresPerSlot: the cores of one node. */
  readonly coresPerSlot: number;
  /** hardware.slots: resources.nodes. */
  readonly slots: number;
  /** isLowPriority (On-Demand Economy): resources.spot. */
  readonly lowPriority: boolean;
  /** hardware.walltime in whole hours, from the job's limit rounded up; null for none. */
  readonly walltimeHours: number | null;
  readonly stopAfter: StopAfter;
  /** The name of the workdir's archive as an input file (its content hash): an unchanged workdir reuses the file. */
  readonly workdirFileName: string | null;
}

export function encodeRescaleDetails(details: RescaleJobDetails): ProviderDetails {
  return {
    platform: details.platform,
    coreType: details.coreType,
    coresPerSlot: details.coresPerSlot,
    slots: details.slots,
    lowPriority: details.lowPriority,
    walltimeHours: details.walltimeHours,
    stopAfterSeconds: details.stopAfter.seconds,
    stopReason: details.stopAfter.reason,
    workdirFileName: details.workdirFileName,
  };
}

/** The details a plan or the ledger kept; `platform` is '' for a job that never had one (nothing to find). */
export function decodeRescaleDetails(details: ProviderDetails | undefined): RescaleJobDetails {
  const { text, number, flag } = detailReader(details);
  return {
    platform: text('platform') ?? '',
    coreType: text('coreType') ?? '',
    coresPerSlot: number('coresPerSlot') ?? 1,
    slots: Math.max(1, Math.floor(number('slots') ?? 1)),
    lowPriority: flag('lowPriority'),
    walltimeHours: number('walltimeHours') ?? null,
    stopAfter: { seconds: number('stopAfterSeconds') ?? null, reason: text('stopReason') ?? null },
    workdirFileName: text('workdirFileName') ?? null,
  };
}

const NAME_PREFIX = 'dlrun ';

/**
 * The Rescale job's `name`: `dlrun <job id>`. Create and submit take no request id at Rescale, so the job is found
 * again by this name (before every create and retry, and by status after a submit that died).
 */
export function rescaleJobName(jobId: JobId): string {
  return `${NAME_PREFIX}${jobId}`;
}

/** The dlrun job id a Rescale job's name carries, or undefined for a job dlrun did not name. */
export function jobIdOfName(name: string | null | undefined): string | undefined {
  return name?.startsWith(NAME_PREFIX) ? name.slice(NAME_PREFIX.length) : undefined;
}

/** The job's `description`: which ledger started it, so `gc` touches only this ledger's jobs. */
export function rescaleJobDescription(jobId: JobId, ledgerId: LedgerId): string {
  return `started by dlrun for job ${jobId}; dlrun-ledger: ${ledgerId}`;
}

/** Whether a job's description says this ledger started it. */
export function startedByLedger(description: string | null | undefined, ledgerId: LedgerId): boolean {
  return (description ?? '').endsWith(`; dlrun-ledger: ${ledgerId}`);
}
