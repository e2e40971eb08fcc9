import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'vitest';
import Sqlite from 'better-sqlite3';
import { asJobId, asLedgerId } from '../../src/backend/job-id.js';
import { DlrunError, LedgerError } from '../../src/base/errors.js';
import { migrateLedger } from '../../src/core/migrate-ledger.js';
import type { ImportedJob, Ledger } from '../../src/ledger/ledger.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/ledger/migrations.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { SqliteSourceLedger } from '../../src/ledger/sqlite-source.js';
import { tempDir } from '../support/temp-dir.js';
import { PRICE, newJob, openTempLedger, sampleBill } from './support/ledger-fixtures.js';

const OPTIONS = { busyTimeoutMs: 5_000 };
import { ENDED, QUEUED, RUNNING, contents, laptopLedger } from './support/laptop-ledger.js';

async function twoLedgers(t: TestContext): Promise<{ source: SqliteLedger; file: string; target: SqliteLedger }> {
  const { ledger: source, file } = await openTempLedger(t);
  const { ledger: target } = await openTempLedger(t);
  return { source, file, target };
}

test('a ledger is copied whole: every job field, spec, bill, event and price at launch, refused submits', async (t) => {
  const { source, file, target } = await twoLedgers(t);
  const jobIds = await laptopLedger(source);
  const before = await contents(source, jobIds);
  await source.close();
  const bytes = readFileSync(file);
  const mtime = statSync(file).mtimeMs;

  const summary = await migrateLedger(target, file, { dryRun: false });
  assert.deepEqual(
    {
      jobs: summary.jobs,
      skipped: summary.skipped,
      events: summary.events,
      bills: summary.bills,
      refused: summary.refusedSubmits,
      budget: summary.budgetNotCopied,
    },
    { jobs: 3, skipped: 0, events: 4 + 2 + 1, bills: 1, refused: 2, budget: true },
  );
  assert.equal(summary.sourceLedgerId, source.id);
  assert.equal(summary.sourceSchemaVersion, LATEST_SCHEMA_VERSION);

  const after = await contents(target, jobIds);
  for (const copied of after.jobs) assert.equal(copied.job?.ledgerId, source.id, 'each job keeps its launch ledger');
  assert.deepEqual(
    after.jobs.map(({ job, ...rest }) => ({ job: { ...job, ledgerId: null }, ...rest })),
    before.jobs,
    'rows, specs and bills as they were, the price at launch included',
  );
  assert.deepEqual(after.jobs[0]!.job!.price, PRICE);
  assert.deepEqual(after.events, before.events, 'every event, its times, source and words, in the same order');
  assert.deepEqual(after.spend, before.spend, 'what report sums (billed time on the row) is the same');
  assert.deepEqual(after.refused, before.refused);
  assert.equal(await target.getBudget(), undefined, 'the budget is not copied');
  assert.deepEqual(await target.launchLedgerIds(), [target.id, source.id]);

  assert.ok(readFileSync(file).equals(bytes), 'the source file is only read');
  assert.equal(statSync(file).mtimeMs, mtime);
});

test('a second migrate copies nothing and changes nothing; a dry run writes nothing', async (t) => {
  const { source, file, target } = await twoLedgers(t);
  const jobIds = await laptopLedger(source);
  await source.close();

  const dry = await migrateLedger(target, file, { dryRun: true });
  assert.deepEqual([dry.jobs, dry.skipped, dry.events, dry.bills, dry.refusedSubmits], [3, 0, 7, 1, 2]);
  assert.equal(await target.countJobs(), 0, 'a dry run writes nothing');
  assert.deepEqual(await target.listRefusedSubmits(), []);

  await migrateLedger(target, file, { dryRun: false });
  const events = await target.eventsOf(jobIds);
  const once = { ...(await contents(target, jobIds)), ids: jobIds.map((jobId) => events.get(jobId)!.map((e) => e.id)) };
  const again = await migrateLedger(target, file, { dryRun: false });
  assert.deepEqual(
    [again.jobs, again.skipped, again.events, again.bills, again.refusedSubmits, again.refusedSubmitsSkipped],
    [0, 3, 0, 0, 0, 2],
  );
  const eventsAgain = await target.eventsOf(jobIds);
  assert.deepEqual(
    { ...(await contents(target, jobIds)), ids: jobIds.map((jobId) => eventsAgain.get(jobId)!.map((e) => e.id)) },
    once,
  );
  assert.deepEqual(again.conflicting, [], 'the jobs skipped are the ones copied before');
  const dryAgain = await migrateLedger(target, file, { dryRun: true });
  assert.deepEqual([dryAgain.jobs, dryAgain.skipped, dryAgain.refusedSubmits], [0, 3, 0]);
});

test('a job copied twice over keeps the ledger that launched it; copied back home it is its own again', async (t) => {
  const { ledger: a, file: fileA } = await openTempLedger(t);
  const { ledger: b, file: fileB } = await openTempLedger(t);
  const { ledger: c } = await openTempLedger(t);
  await a.createJob(newJob(ENDED));
  await migrateLedger(b, fileA, { dryRun: false });
  await b.createJob(newJob(RUNNING));
  await b.close();
  await migrateLedger(c, fileB, { dryRun: false });
  assert.equal((await c.getJob(ENDED))?.ledgerId, a.id);
  assert.equal((await c.getJob(RUNNING))?.ledgerId, asLedgerId(b.id));
  assert.deepEqual(await c.launchLedgerIds(), [c.id, ...[a.id, b.id].sort()]);
  // B's copy of A's job, brought back into A: already there. B's own job comes home as one of B's.
  const back = await migrateLedger(a, fileB, { dryRun: false });
  assert.deepEqual([back.jobs, back.skipped], [1, 1]);
  assert.equal((await a.getJob(ENDED))?.ledgerId, null);
});

/** A ledger at schema version 1, as an early build left it, with one billed job, its events, and no later tables. */
function versionOneLedger(file: string): void {
  const db = new Sqlite(file);
  db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  db.exec(MIGRATIONS[0]!.sqlite);
  db.prepare(
    'INSERT INTO ledger_meta (key, value) ' +
      "VALUES ('ledger_id', '0123456789abcdef'), ('created_at', '2026-11-01T00:00:00.000Z')",
  ).run();
  db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, ?, '2026-11-01T00:00:00.000Z')`).run(
    MIGRATIONS[0]!.name,
  );
  db.prepare(
    'INSERT INTO jobs (job_id, name, backend, state, job_file, price_json, quoted_usd, billed_usd, submitted_at, ' +
      'started_at, ended_at, exit_code, updated_at) ' +
      "VALUES ('old-job', 'old', 'local', 'succeeded', 'job.yaml', ?, 0.5, 0.665, '2026-11-01T00:00:00.000Z', " +
      "'2026-11-01T00:01:00.000Z', '2026-11-01T00:12:00.000Z', 0, '2026-11-01T00:12:01.000Z')",
  ).run(JSON.stringify(PRICE));
  db.prepare(`INSERT INTO job_documents (job_id, spec_json, bill_json) VALUES ('old-job', '{"name":"old"}', ?)`).run(
    JSON.stringify(sampleBill(asJobId('old-job'), 0.665)),
  );
  const event = db.prepare(
    'INSERT INTO job_events (job_id, at, recorded_at, source, state, phase, provider_state, message) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  event.run(
    'old-job',
    '2026-11-01T00:00:00.000Z',
    '2026-11-01T00:00:00.100Z',
    'dlrun',
    'submitting',
    'queued',
    null,
    'x',
  );
  event.run(
    'old-job',
    '2026-11-01T00:12:00.000Z',
    '2026-11-01T00:12:01.000Z',
    'provider',
    'succeeded',
    null,
    'done',
    null,
  );
  db.close();
}

test('a ledger of an older schema is read as it is, without upgrading it', async (t) => {
  const file = path.join(tempDir(t), 'old.db');
  versionOneLedger(file);
  const bytes = readFileSync(file);
  const { ledger: target } = await openTempLedger(t);
  const summary = await migrateLedger(target, file, { dryRun: false });
  assert.deepEqual([summary.jobs, summary.events, summary.bills, summary.refusedSubmits], [1, 2, 1, 0]);
  assert.equal(summary.sourceSchemaVersion, 1);
  assert.equal(summary.budgetNotCopied, false);
  const job = await target.getJob(asJobId('old-job'));
  assert.equal(job?.ledgerId, '0123456789abcdef');
  assert.deepEqual(
    [job?.state, job?.exitCode, job?.billedUsd, job?.endReason, job?.providerDetails, job?.endedAt],
    ['succeeded', 0, 0.665, null, null, '2026-11-01T00:12:00.000Z'],
  );
  assert.deepEqual(job?.price, PRICE);
  assert.equal((await target.getBill(asJobId('old-job')))?.total_usd, 0.665);
  assert.deepEqual(await target.getJobSpec(asJobId('old-job')), { name: 'old' });
  const [spend] = await target.listSpendRows();
  assert.equal(spend?.billedS, 665, 'the billed time comes from the bill, as migration 5 would have put it');
  const events = (await target.eventsOf(['old-job'])).get('old-job')!;
  assert.deepEqual(
    events.map((event) => [event.at, event.recordedAt, event.source, event.state, event.providerState, event.message]),
    [
      ['2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.100Z', 'dlrun', 'submitting', null, 'x'],
      ['2026-11-01T00:12:00.000Z', '2026-11-01T00:12:01.000Z', 'provider', 'succeeded', 'done', null],
    ],
  );
  assert.ok(readFileSync(file).equals(bytes), 'the old ledger is not upgraded in place');
  const db = new Sqlite(file, { readonly: true });
  assert.equal((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v, 1);
  db.close();
});

async function refusal(target: Ledger, from: string, pattern: RegExp): Promise<void> {
  await assert.rejects(migrateLedger(target, from, { dryRun: false }), (error: unknown) => {
    assert.ok(error instanceof LedgerError, String(error));
    assert.match(error.message, pattern);
    return true;
  });
  assert.equal(await target.countJobs(), 0);
}

test('refused with a clear error: no file, a folder, not a ledger, the same ledger, a newer schema', async (t) => {
  const { ledger: source, file } = await openTempLedger(t);
  await source.createJob(newJob(ENDED));
  const { ledger: target, file: targetFile } = await openTempLedger(t);
  const dir = tempDir(t);
  await refusal(target, path.join(dir, 'nothing.db'), /there is no ledger to copy at .*nothing\.db/);
  await refusal(target, dir, /is a folder, not a ledger file/);
  writeFileSync(path.join(dir, 'notes.txt'), 'hello, this is no database at all, just some text to read\n'.repeat(100));
  await refusal(target, path.join(dir, 'notes.txt'), /is not a dlrun ledger: it is not a SQLite database/);
  const other = new Sqlite(path.join(dir, 'other.db'));
  other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
  other.close();
  await refusal(target, path.join(dir, 'other.db'), /is not a dlrun ledger: it has no ledger_meta or jobs table/);
  const empty = new Sqlite(path.join(dir, 'empty.db'));
  empty.exec(MIGRATIONS[0]!.sqlite);
  empty.close();
  await refusal(target, path.join(dir, 'empty.db'), /is not a dlrun ledger: it has no ledger id/);
  await refusal(target, targetFile, /is the ledger in use: a ledger cannot be copied into itself/);
  await target.close();
  const copy = path.join(dir, 'copy.db');
  copyFileSync(targetFile, copy);
  const reopened = await SqliteLedger.open(targetFile, OPTIONS);
  t.onTestFinished(() => reopened.close());
  await refusal(reopened, copy, /is a copy of the ledger in use \(both have the id [0-9a-f]{16}\)/);
  await source.close();
  const newer = new Sqlite(file);
  newer.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')`).run();
  newer.close();
  await refusal(
    reopened,
    file,
    new RegExp(`written by a newer dlrun \\(schema 99, this dlrun knows ${LATEST_SCHEMA_VERSION}\\)`),
  );
});

test('a job that cannot be written leaves nothing of itself; the jobs before it stay', async (t) => {
  const { ledger: target } = await openTempLedger(t);
  const good: ImportedJob = {
    job: {
      ...(await (async () => {
        const { ledger: scratch } = await openTempLedger(t);
        await scratch.createJob(newJob(ENDED));
        return (await scratch.getJob(ENDED))!;
      })()),
      ledgerId: asLedgerId('0123456789abcdef'),
    },
    spec: { name: 'x' },
    bill: undefined,
    billedS: null,
    updatedAt: '2026-01-01T10:00:00.000Z',
    events: [
      {
        at: '2026-01-01T10:00:00.000Z',
        recordedAt: '2026-01-01T10:00:00.000Z',
        source: 'dlrun',
        state: 'submitting',
        phase: 'queued',
        providerState: null,
        message: null,
      },
    ],
  };
  const broken = { ...good, events: [...good.events, { ...good.events[0]!, at: null as unknown as string }] };
  await assert.rejects(target.importJob(broken));
  assert.equal(await target.getJob(ENDED), undefined, 'no row');
  assert.deepEqual((await target.eventsOf([ENDED])).get(ENDED), [], 'no events');
  assert.equal(await target.importJob(good), 'imported');
  assert.equal(await target.importJob(good), 'already-present');

  // Through migrate: a source job whose documents row is missing (written by something other than dlrun).
  const { ledger: source, file } = await openTempLedger(t);
  await source.createJob(newJob(RUNNING, '2026-01-02T10:00:00.000Z'));
  await source.createJob(newJob(QUEUED, '2026-01-03T10:00:00.000Z'));
  await source.close();
  const db = new Sqlite(file);
  db.prepare(`DELETE FROM job_documents WHERE job_id = ?`).run(QUEUED);
  db.close();
  const { ledger: into } = await openTempLedger(t);
  await assert.rejects(migrateLedger(into, file, { dryRun: false }), (error: unknown) => {
    assert.ok(error instanceof DlrunError);
    assert.match(error.message, new RegExp(`could not copy job ${QUEUED}`));
    assert.match(error.hint ?? '', /the 1 jobs copied before it are kept/);
    return true;
  });
  assert.ok(await into.getJob(RUNNING));
  assert.equal(await into.getJob(QUEUED), undefined);
  assert.deepEqual((await into.eventsOf([QUEUED])).get(QUEUED), []);
});

test('the source is read in one transaction, read-only, while a dlrun writes to it', async (t) => {
  const { ledger: source, file } = await openTempLedger(t);
  await source.createJob(newJob(ENDED));
  const reading = await SqliteSourceLedger.open(file);
  t.onTestFinished(() => reading.close());
  await source.createJob(newJob(RUNNING, '2026-01-02T10:00:00.000Z'));
  assert.deepEqual(reading.jobIds(), [ENDED], 'the snapshot taken when the copy began');
  reading.close();
});

test('a different job of the same id already here is not overwritten, and is named in the summary', async (t) => {
  const { source, file, target } = await twoLedgers(t);
  await source.createJob(newJob(ENDED, '2026-01-01T10:00:00.000Z'));
  await source.createJob(newJob(RUNNING, '2026-01-02T10:00:00.000Z'));
  await source.close();
  await target.createJob(newJob(ENDED, '2026-05-05T10:00:00.000Z', { spec: { name: 'the team one' } }));
  const summary = await migrateLedger(target, file, { dryRun: false });
  assert.deepEqual([summary.jobs, summary.skipped, summary.conflicting], [1, 1, [ENDED]]);
  assert.deepEqual(await target.getJobSpec(ENDED), { name: 'the team one' });
  assert.equal((await target.getJob(ENDED))?.ledgerId, null);
});
