import type { LedgerId } from '../../src/backend/job-id.js';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { loadConfig } from '../../src/config.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import { openLedger } from '../../src/ledger/open-ledger.js';
import { fleetJobIds, launchFleet, type FleetJob } from '../standins/ec2-fleet.js';

export const FLEET_REGION = 'us-east-1';

/** The details submit keeps for an EC2 job (toProviderDetails), so status finds its bucket and limit. */
export function ec2ProviderDetails(ledgerId: LedgerId): Record<string, string | number> {
  return { region: FLEET_REGION, bucket: `dlrun-${ledgerId}-${FLEET_REGION}`, nodes: 1, stopAfterSeconds: 3600 };
}

/**
 * Record launched EC2 jobs in the ledger as submit does (src/core/submit-job.ts): written first (submitting), then
 * provisioning, then the launch with its instance id. Each call is its own transaction, as in dlrun.
 */
export async function recordEc2Jobs(ledger: Ledger, jobs: readonly FleetJob[], submittedAt: string): Promise<void> {
  for (const job of jobs) {
    await ledger.createJob({
      jobId: job.jobId,
      name: job.jobId.replace(/-\d{8}-\d{4}-[0-9a-f]{4}$/, ''),
      backend: 'ec2',
      jobFile: '/home/researcher/sweep/job.yaml',
      spec: { name: 'sweep', backend: 'ec2', run: 'python train.py' },
      submittedAt,
      providerDetails: ec2ProviderDetails(ledger.id),
    });
    await ledger.recordChange(job.jobId, {
      at: submittedAt,
      source: 'dlrun',
      state: 'provisioning',
      message: 'staging the workdir and starting the machine',
    });
    await ledger.recordChange(job.jobId, {
      at: submittedAt,
      source: 'provider',
      providerState: 'launched',
      externalId: job.instanceId,
      message: 'launched',
    });
  }
}

/**
 * A DLRUN_HOME whose ledger holds `count` active EC2 jobs, each with one instance tagged for it (launched through
 * `ec2`, at moto or the proxy). The ledger is created first: its id is what the instances are tagged with.
 */
export async function homeWithEc2Jobs(
  home: string,
  ec2: EC2Client,
  count: number,
): Promise<{ ledgerId: LedgerId; jobs: FleetJob[] }> {
  const ledger = await openLedger(loadConfig({ DLRUN_HOME: home }, home));
  try {
    const jobs = await launchFleet(ec2, { ledgerId: ledger.id, jobIds: fleetJobIds(count) });
    // Long enough ago that a job EC2 does not list counts as ended, not as "not listed yet".
    await recordEc2Jobs(ledger, jobs, new Date(Date.now() - 3_600_000).toISOString());
    return { ledgerId: ledger.id, jobs };
  } finally {
    await ledger.close();
  }
}
