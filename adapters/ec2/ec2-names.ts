/**
 * The names dlrun gives a job's things on AWS: its bucket, where its objects live, its objects' tags and its network
 * groups. Pure: the plan, the launch, status, logs, cancel, outputs and gc all name things through these.
 */
import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import { JOB_ID_TAG, LEDGER_TAG } from '../../src/backend/tags.js';

/** The bucket: backends.ec2.bucket, or one dlrun creates and names predictably from the ledger and region. */
export function bucketName(configured: string | undefined, ledgerId: LedgerId, region: string): string {
  return configured ?? `dlrun-${ledgerId}-${region}`;
}

/** Where a ledger's objects live in a bucket: under its own prefix, so a shared bucket never mixes two ledgers. */
export function ledgerPrefix(ledgerId: LedgerId): string {
  return `dlrun/${ledgerId}/`;
}

function jobPrefix(ledgerId: LedgerId, jobId: JobId): string {
  return `${ledgerPrefix(ledgerId)}jobs/${jobId}/`;
}

/** Where a ledger's staged workdir archives live; each is named by workdirArchiveKey (ec2-staging.ts). */
export function workdirsPrefix(ledgerId: LedgerId): string {
  return `${ledgerPrefix(ledgerId)}workdirs/`;
}

/** The bootstrap of one node: fetched once by that machine's user data stub, which then deletes it. */
export function bootstrapKey(ledgerId: LedgerId, jobId: JobId, rank: number): string {
  return `${jobPrefix(ledgerId, jobId)}bootstrap-node-${rank}.sh`;
}

/** The keys of one node's objects. */
export function nodeKeys(
  ledgerId: LedgerId,
  jobId: JobId,
  rank: number,
): Record<'log' | 'markers' | 'result' | 'outputs' | 'secrets' | 'address', string> {
  const base = `${jobPrefix(ledgerId, jobId)}nodes/${rank}/`;
  return {
    log: `${base}output.log`,
    markers: `${base}markers`,
    result: `${base}result`,
    outputs: `${base}outputs.tar.gz`,
    secrets: `${base}secrets.sh`,
    address: `${base}address`,
  };
}

/** Tags for an object dlrun uploads itself (the machine's own uploads are found by their key). */
export function objectTagging(jobId: JobId | undefined, ledgerId: LedgerId): string {
  const tags = new URLSearchParams({ [LEDGER_TAG]: ledgerId, ...(jobId ? { [JOB_ID_TAG]: jobId } : {}) });
  return tags.toString();
}

/** The name of a multi-node job's placement group and security group, found again by name for cleanup. */
export function clusterName(jobId: JobId): string {
  return `dlrun-${jobId}`;
}
