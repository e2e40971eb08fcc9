import { type JobId, asJobId } from '../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test } from 'vitest';
import Sqlite from 'better-sqlite3';
import { createBackend } from '../../adapters/local/local-backend.js';
import type { TrainingBackend } from '../../src/backend/training-backend.js';
import { loadConfig } from '../../src/config.js';
import { settleBill } from '../../src/core/settle-bill.js';
import { newJob, openTempLedger, PRICE } from '../ledger/support/ledger-fixtures.js';
import { tempDir } from '../support/temp-dir.js';

/** A real backend whose provider cannot be reached for the bill's facts, or answers with none. */
function withFacts(billingFacts: TrainingBackend['billingFacts']): TrainingBackend {
  return { ...createBackend(), billingFacts };
}

async function endedJob(t: Parameters<typeof openTempLedger>[0]) {
  const { ledger } = await openTempLedger(t);
  await ledger.createJob(newJob(asJobId('ended-20260101-1000-aaaa'), '2026-01-01T10:00:00.000Z', { price: PRICE }));
  await ledger.recordChange(asJobId('ended-20260101-1000-aaaa'), {
    at: '2026-01-01T10:01:00.000Z',
    source: 'provider',
    state: 'running',
  });
  const job = await ledger.recordChange(asJobId('ended-20260101-1000-aaaa'), {
    at: '2026-01-01T10:31:00.000Z',
    source: 'provider',
    state: 'succeeded',
    exitCode: 0,
  });
  return { ledger, job, config: loadConfig({ DLRUN_HOME: tempDir(t) }) };
}

test(
  'an ended job whose provider cannot be asked gets a bill, but it is not recorded: ' + 'a later call settles it',
  async (t) => {
    const { ledger, job, config } = await endedJob(t);
    const unreachable = withFacts(() => Promise.reject(new Error('connect ECONNREFUSED')));
    const first = await settleBill(ledger, job, unreachable, config);
    assert.ok(first && first.total_usd > 0);
    assert.equal(await ledger.getBill(job.jobId), undefined, 'not recorded while the provider could not be asked');

    const answered = await settleBill(
      ledger,
      job,
      withFacts(() => Promise.resolve(undefined)),
      config,
    );
    assert.deepEqual(
      await ledger.getBill(job.jobId),
      answered,
      'recorded once the provider answered (here: nothing more to add)',
    );
  },
);

test('a backend without billing facts, or none at all, settles from the ledger alone', async (t) => {
  const { ledger, job, config } = await endedJob(t);
  const bill = await settleBill(ledger, job, undefined, config);
  assert.deepEqual(await ledger.getBill(job.jobId), bill);
  assert.equal(bill?.billed_s, 1800);
});

/**
 * An EC2 job's price as dlrun stored it before the price basis became opaque to the rest of dlrun: the basis under
 * the key `ec2` of `jobs.price_json`. Two g4dn.xlarge nodes with 100 GiB gp3 root volumes, priced in April 2026.
 */
const LEGACY_EC2_PRICE_JSON =
  '{"machine":"2 x g4dn.xlarge","rate_per_hour_usd":1.074222,"billing_increment_s":1,"minimum_billed_s":60,' +
  '"price_source":"us-east-1 on-demand Linux g4dn.xlarge $0.526/h x 2 nodes","price_as_of":"2026-02-09",' +
  '"ec2":{"region":"us-east-1","instance_type":"g4dn.xlarge","nodes":2,"on_demand_usd_per_hour":0.526,' +
  '"root_volume":{"volume_type":"gp3","size_gib":100,"usd_per_gb_month":0.08}}}';

/** An EC2 job that ran from 12:00 to 12:30 on two instances, with its price row written as `priceJson`. */
async function storedEc2Job(t: Parameters<typeof openTempLedger>[0], jobId: JobId, priceJson: string) {
  const { ledger, file } = await openTempLedger(t);
  await ledger.createJob(newJob(jobId, '2026-04-10T11:59:00.000Z', { price: PRICE }));
  await ledger.recordChange(jobId, {
    at: '2026-04-10T12:00:00.000Z',
    source: 'provider',
    state: 'running',
    externalId: 'i-0a,i-0b',
  });
  await ledger.recordChange(jobId, { at: '2026-04-10T12:30:00.000Z', source: 'provider', state: 'succeeded' });
  const db = new Sqlite(file);
  db.prepare('UPDATE jobs SET price_json = ? WHERE job_id = ?').run(priceJson, jobId);
  db.close();
  return { ledger, job: (await ledger.getJob(jobId))!, config: loadConfig({ DLRUN_HOME: tempDir(t) }) };
}

test(
  'an EC2 job stored with its price basis under the ' + 'old `ec2` key is billed under EC2 rules, as before',
  async (t) => {
    const legacy = await storedEc2Job(t, asJobId('old-20260410-1159-aaaa'), LEGACY_EC2_PRICE_JSON);
    const bill = await settleBill(legacy.ledger, legacy.job, undefined, legacy.config);
    assert.deepEqual(
      bill?.line_items.map((item) => [item.item, item.quantity, item.unit_price_usd, item.total_usd]),
      [
        ['i-0a (g4dn.xlarge, on-demand)', 0.5, 0.526, 0.263],
        ['i-0b (g4dn.xlarge, on-demand)', 0.5, 0.526, 0.263],
        // 100 GiB for 1800 s of a 30-day month: 100 x 1800 / 2,592,000 GB-months at $0.08.
        ['root volume (gp3, 100 GiB, root of i-0a)', 0.069444, 0.08, 0.0056],
        ['root volume (gp3, 100 GiB, root of i-0b)', 0.069444, 0.08, 0.0056],
      ],
    );
    assert.equal(bill?.total_usd, 0.5372, 'not the flat 1800 s at $1.074222/h ($0.5371)');
    assert.equal(bill?.billed_s, 3600, 'instance seconds, both nodes');
    assert.deepEqual(await legacy.ledger.getBill(legacy.job.jobId), bill, 'recorded');

    const current = await storedEc2Job(
      t,
      asJobId('new-20260410-1159-aaaa'),
      LEGACY_EC2_PRICE_JSON.replace('"ec2":', '"basis":'),
    );
    const same = await settleBill(current.ledger, current.job, undefined, current.config);
    assert.deepEqual({ ...same, job_id: bill?.job_id }, bill, 'the same bill as a job stored with `basis`');
  },
);
