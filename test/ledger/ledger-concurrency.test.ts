import { asJobId } from '../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'vitest';
import { MIGRATIONS } from '../../src/ledger/migrations.js';
import Sqlite from 'better-sqlite3';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { tempDir } from '../support/temp-dir.js';
import { HelperProcess } from './support/helper-process.js';
import { newJob } from './support/ledger-fixtures.js';

const WRITERS = 5;
const JOBS_PER_WRITER = 200;
// Long enough that queued writers never give up: this test is about queueing, not about the timeout.
const PATIENT = { DLRUN_LEDGER_TIMEOUT_MS: '120000' };

/** Start writers that wait at a barrier, then release them together so their writes really overlap. */
async function startTogether(writers: HelperProcess[]): Promise<void> {
  await Promise.all(writers.map((writer) => writer.waitForLine(/^ready$/)));
  for (const writer of writers) writer.send('go');
}

test('writers in several processes at once lose nothing and leave an intact ledger', async (t) => {
  const file = path.join(tempDir(t), 'ledger.db');
  const setup = await SqliteLedger.open(file, { busyTimeoutMs: 5_000 });
  await setup.createJob(newJob(asJobId('shared-1')));
  await setup.close();

  const writers = Array.from(
    { length: WRITERS },
    (_, index) =>
      new HelperProcess(
        t,
        'ledger-writer',
        ['--file', file, '--tag', `w${index}`, '--count', String(JOBS_PER_WRITER), '--shared', 'shared-1', '--barrier'],
        {
          env: PATIENT,
        },
      ),
  );
  await startTogether(writers);
  const results = await Promise.all(writers.map((writer) => writer.finished));
  for (const result of results)
    assert.equal(result.code, 0, `a writer failed: ${result.lines.join(' | ')} ${result.stderr}`);

  const ledger = await SqliteLedger.open(file, { busyTimeoutMs: 5_000 });
  t.onTestFinished(() => {
    ledger.close();
  });
  assert.equal(await ledger.countJobs(), WRITERS * JOBS_PER_WRITER + 1);
  const jobIds = Array.from({ length: WRITERS }, (_, writer) =>
    Array.from({ length: JOBS_PER_WRITER }, (_, index) => asJobId(`writer-w${writer}-${index}`)),
  ).flat();
  const events = await ledger.eventsOf([...jobIds, asJobId('shared-1')]);
  for (const jobId of jobIds) {
    const own = events.get(jobId)!;
    assert.deepEqual(
      own.map((event) => event.state),
      ['submitting', 'running'],
      jobId,
    );
    assert.equal((await ledger.getJob(jobId))?.state, 'running', jobId);
  }
  const shared = events.get('shared-1')!;
  assert.equal(shared.length, WRITERS * JOBS_PER_WRITER + 1, 'every writer event on the shared job, plus its creation');
  const messages = new Set(shared.slice(1).map((event) => event.message));
  for (let writer = 0; writer < WRITERS; writer++) {
    for (let index = 0; index < JOBS_PER_WRITER; index++)
      assert.ok(messages.has(`w${writer}-${index}`), `event w${writer}-${index} is there`);
  }
  // Each writer's own events on the shared job keep the order it wrote them in.
  for (let writer = 0; writer < WRITERS; writer++) {
    const own = shared
      .filter((event) => event.message?.startsWith(`w${writer}-`))
      .map((event) => Number(event.message!.split('-')[1]));
    assert.deepEqual(
      own,
      [...own].sort((a, b) => a - b),
      `writer ${writer} in order`,
    );
  }
  const db = new Sqlite(file, { readonly: true });
  t.onTestFinished(() => {
    db.close();
  });
  assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
});

test('processes creating the same new ledger at once agree on one ledger id and one migration', async (t) => {
  const creators = 8;
  for (let round = 0; round < 3; round++) {
    const file = path.join(tempDir(t), 'home', 'ledger.db');
    const writers = Array.from(
      { length: creators },
      () => new HelperProcess(t, 'ledger-writer', ['--file', file, '--barrier'], { env: PATIENT }),
    );
    await startTogether(writers);
    const results = await Promise.all(writers.map((writer) => writer.finished));
    const ids = results.map((result) => {
      assert.equal(result.code, 0, `a creator failed: ${result.lines.join(' | ')} ${result.stderr}`);
      return result.lines.find((line) => line.startsWith('ledger '))!.slice('ledger '.length);
    });
    assert.equal(new Set(ids).size, 1, `round ${round}: every process saw the same id: ${ids.join(', ')}`);
    const db = new Sqlite(file, { readonly: true });
    assert.equal(
      (db.prepare('SELECT COUNT(*) AS count FROM schema_migrations').get() as { count: number }).count,
      MIGRATIONS.length,
    );
    assert.deepEqual(db.prepare(`SELECT value FROM ledger_meta WHERE key = 'ledger_id'`).all(), [{ value: ids[0] }]);
    db.close();
  }
});

test(
  'processes opening a ledger not in WAL mode while another holds its write lock ' + 'wait for it instead of failing',
  async (t) => {
    // dlrun creates every ledger whole and in WAL mode, but a backup tool or a database browser may hand one back in
    // rollback-journal mode. Then the openers' switch to WAL collides with the lock, as a first write would; the lock
    // goes only once every opener has printed `opening`; with or without that meeting, every opener must succeed.
    const file = path.join(tempDir(t), 'ledger.db');
    await (await SqliteLedger.open(file, { busyTimeoutMs: 5_000 })).close();
    const restored = new Sqlite(file);
    restored.pragma('journal_mode = DELETE');
    restored.close();
    const locker = new HelperProcess(t, 'ledger-locker', ['--file', file, '--mode', 'reserve']);
    await locker.waitForLine(/^locked$/);
    const openers = Array.from(
      { length: 4 },
      () => new HelperProcess(t, 'ledger-writer', ['--file', file, '--count', '1'], { env: PATIENT }),
    );
    await Promise.all(openers.map((opener) => opener.waitForLine(/^opening$/)));
    locker.send('release');
    assert.equal((await locker.finished).code, 0);
    const ids = new Set<string>();
    for (const result of await Promise.all(openers.map((opener) => opener.finished))) {
      assert.equal(result.code, 0, `an opener failed: ${result.lines.join(' | ')} ${result.stderr}`);
      assert.ok(result.lines.includes('done 1'));
      ids.add(result.lines.find((line) => line.startsWith('ledger '))!);
    }
    assert.equal(ids.size, 1, 'one ledger id');
    const db = new Sqlite(file, { readonly: true });
    t.onTestFinished(() => {
      db.close();
    });
    assert.deepEqual(db.pragma('journal_mode'), [{ journal_mode: 'wal' }]);
    assert.equal((db.prepare('SELECT COUNT(*) AS count FROM jobs').get() as { count: number }).count, 4);
  },
);
