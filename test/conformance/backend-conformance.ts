import assert from 'node:assert/strict';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test, type TestContext } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendCapabilities, Capability } from '../../src/backend/capabilities.js';
import { asLedgerId, newJobId } from '../../src/backend/job-id.js';
import { capabilitiesOf } from '../../src/core/backends.js';
import type { BackendName } from '../../src/spec/backend-names.js';
import { isTerminal } from '../../src/backend/job-state.js';
import type {
  BackendContext,
  JobHandle,
  JobStatus,
  LaunchPlan,
  TrainingBackend,
} from '../../src/backend/training-backend.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { writeJob } from '../support/job-files.js';
import { defer } from '../support/cleanup.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * What a backend's conformance run needs: the backend, a context pointing at its stand-in, and how long its
 * jobs may take to move (a loopback stand-in is quick; the limit only stops a hung test).
 */
export interface ConformanceTarget {
  readonly name: BackendName;
  /**
   * The backend's capabilities, as the registry has them: a test of something they say the backend cannot do is
   * skipped, with their reason in the output, so no backend writes exceptions of its own.
   */
  readonly capabilities: BackendCapabilities;
  setUp(t: TestContext): Promise<{ backend: TrainingBackend; context: BackendContext }>;
  readonly settleTimeoutMs: number;
}

/**
 * The suite every backend the registry can launch must pass (ARCHITECTURE.md): idempotent submit per job id,
 * the lifecycle and how failures map, cancel, logs, unknown handles, limits, listing and batched status.
 */
export function backendConformance(target: ConformanceTarget): void {
  /** Why the backend cannot do what a test needs, as its capabilities say; undefined when it can. */
  const needs = (
    what: keyof BackendCapabilities,
    holds: (capability: Capability<object>) => string | undefined = () => undefined,
  ): string | undefined => {
    const capability = target.capabilities[what] as Capability<object>;
    const reason = capability.supported ? holds(capability) : capability.reason;
    return reason === undefined ? undefined : `${target.name} cannot (${what}): ${reason}`;
  };
  /** Skip the test, with the reason, when the backend cannot do what it needs. */
  const skipWhen = (t: TestContext, reason: string | undefined): void => {
    if (reason !== undefined) t.skip(reason);
  };
  // vitest runs a file's tests one after another, as these need.
  describe(`${target.name} backend conformance`, () => {
    type Setting = { backend: TrainingBackend; context: BackendContext };
    async function launch(
      t: TestContext,
      yaml: string,
      setting?: Setting,
    ): Promise<Setting & { plan: LaunchPlan; handle: JobHandle; dir: string }> {
      const { backend, context } = setting ?? (await target.setUp(t));
      const dir = tempDir(t, 'dlrun-conformance-job-');
      const { job } = writeJob(dir, yaml);
      const plan = await planFor(backend, context, job);
      const handle = await backend.submit(plan, { ...context, secrets: {} });
      defer(t, () => stopped(backend, context, handle));
      return { backend, context, plan, handle, dir };
    }

    async function until(
      backend: TrainingBackend,
      context: BackendContext,
      handle: JobHandle,
      done: (status: JobStatus) => boolean,
    ): Promise<JobStatus> {
      const deadline = Date.now() + target.settleTimeoutMs;
      for (;;) {
        const [status] = await backend.status([handle], context);
        assert.ok(status, 'one status per handle');
        if (done(status)) return status;
        assert.ok(
          Date.now() < deadline,
          `job ${handle.jobId} still ${status.state} after ${target.settleTimeoutMs} ms`,
        );
        await sleep(100);
      }
    }
    const ended = (status: JobStatus): boolean => isTerminal(status.state);

    test('capabilities declare launch support, and every unsupported capability has a reason', async (t) => {
      const { backend } = await target.setUp(t);
      assert.deepEqual(
        backend.capabilities,
        target.capabilities,
        'the suite skips by the capabilities the backend has',
      );
      assert.deepEqual(backend.capabilities, await capabilitiesOf(target.name), 'and the registry has the same');
      assert.equal(backend.capabilities.launch.supported, true);
      for (const [key, capability] of Object.entries(backend.capabilities)) {
        if (!capability.supported) assert.ok(capability.reason.length > 10, `${key} has no reason`);
      }
    });

    test('a successful job goes through its phases to succeeded with exit status 0', async (t) => {
      const { backend, context, handle } = await launch(t, 'name: ok-job\nsetup: echo preparing\nrun: echo training\n');
      const status = await until(backend, context, handle, ended);
      assert.equal(status.state, 'succeeded');
      assert.equal(status.exitCode, 0);
      assert.ok(status.providerState.length > 0, "the provider's own word is kept");
      assert.ok(status.endedAt, 'an ended job says when it ended');
      assert.ok(status.phaseStartedAt?.setup && status.phaseStartedAt.run, 'setup and run were timed');
      assert.ok(status.phaseStartedAt.setup <= status.phaseStartedAt.run);
    });

    test('a failing run maps to failed with its exit status; a failing setup stops the job before run', async (t) => {
      const failingRun = await launch(t, 'name: bad-run\nrun: |\n  echo about to fail\n  exit 3\n');
      const runStatus = await until(failingRun.backend, failingRun.context, failingRun.handle, ended);
      assert.equal(runStatus.state, 'failed');
      assert.equal(runStatus.exitCode, 3);

      const marker = path.join(tempDir(t), 'ran');
      const failingSetup = await launch(t, `name: bad-setup\nsetup: exit 7\nrun: touch ${marker}\n`);
      const setupStatus = await until(failingSetup.backend, failingSetup.context, failingSetup.handle, ended);
      assert.equal(setupStatus.state, 'failed');
      assert.equal(setupStatus.exitCode, 7);
      assert.equal(setupStatus.phaseStartedAt?.run, undefined, 'run never started');
      assert.equal(existsSync(marker), false);
    });

    test('submit is idempotent per job id: a retry finds the first launch and the job runs once', async (t) => {
      const { backend, context } = await target.setUp(t);
      const dir = tempDir(t, 'dlrun-conformance-job-');
      const runs = path.join(dir, 'runs.txt');
      const { job } = writeJob(dir, `name: once\nrun: echo ran >> ${runs}\n`);
      const plan = await planFor(backend, context, job);
      const [first, second] = await Promise.all([
        backend.submit(plan, { ...context, secrets: {} }),
        backend.submit(plan, { ...context, secrets: {} }),
      ]);
      const third = await backend.submit(plan, { ...context, secrets: {} });
      defer(t, () => stopped(backend, context, first));
      assert.equal(second.externalId, first.externalId);
      assert.equal(third.externalId, first.externalId);
      await until(backend, context, first, ended);
      assert.equal(readFileSync(runs, 'utf8'), 'ran\n', 'the job ran exactly once');
    });

    test('cancel ends a running job; cancelling again, or a finished job, changes nothing', async (t) => {
      const { backend, context, handle } = await launch(t, 'name: long\nrun: sleep 300\n');
      await until(backend, context, handle, (status) => status.state === 'running');
      await backend.cancel(handle, context);
      const status = await until(backend, context, handle, ended);
      assert.equal(status.state, 'cancelled');
      await backend.cancel(handle, context);
      assert.equal((await backend.status([handle], context))[0]?.state, 'cancelled');

      const done = await launch(t, 'name: quick\nrun: "true"\n');
      await until(done.backend, done.context, done.handle, ended);
      await done.backend.cancel(done.handle, done.context);
      assert.equal((await done.backend.status([done.handle], done.context))[0]?.state, 'succeeded');
    });

    const follows = needs('logs', (logs) =>
      'follow' in logs && logs.follow ? undefined : 'logs come only after the end',
    );
    test('logs hold the output in order, and following them ends when the job does', async (t) => {
      skipWhen(t, follows);
      const { backend, context, handle } = await launch(
        t,
        'name: chatty\nrun: |\n  for i in 1 2 3; do echo "line $i"; sleep 0.2; done\n  echo "to stderr" >&2\n',
      );
      assert.ok(backend.logs, `${target.name} has logs`);
      let text = '';
      for await (const chunk of backend.logs(handle, { follow: true }, context)) text += chunk.text;
      assert.match(text, /line 1\nline 2\nline 3\n/);
      assert.match(text, /to stderr/);
      const [status] = await backend.status([handle], context);
      assert.equal(status?.state, 'succeeded', 'follow returned only after the end');
    });

    test('a handle the provider has no trace of is lost', async (t) => {
      const { backend, context } = await target.setUp(t);
      const [status] = await backend.status(
        [{ jobId: newJobId('never-launched'), backend: backend.name, externalId: null }],
        context,
      );
      assert.equal(status?.state, 'lost');
    });

    test('max_runtime is enforced by the backend: the job is stopped and ends timed_out', async (t) => {
      skipWhen(t, needs('providerEnforcedMaxRuntime'));
      const { backend, context, handle, plan } = await launch(
        t,
        'name: too-long\nrun: sleep 300\nlimits:\n  max_runtime: 2s\n',
      );
      assert.equal(plan.stopAfter.seconds, 2);
      const status = await until(backend, context, handle, ended);
      assert.equal(status.state, 'timed_out');
      assert.match(status.message ?? '', /max_runtime 2s/);
    });

    test('a job of two nodes runs once on each, each told its rank, the node count and the master', async (t) => {
      skipWhen(
        t,
        needs('multiNode', (capability) =>
          (capability as { commandOn?: string }).commandOn === 'first-node'
            ? 'it starts the job on the first node only, which reaches the others itself (MPI)'
            : undefined,
        ),
      );
      const ranks = tempDir(t, 'dlrun-conformance-ranks-');
      const { backend, context, handle } = await launch(
        t,
        [
          'name: two-nodes',
          'run: |',
          `  echo "$DLRUN_NUM_NODES $DLRUN_MASTER_ADDR" > "${ranks}/$DLRUN_NODE_RANK"`,
          'resources:',
          '  nodes: 2',
        ].join('\n'),
      );
      const status = await until(backend, context, handle, ended);
      assert.equal(status.state, 'succeeded');
      assert.deepEqual(readdirSync(ranks).sort(), ['0', '1']);
      const [first, second] = ['0', '1'].map((rank) => readFileSync(path.join(ranks, rank), 'utf8').trim().split(' '));
      assert.equal(first![0], '2');
      assert.deepEqual(second, first, 'both nodes agree on the node count and the master');
      assert.ok(first![1], 'the master address is set');
    });

    test(
      'status answers for many jobs in one call, ' + "one status per handle, and list finds this ledger's jobs only",
      async (t) => {
        const first = await launch(t, 'name: batch-a\nrun: "true"\n');
        const second = await launch(t, 'name: batch-b\nrun: "true"\n', first);
        const unknown = { jobId: newJobId('batch-unknown'), backend: first.backend.name, externalId: null };
        const statuses = await first.backend.status([first.handle, second.handle, unknown], first.context);
        assert.deepEqual(
          statuses.map((status) => status.jobId),
          [first.handle.jobId, second.handle.jobId, unknown.jobId],
        );
        const listed = (await first.backend.list(first.context)).map((handle) => handle.jobId);
        assert.ok(listed.includes(first.handle.jobId) && listed.includes(second.handle.jobId));
        const others = await first.backend.list({ ...first.context, ledgerId: asLedgerId('another-ledger') });
        assert.ok(!others.some((handle) => handle.jobId === first.handle.jobId), "another ledger's jobs are not ours");
      },
    );
  });
}

/** Cancel a job and wait for its end, so nothing of it outlives the test. */
async function stopped(backend: TrainingBackend, context: BackendContext, handle: JobHandle): Promise<void> {
  await backend.cancel(handle, context);
  for (let attempt = 0; attempt < 600; attempt++) {
    const [status] = await backend.status([handle], context);
    if (!status || isTerminal(status.state)) return;
    await sleep(100);
  }
}

async function planFor(backend: TrainingBackend, context: BackendContext, job: JobSpec): Promise<LaunchPlan> {
  return backend.plan(job, {
    ...context,
    jobId: newJobId(job.name),
    stopAfter: {
      seconds: job.limits.max_runtime,
      reason: job.limits.max_runtime === null ? null : `max_runtime ${job.limits.max_runtime}s`,
    },
  });
}
