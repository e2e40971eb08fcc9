import { asJobId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { UnknownJobError } from '../../../src/base/errors.js';
import { newJob, PRICE, sampleBill } from '../support/ledger-fixtures.js';
import type { JobEvent } from '../../../src/ledger/ledger.js';
import type { OpenLedger } from './ledger-conformance.js';

// The Ledger contract for one job: creating it, its changes and events, its end and its bill.
export function jobCases(open: OpenLedger): void {
  const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

  test('createJob writes the job in state submitting, with one event', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    const created = await ledger.createJob(
      newJob(asJobId('mnist-1'), '2026-01-01T10:00:00.000Z', { price: PRICE, quotedUsd: 0.42 }),
    );
    assert.equal(created.state, 'submitting');
    assert.equal(created.phase, 'queued');
    assert.deepEqual(created.price, PRICE);
    assert.equal(created.quotedUsd, 0.42);
    assert.deepEqual(await ledger.getJobSpec(asJobId('mnist-1')), { name: 'mnist-1' });
    assert.equal(created.startedAt, null);
    assert.equal(created.endedAt, null);
    assert.deepEqual(await ledger.getJob(asJobId('mnist-1')), created);
    const events = (await ledger.eventsOf(['mnist-1'])).get('mnist-1')!;
    assert.equal(events.length, 1);
    assert.equal(events[0]!.at, '2026-01-01T10:00:00.000Z');
    assert.equal(events[0]!.source, 'dlrun');
    assert.equal(events[0]!.state, 'submitting');
    assert.match(events[0]!.recordedAt, ISO);
  });

  test('recordChange applies each transition and writes exactly one event per call', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.createJob(newJob(asJobId('mnist-1')));
    const changes = [
      { at: '2026-01-01T10:00:05.000Z', source: 'dlrun', state: 'pending', externalId: 'i-0abc' },
      { at: '2026-01-01T10:01:00.000Z', source: 'provider', state: 'provisioning', providerState: 'pending' },
      { at: '2026-01-01T10:02:00.000Z', source: 'provider', state: 'running', providerState: 'running' },
      { at: '2026-01-01T10:02:30.000Z', source: 'machine', phase: 'setup' },
      { at: '2026-01-01T10:03:00.000Z', source: 'machine', phase: 'run' },
      {
        at: '2026-01-01T10:20:00.000Z',
        source: 'provider',
        state: 'succeeded',
        providerState: 'terminated',
        exitCode: 0,
      },
    ] as const;
    const expected = [
      ['pending', 'queued'],
      ['provisioning', 'provisioning'],
      ['running', 'run'],
      ['running', 'setup'],
      ['running', 'run'],
      ['succeeded', 'run'],
    ];
    for (const [index, change] of changes.entries()) {
      const job = await ledger.recordChange(asJobId('mnist-1'), change);
      assert.deepEqual([job.state, job.phase], expected[index], `after change ${index}`);
      const events: JobEvent[] = (await ledger.eventsOf(['mnist-1'])).get('mnist-1')!;
      assert.equal(events.length, index + 2, 'one event per call');
      const event = events.at(-1)!;
      assert.equal(event.at, change.at);
      assert.equal(event.source, change.source);
      assert.equal(event.providerState, 'providerState' in change ? change.providerState : null);
    }
    const job = (await ledger.getJob(asJobId('mnist-1')))!;
    assert.equal(job.externalId, 'i-0abc', 'kept from the first change that named it');
    assert.equal(job.exitCode, 0);
    assert.equal(job.providerState, 'terminated');
    assert.equal(job.startedAt, '2026-01-01T10:01:00.000Z', 'the first provisioning, not the later running');
    assert.equal(job.endedAt, '2026-01-01T10:20:00.000Z');
    const events = (await ledger.eventsOf(['mnist-1'])).get('mnist-1')!;
    assert.deepEqual(
      events.map((event) => [event.state, event.phase]),
      [
        ['submitting', 'queued'],
        ['pending', null],
        ['provisioning', 'provisioning'],
        ['running', 'run'],
        [null, 'setup'],
        [null, 'run'],
        ['succeeded', null],
      ],
    );
    assert.deepEqual(
      events.map((event) => event.id),
      [...events.map((event) => event.id)].sort((a, b) => a - b),
      'oldest first',
    );
  });

  test('a job that goes straight to running starts then; the end state sets endedAt', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.createJob(newJob(asJobId('direct-1')));
    const running = await ledger.recordChange(asJobId('direct-1'), {
      at: '2026-01-01T10:00:10.000Z',
      source: 'provider',
      state: 'running',
    });
    assert.equal(running.startedAt, '2026-01-01T10:00:10.000Z');
    assert.equal(running.endedAt, null);
    const failed = await ledger.recordChange(asJobId('direct-1'), {
      at: '2026-01-01T10:05:00.000Z',
      source: 'provider',
      state: 'failed',
      exitCode: 3,
    });
    assert.equal(failed.state, 'failed');
    assert.equal(failed.endedAt, '2026-01-01T10:05:00.000Z');
    assert.equal(failed.exitCode, 3);
  });

  test(
    'a job whose submit was killed, seen first by its machine phases and then by its end, ' +
      'started when it left the queue',
    async (t) => {
      const ledger = await open(t);
      if (!ledger) return;
      await ledger.createJob(newJob(asJobId('orphan-1')));
      // No state: the phases the machine reported while the ledger still says submitting.
      await ledger.recordChange(asJobId('orphan-1'), {
        at: '2026-01-01T10:00:01.000Z',
        source: 'machine',
        phase: 'run',
        message: 'run began',
      });
      const ended = await ledger.recordChange(asJobId('orphan-1'), {
        at: '2026-01-01T10:04:01.000Z',
        source: 'provider',
        state: 'succeeded',
        exitCode: 0,
      });
      assert.equal(ended.startedAt, '2026-01-01T10:00:01.000Z', 'it ran, so it is billed from when it began');
      assert.equal(ended.endedAt, '2026-01-01T10:04:01.000Z');
    },
  );

  test('a finished job keeps its end state when a late report arrives; the report is still recorded', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.createJob(newJob(asJobId('late-1')));
    await ledger.recordChange(asJobId('late-1'), {
      at: '2026-01-01T10:01:00.000Z',
      source: 'provider',
      state: 'running',
    });
    await ledger.recordChange(asJobId('late-1'), {
      at: '2026-01-01T10:09:00.000Z',
      source: 'dlrun',
      state: 'cancelled',
      exitCode: 137,
    });
    const after = await ledger.recordChange(asJobId('late-1'), {
      at: '2026-01-01T10:08:59.000Z',
      source: 'provider',
      state: 'running',
      providerState: 'RUNNING',
    });
    assert.equal(after.state, 'cancelled');
    assert.equal(after.endedAt, '2026-01-01T10:09:00.000Z');
    assert.equal(after.exitCode, 137, 'a report without an exit code keeps the one recorded');
    const events = (await ledger.eventsOf(['late-1'])).get('late-1')!;
    assert.equal(events.length, 4);
    const late = events.at(-1)!;
    assert.equal(late.state, null, 'the event does not claim the job moved');
    assert.equal(late.providerState, 'RUNNING');
    assert.match(late.message ?? '', /reported running after the job was already cancelled; kept cancelled/);
  });

  test('a lost job may be corrected to running, which reopens it', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.createJob(newJob(asJobId('lost-1')));
    const lost = await ledger.recordChange(asJobId('lost-1'), {
      at: '2026-01-01T10:30:00.000Z',
      source: 'dlrun',
      state: 'lost',
    });
    assert.equal(lost.endedAt, '2026-01-01T10:30:00.000Z');
    const found = await ledger.recordChange(asJobId('lost-1'), {
      at: '2026-01-01T10:31:00.000Z',
      source: 'provider',
      state: 'running',
      externalId: 'i-0def',
    });
    assert.equal(found.state, 'running');
    assert.equal(found.endedAt, null);
    assert.equal(found.startedAt, '2026-01-01T10:31:00.000Z');
    assert.equal(found.externalId, 'i-0def');
  });

  test('a lost job corrected to an end state ends when that report says, not when it was declared lost', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.createJob(newJob(asJobId('lost-2')));
    await ledger.recordChange(asJobId('lost-2'), { at: '2026-01-01T10:30:00.000Z', source: 'dlrun', state: 'lost' });
    const corrected = await ledger.recordChange(asJobId('lost-2'), {
      at: '2026-01-01T11:00:00.000Z',
      source: 'provider',
      state: 'succeeded',
    });
    assert.equal(corrected.state, 'succeeded');
    assert.equal(corrected.endedAt, '2026-01-01T11:00:00.000Z');
    const events = (await ledger.eventsOf(['lost-2'])).get('lost-2')!;
    assert.deepEqual(
      events.map((event) => event.state),
      ['submitting', 'lost', 'succeeded'],
    );
  });

  test('recordBill stores the bill with the job', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.createJob(newJob(asJobId('billed-1')));
    const bill = sampleBill(asJobId('billed-1'), 0.665);
    await ledger.recordBill(asJobId('billed-1'), bill);
    assert.deepEqual(await ledger.getBill(asJobId('billed-1')), bill);
    assert.equal((await ledger.getJob(asJobId('billed-1')))!.billedUsd, bill.total_usd);
  });

  test('an unknown job id gives UnknownJobError, and getJob gives undefined', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await assert.rejects(
      ledger.recordChange(asJobId('nope'), { at: '2026-01-01T10:00:00.000Z', source: 'provider', state: 'running' }),
      UnknownJobError,
    );
    await assert.rejects(ledger.recordBill(asJobId('nope'), sampleBill(asJobId('nope'), 1)), UnknownJobError);
    assert.equal(await ledger.getJob(asJobId('nope')), undefined);
    assert.equal(await ledger.countJobs(), 0, 'nothing was written for the unknown job');
    assert.equal((await ledger.eventsOf(['nope'])).get('nope')!.length, 0);
  });

  test('a job that ends keeps its seconds per phase, worked out once from its events', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.createJob(newJob(asJobId('phased-1'), '2026-01-01T10:00:00.000Z'));
    await ledger.recordChange(asJobId('phased-1'), {
      at: '2026-01-01T10:00:10.000Z',
      source: 'provider',
      state: 'provisioning',
    });
    await ledger.recordChange(asJobId('phased-1'), {
      at: '2026-01-01T10:01:00.000Z',
      source: 'machine',
      state: 'running',
      phase: 'setup',
    });
    await ledger.recordChange(asJobId('phased-1'), { at: '2026-01-01T10:03:00.000Z', source: 'machine', phase: 'run' });
    const running = await ledger.recordChange(asJobId('phased-1'), {
      at: '2026-01-01T10:13:00.000Z',
      source: 'machine',
      phase: 'teardown',
    });
    assert.equal(running.finalPhases, null, 'no final phases while the job runs');
    const ended = await ledger.recordChange(asJobId('phased-1'), {
      at: '2026-01-01T10:13:30.000Z',
      source: 'provider',
      state: 'succeeded',
    });
    assert.deepEqual(ended.finalPhases, { queued: 10, provisioning: 50, setup: 120, run: 600, teardown: 30 });
    const late = await ledger.recordChange(asJobId('phased-1'), {
      at: '2026-01-01T11:00:00.000Z',
      source: 'provider',
      state: 'running',
    });
    assert.deepEqual(late.finalPhases, ended.finalPhases, 'a late report changes nothing');
  });

  test('the change that ends a job gives its end reason; a later report keeps it', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.createJob(newJob(asJobId('reason-1')));
    await ledger.recordChange(asJobId('reason-1'), {
      at: '2026-01-01T10:01:00.000Z',
      source: 'provider',
      state: 'running',
    });
    const ended = await ledger.recordChange(asJobId('reason-1'), {
      at: '2026-01-01T10:05:00.000Z',
      source: 'dlrun',
      state: 'failed',
      message: 'max_runtime 4m reached',
    });
    assert.equal(ended.endReason, 'max_runtime 4m reached');
    const late = await ledger.recordChange(asJobId('reason-1'), {
      at: '2026-01-01T10:06:00.000Z',
      source: 'provider',
      state: 'succeeded',
      message: 'exited 0',
    });
    assert.equal(late.endReason, 'max_runtime 4m reached');
  });

  test('a change that only repeats what the ledger holds records no second event', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    const job = asJobId('repeat-1');
    await ledger.createJob(newJob(job));
    const running = {
      at: '2026-01-01T10:01:00.000Z',
      source: 'provider',
      state: 'running',
      providerState: 'RUNNING',
    } as const;
    await ledger.recordChange(job, running);
    // Two `status` refreshes that both saw the job start, and a machine phase both read before either recorded it.
    const again = await ledger.recordChange(job, { ...running, at: '2026-01-01T10:01:05.000Z', message: 'running' });
    assert.equal(again.state, 'running');
    await ledger.recordChange(job, { at: '2026-01-01T10:02:00.000Z', source: 'machine', phase: 'setup' });
    await ledger.recordChange(job, { at: '2026-01-01T10:03:00.000Z', source: 'machine', phase: 'run' });
    await ledger.recordChange(job, {
      at: '2026-01-01T10:02:00.000Z',
      source: 'machine',
      state: 'running',
      phase: 'setup',
    });
    const events = (await ledger.eventsOf([job])).get(job)!;
    assert.deepEqual(
      events.map((event) => [event.state, event.phase]),
      [
        ['submitting', 'queued'],
        ['running', 'run'],
        [null, 'setup'],
        [null, 'run'],
      ],
    );
    assert.equal((await ledger.getJob(job))!.phase, 'run', 'the repeated setup did not move the phase back');
    // Not repeats: a message alone, a new provider state, a new exit code.
    await ledger.recordChange(job, { at: '2026-01-01T10:04:00.000Z', source: 'dlrun', message: 'cancel requested' });
    await ledger.recordChange(job, { at: '2026-01-01T10:04:01.000Z', source: 'provider', providerState: 'STOPPING' });
    assert.equal((await ledger.eventsOf([job])).get(job)!.length, 6);
  });

  test('getJobSpec and getBill read the documents; a job without a bill has none', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.createJob(
      newJob(asJobId('docs-1'), '2026-01-01T10:00:00.000Z', { spec: { name: 'docs', env: { A: '1' } } }),
    );
    assert.deepEqual(await ledger.getJobSpec(asJobId('docs-1')), { name: 'docs', env: { A: '1' } });
    assert.equal(await ledger.getBill(asJobId('docs-1')), undefined);
    await assert.rejects(ledger.getJobSpec(asJobId('nope')), UnknownJobError);
    await assert.rejects(ledger.getBill(asJobId('nope')), UnknownJobError);
    const bill = sampleBill(asJobId('docs-1'), 1.25);
    await ledger.recordBill(asJobId('docs-1'), bill);
    assert.deepEqual([...(await ledger.billsOf(['docs-1', 'nope', 'other']))], [['docs-1', bill]]);
    assert.deepEqual(await ledger.billsOf([]), new Map());
    assert.deepEqual(await ledger.eventsOf([]), new Map());
  });

  test('the budget is set, replaced and cleared', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    assert.equal(await ledger.getBudget(), undefined);
    assert.equal(await ledger.clearBudget(), false);
    await ledger.setBudget({ amount_usd: 100, period: 'month', set_at: '2026-01-01T00:00:00.000Z' });
    await ledger.setBudget({ amount_usd: 250.5, period: 'week', set_at: '2026-01-02T00:00:00.000Z' });
    assert.deepEqual(await ledger.getBudget(), {
      amount_usd: 250.5,
      period: 'week',
      set_at: '2026-01-02T00:00:00.000Z',
    });
    assert.equal(await ledger.clearBudget(), true);
    assert.equal(await ledger.getBudget(), undefined);
  });

  test('the ledger has an id, the same every time it is opened', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    assert.match(ledger.id, /^[0-9a-f]{16}$/);
    assert.ok(ledger.location.length > 0);
  });

  test('text with a NUL character is recorded (PostgreSQL drops the NUL, which its text cannot hold)', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    const job = asJobId('nul-1');
    await ledger.createJob(newJob(job, '2026-01-01T10:00:00.000Z', { spec: { name: 'nul', run: 'echo a\0b' } }));
    await ledger.recordChange(job, {
      at: '2026-01-01T10:01:00.000Z',
      source: 'provider',
      state: 'failed',
      message: 'bad\0byte',
    });
    const events = (await ledger.eventsOf([job])).get(job)!;
    assert.equal(events.at(-1)!.message?.replace('\0', ''), 'badbyte');
    assert.equal((await ledger.getJob(job))!.endReason?.replace('\0', ''), 'badbyte');
    assert.deepEqual(await ledger.getJobSpec(job), { name: 'nul', run: 'echo a\0b' }, 'documents keep it whole');
  });
}
