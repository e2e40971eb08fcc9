import assert from 'node:assert/strict';
import { test } from 'vitest';
import { migrateLedger } from '../../../src/core/migrate-ledger.js';
import { LATEST_SCHEMA_VERSION } from '../../../src/ledger/migrations.js';
import { contents, laptopLedger } from '../support/laptop-ledger.js';
import { newJob, openTempLedger } from '../support/ledger-fixtures.js';
import { asJobId } from '../../../src/backend/job-id.js';
import type { OpenLedger } from './ledger-conformance.js';

// The Ledger contract for `dlrun ledger migrate`: a laptop's SQLite ledger copied into this ledger (a team's
// PostgreSQL ledger, above all), whole, once, each job keeping the ledger id its provider resources carry.
export function importCases(open: OpenLedger): void {
  test('a laptop ledger is copied in whole, once: jobs, owners, events, bills, prices, refused submits', async (t) => {
    const target = await open(t);
    if (!target) return;
    const { ledger: laptop, file } = await openTempLedger(t);
    const jobIds = await laptopLedger(laptop);
    const before = await contents(laptop, jobIds);
    await laptop.close();
    await target.createJob(newJob(asJobId('team-20260105-1000-dddd'), '2026-01-05T10:00:00.000Z'));

    const first = await migrateLedger(target, file, { dryRun: false });
    assert.deepEqual([first.jobs, first.skipped, first.bills, first.refusedSubmits], [3, 0, 1, 2]);
    const after = await contents(target, jobIds);
    assert.deepEqual(
      after.jobs.map(({ job, ...rest }) => ({ job: { ...job, ledgerId: null }, ...rest })),
      before.jobs,
      'every field of every job, its owner and host, spec, bill and price at launch',
    );
    for (const copied of after.jobs) assert.equal(copied.job?.ledgerId, first.sourceLedgerId);
    assert.deepEqual(after.events, before.events);
    assert.deepEqual(after.refused, before.refused);
    assert.deepEqual(await target.launchLedgerIds(), [target.id, first.sourceLedgerId]);

    const second = await migrateLedger(target, file, { dryRun: false });
    assert.deepEqual([second.jobs, second.skipped, second.refusedSubmits], [0, 3, 0], 'safe to run twice');
    assert.deepEqual(await contents(target, jobIds), after, 'the second run changed nothing');

    const info = await target.info();
    assert.deepEqual([info.id, info.jobs, info.schemaVersion], [target.id, 4, LATEST_SCHEMA_VERSION]);
    assert.ok(info.sizeBytes > 0, `size ${info.sizeBytes}`);
  });

  test('importJob of a job already present leaves the one there as it is', async (t) => {
    const target = await open(t);
    if (!target) return;
    const { ledger: laptop } = await openTempLedger(t);
    const [ended] = await laptopLedger(laptop);
    const job = (await laptop.getJob(ended!))!;
    const events = (await laptop.eventsOf([ended!])).get(ended!)!.map(({ id: _id, jobId: _job, ...event }) => event);
    const imported = {
      job: { ...job, ledgerId: laptop.id },
      spec: await laptop.getJobSpec(ended!),
      bill: await laptop.getBill(ended!),
      billedS: 665,
      updatedAt: '2026-01-01T12:00:00.000Z',
      events,
    };
    assert.equal(await target.importJob(imported), 'imported');
    assert.equal(await target.importJob({ ...imported, job: { ...imported.job, name: 'changed' } }), 'already-present');
    assert.equal((await target.getJob(ended!))?.name, job.name);
    assert.equal((await target.eventsOf([ended!])).get(ended!)?.length, events.length, 'no event twice');
  });
}
