import { type JobId, asJobId } from '../../../src/backend/job-id.js';
import type { Ledger } from '../../../src/ledger/ledger.js';
import { PRICE, newJob, sampleBill } from './ledger-fixtures.js';

export const ENDED = asJobId('ended-20260101-1000-aaaa');
export const RUNNING = asJobId('running-20260102-1000-bbbb');
export const QUEUED = asJobId('queued-20260103-1000-cccc');

/** A laptop's ledger: an ended and billed EC2 job, a running one, one just written, two refused submits, a budget. */
export async function laptopLedger(ledger: Ledger): Promise<JobId[]> {
  await ledger.createJob(
    newJob(ENDED, '2026-01-01T10:00:00.000Z', {
      price: PRICE,
      quotedUsd: 0.7,
      providerDetails: { region: 'us-east-1', bucket: `dlrun-${ledger.id}-us-east-1`, nodes: 1 },
      spec: { name: 'ended', run: 'python train.py', env: { SEED: '1' } },
    }),
  );
  await ledger.recordChange(ENDED, {
    at: '2026-01-01T10:00:05.000Z',
    source: 'provider',
    state: 'provisioning',
    externalId: 'i-0abc',
    providerState: 'pending',
  });
  await ledger.recordChange(ENDED, {
    at: '2026-01-01T10:01:00.000Z',
    source: 'machine',
    state: 'running',
    phase: 'run',
  });
  await ledger.recordChange(ENDED, {
    at: '2026-01-01T10:11:00+02:00',
    source: 'provider',
    state: 'failed',
    exitCode: 3,
    providerState: 'terminated',
    message: 'the job exited with status 3',
  });
  await ledger.recordBill(ENDED, sampleBill(ENDED, 0.665));
  await ledger.createJob(
    newJob(RUNNING, '2026-01-02T10:00:00.000Z', { price: PRICE, owner: 'alice', host: 'alice-laptop' }),
  );
  await ledger.recordChange(RUNNING, {
    at: '2026-01-02T10:00:30.000Z',
    source: 'provider',
    state: 'running',
    externalId: 'i-0def',
    providerState: 'running',
  });
  await ledger.createJob(newJob(QUEUED, '2026-01-03T10:00:00.000Z'));
  for (const at of ['2026-01-01T09:00:00.000Z', '2026-01-01T09:30:00.000Z']) {
    await ledger.recordRefusedSubmit({
      at,
      jobName: 'bad',
      backend: 'ec2',
      jobFile: '/home/me/bad/job.yaml',
      reason: 'resources.gpus: 9 is more than g5.xlarge has',
      estimatedFailedStartUsd: 0.12,
    });
  }
  await ledger.setBudget({ amount_usd: 50, period: 'month', set_at: '2026-01-01T00:00:00.000Z' });
  return [ENDED, RUNNING, QUEUED];
}

/** Everything a ledger holds of these jobs, as its interface reads it. */
export async function contents(ledger: Ledger, jobIds: readonly JobId[]) {
  const jobs = [];
  for (const jobId of jobIds) {
    jobs.push({
      job: await ledger.getJob(jobId),
      spec: await ledger.getJobSpec(jobId),
      bill: await ledger.getBill(jobId),
    });
  }
  const events = await ledger.eventsOf(jobIds);
  return {
    jobs,
    events: jobIds.map((jobId) => events.get(jobId)!.map(({ id: _id, ...event }) => event)),
    spend: await ledger.listSpendRows(),
    refused: (await ledger.listRefusedSubmits()).map(({ id: _id, ...refused }) => refused),
  };
}
