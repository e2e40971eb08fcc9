import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { asJobId } from '../../src/backend/job-id.js';
import { LATEST_SCHEMA_VERSION } from '../../src/ledger/migrations.js';
import { newJob, PRICE, sampleBill } from '../ledger/support/ledger-fixtures.js';
import { assertUserFailure } from '../support/ec2-cli.js';
import { runCli } from '../support/run-cli.js';
import { seededHome } from '../support/seeded-home.js';
import { tempDir } from '../support/temp-dir.js';

const JOB = asJobId('laptop-20260101-1000-aaaa');

interface InfoJson {
  readonly exists: boolean;
  readonly kind: string;
  readonly location: string;
  readonly ledger_id: string;
  readonly schema_version: number;
  readonly latest_schema_version: number;
  readonly size_bytes: number;
  readonly jobs: number;
  readonly migrated_from_ledger_ids: string[];
}

test('ledger info --json, then ledger migrate --json twice: copied once, then skipped', async (t) => {
  let laptopId = '';
  const laptop = await seededHome(t, async (ledger) => {
    laptopId = ledger.id;
    await ledger.createJob(newJob(JOB, '2026-01-01T10:00:00.000Z', { price: PRICE }));
    await ledger.recordChange(JOB, { at: '2026-01-01T10:01:00.000Z', source: 'provider', state: 'succeeded' });
    await ledger.recordBill(JOB, sampleBill(JOB, 0.5));
    await ledger.recordRefusedSubmit({
      at: '2026-01-01T09:00:00.000Z',
      jobName: 'bad',
      backend: 'ec2',
      jobFile: 'job.yaml',
      reason: 'no',
      estimatedFailedStartUsd: null,
    });
  });
  const from = path.join(laptop, 'ledger.db');
  const team = tempDir(t);
  const cli = (args: string[]) => runCli(args, { cwd: team, home: team, timeoutMs: 60_000 });

  const none = await cli(['ledger', 'info', '--json']);
  assert.equal(none.code, 0, none.stderr);
  assert.deepEqual(JSON.parse(none.stdout), {
    exists: false,
    kind: 'sqlite',
    location: path.join(team, 'ledger.db'),
    latest_schema_version: LATEST_SCHEMA_VERSION,
  });

  const dry = await cli(['ledger', 'migrate', '--from', from, '--dry-run', '--json']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(JSON.parse(dry.stdout).jobs_copied, 1);
  assert.equal(JSON.parse(dry.stdout).ledger_id, null, 'a dry run creates no ledger');
  assert.equal(JSON.parse((await cli(['ledger', 'info', '--json'])).stdout).exists, false);
  const bytes = readFileSync(from);
  const mtime = statSync(from).mtimeMs;

  const first = await cli(['ledger', 'migrate', '--from', from, '--json']);
  assert.equal(first.code, 0, first.stderr);
  const summary = JSON.parse(first.stdout);
  assert.equal(summary.from_ledger_id, laptopId);
  assert.deepEqual(
    [
      summary.jobs_copied,
      summary.jobs_skipped,
      summary.events_copied,
      summary.bills_copied,
      summary.refused_submits_copied,
      summary.budget_copied,
    ],
    [1, 0, 2, 1, 1, false],
  );
  const second = await cli(['ledger', 'migrate', '--from', from, '--json']);
  assert.equal(second.code, 0, second.stderr);
  const again = JSON.parse(second.stdout);
  assert.deepEqual(
    [again.jobs_copied, again.jobs_skipped, again.jobs_conflicting, again.events_copied, again.refused_submits_skipped],
    [0, 1, [], 0, 1],
  );
  assert.ok(readFileSync(from).equals(bytes), "the laptop's ledger is only read");
  assert.equal(statSync(from).mtimeMs, mtime);

  const info = await cli(['ledger', 'info', '--json']);
  assert.equal(info.code, 0, info.stderr);
  const about = JSON.parse(info.stdout) as InfoJson;
  assert.equal(about.exists, true);
  assert.equal(about.kind, 'sqlite');
  assert.equal(about.location, path.join(team, 'ledger.db'));
  assert.match(about.ledger_id, /^[0-9a-f]{16}$/);
  assert.notEqual(about.ledger_id, laptopId);
  assert.equal(about.schema_version, LATEST_SCHEMA_VERSION);
  assert.equal(about.latest_schema_version, LATEST_SCHEMA_VERSION);
  assert.ok(about.size_bytes >= statSync(path.join(team, 'ledger.db')).size && about.size_bytes > 0);
  assert.equal(about.jobs, 1);
  assert.deepEqual(about.migrated_from_ledger_ids, [laptopId]);

  const text = await cli(['ledger', 'info']);
  assert.match(text.stdout, new RegExp(`id: +${about.ledger_id}`));
  assert.match(text.stdout, new RegExp(`copied in: +jobs launched by ledger ${laptopId}`));
  const summaryText = await cli(['ledger', 'migrate', '--from', from]);
  assert.match(summaryText.stdout, /jobs copied: 0/);
  assert.match(summaryText.stdout, /jobs skipped, already in this ledger: 1/);

  const status = await cli(['status', '--all', '--json']);
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(
    (JSON.parse(status.stdout) as { jobs: { job_id: string; state: string }[] }).jobs.map((job) => [
      job.job_id,
      job.state,
    ]),
    [[JOB, 'succeeded']],
  );
});

test('ledger migrate refuses what is not a ledger to copy, with exit 1 and no stack; help lists ledger', async (t) => {
  const home = await seededHome(t, async (ledger) => {
    await ledger.createJob(newJob(JOB));
  });
  const dir = tempDir(t);
  const cli = (args: string[]) => runCli(args, { cwd: dir, home, timeoutMs: 60_000 });
  writeFileSync(path.join(dir, 'notes.txt'), 'not a database\n'.repeat(200));
  assertUserFailure(
    await cli(['ledger', 'migrate', '--from', path.join(dir, 'none.db')]),
    /there is no ledger to copy/,
  );
  assertUserFailure(await cli(['ledger', 'migrate', '--from', dir]), /is a folder, not a ledger file/);
  assertUserFailure(
    await cli(['ledger', 'migrate', '--from', path.join(dir, 'notes.txt')]),
    /is not a dlrun ledger: it is not a SQLite database/,
  );
  assertUserFailure(
    await cli(['ledger', 'migrate', '--from', path.join(home, 'ledger.db')]),
    /is the ledger in use: a ledger cannot be copied into itself/,
  );
  const usage = await cli(['ledger', 'migrate']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /needs the ledger to copy: --from FILE/);
  const help = await cli(['--help']);
  assert.match(help.stdout, /ledger \[options\] <ACTION>\s+info: which ledger is in use/);
  const own = await cli(['ledger', '--help']);
  assert.match(own.stdout, /--from <FILE>/);
  assert.match(own.stdout, /--dry-run/);
});

test('a large ledger is copied with progress on stderr and the summary on stdout', { timeout: 120_000 }, async (t) => {
  const laptop = await seededHome(t, async (ledger) => {
    for (let index = 0; index < 600; index += 1) {
      const jobId = asJobId(`sweep-20260101-1000-${index.toString(16).padStart(4, '0')}`);
      await ledger.createJob(
        newJob(jobId, new Date(Date.parse('2026-01-01T10:00:00.000Z') + index * 1000).toISOString()),
      );
    }
  });
  const team = tempDir(t);
  const result = await runCli(['ledger', 'migrate', '--from', path.join(laptop, 'ledger.db')], {
    cwd: team,
    home: team,
    timeoutMs: 100_000,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.stderr.trim().split('\n'), [
    '500 of 600 jobs done (copied or already here)',
    '600 of 600 jobs done (copied or already here)',
  ]);
  assert.match(result.stdout, /^jobs copied: 600, with 600 events and 0 bills/m);
  assert.match(result.stdout, /^budget: none to copy/m);
});
