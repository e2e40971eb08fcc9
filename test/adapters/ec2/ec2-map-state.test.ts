import { asJobId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { Instance } from '@aws-sdk/client-ec2';
import { mapEc2Job, type Ec2JobView } from '../../../adapters/ec2/ec2-map-state.js';
import { parseResult } from '../../../src/backend/job-result.js';

// Instances as DescribeInstances returns them, built by hand: the mapping is pure, so no stand-in is needed.
const CODES = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 } as const;
type StateName = keyof typeof CODES;

const LAUNCHED = new Date('2026-11-26T04:00:00.000Z');
const OBSERVED = '2026-11-26T06:00:00.000Z';

interface InstanceShape {
  readonly id?: string;
  readonly state: StateName;
  /** node-0 (the leader) or workers, as ec2-launch.ts tags them. */
  readonly launch?: 'node-0' | 'workers';
  readonly launchIndex?: number;
  readonly reason?: string;
  /** EC2's "User initiated (YYYY-MM-DD HH:MM:SS GMT)", from which the end time is read. */
  readonly endedAt?: string;
  readonly spot?: boolean;
  readonly launchedAt?: Date;
  /** GMT as EC2 writes it, UTC as moto does. */
  readonly zone?: 'GMT' | 'UTC';
}

function instance(shape: InstanceShape): Instance {
  const ended = shape.endedAt
    ? `User initiated (${shape.endedAt.replace('T', ' ').replace(/\.\d+Z$/, '')} ${shape.zone ?? 'GMT'})`
    : undefined;
  return {
    InstanceId: shape.id ?? 'i-0000000000000000a',
    // The high byte is internal to EC2 and must be ignored (the state is the low byte).
    State: { Code: CODES[shape.state] + 256, Name: shape.state },
    LaunchTime: shape.launchedAt ?? LAUNCHED,
    AmiLaunchIndex: shape.launchIndex ?? 0,
    Tags: [
      { Key: 'dlrun-job-id', Value: 'job-1' },
      { Key: 'dlrun-launch', Value: shape.launch ?? 'node-0' },
    ],
    ...(shape.reason ? { StateReason: { Code: shape.reason, Message: `${shape.reason}: a message` } } : {}),
    ...(ended ? { StateTransitionReason: ended } : {}),
    ...(shape.spot ? { InstanceLifecycle: 'spot' } : {}),
  };
}

function view(instances: readonly Instance[], extra: Partial<Ec2JobView> = {}): Ec2JobView {
  return {
    jobId: asJobId('job-1'),
    instances,
    result: undefined,
    phaseStartedAt: {},
    currentPhase: undefined,
    stopAfterSeconds: 3600,
    observedAt: OBSERVED,
    ...extra,
  };
}

const result = (lines: readonly string[]) => parseResult(`${lines.join('\n')}\n`);

test('a pending instance is a job being provisioned, since its launch time', () => {
  const status = mapEc2Job(view([instance({ state: 'pending' })]));
  assert.equal(status.state, 'provisioning');
  assert.equal(status.phaseStartedAt?.provisioning, LAUNCHED.toISOString());
  assert.match(status.providerState, /pending/);
});

test('a running instance is a running job in the phase its markers name', () => {
  const status = mapEc2Job(
    view([instance({ state: 'running' })], {
      currentPhase: 'run',
      phaseStartedAt: { setup: '2026-11-26T04:02:00.000Z', run: '2026-11-26T04:05:00.000Z' },
    }),
  );
  assert.equal(status.state, 'running');
  assert.equal(status.phase, 'run');
  assert.deepEqual(status.phaseStartedAt, {
    provisioning: LAUNCHED.toISOString(),
    setup: '2026-11-26T04:02:00.000Z',
    run: '2026-11-26T04:05:00.000Z',
  });
});

test('a running job whose markers were not read has no phase, and is still running', () => {
  const status = mapEc2Job(view([instance({ state: 'running' })]));
  assert.equal(status.state, 'running');
  assert.equal(status.phase, undefined);
});

test('the result object decides how a job whose machine ended went: exit 0 succeeded', () => {
  const status = mapEc2Job(
    view([instance({ state: 'terminated', reason: 'Client.InstanceInitiatedShutdown' })], {
      result: result(['state=succeeded', 'exit_code=0', 'reason=the job finished', 'ended_at=2026-11-26T05:00:00Z']),
    }),
  );
  assert.equal(status.state, 'succeeded');
  assert.equal(status.exitCode, 0);
  assert.equal(status.endedAt, '2026-11-26T05:00:00.000Z', "the machine's end, in ISO form");
});

test('a result with exit 3 is a failed job with its exit code', () => {
  const status = mapEc2Job(
    view([instance({ state: 'shutting-down' })], {
      result: result([
        'state=failed',
        'exit_code=3',
        'reason=the job exited with status 3',
        'ended_at=2026-11-26T05:00:00Z',
      ]),
    }),
  );
  assert.equal(status.state, 'failed');
  assert.equal(status.exitCode, 3);
  assert.equal(status.message, 'the job exited with status 3');
});

test('a result that says timed_out is a job stopped at its limit, whatever its exit code', () => {
  const status = mapEc2Job(
    view([instance({ state: 'terminated' })], {
      result: result(['state=timed_out', 'exit_code=143', 'reason=max_runtime 1h reached; the job was stopped']),
    }),
  );
  assert.equal(status.state, 'timed_out');
  assert.equal(status.exitCode, 143);
  assert.match(status.message ?? '', /max_runtime/);
});

test('a result that says cancelled is a cancelled job, not a failure by its exit code', () => {
  const parsed = result(['state=cancelled', 'exit_code=143', 'reason=', 'ended_at=2026-11-26T05:00:00Z']);
  assert.equal(parsed.state, 'cancelled');
  assert.equal(parsed.limitReached, false);
  const status = mapEc2Job(
    view([instance({ state: 'terminated', reason: 'Client.UserInitiatedShutdown' })], { result: parsed }),
  );
  assert.equal(status.state, 'cancelled');
  assert.equal(status.exitCode, 143);
});

test('a result is read even when EC2 no longer lists the instance', () => {
  const status = mapEc2Job(view([], { result: result(['state=succeeded', 'exit_code=0']) }));
  assert.equal(status.state, 'succeeded');
  assert.match(status.providerState, /no longer listed/);
});

test('parseResult: an empty exit code is none, unknown lines are ignored, the reason is kept whole', () => {
  const parsed = parseResult('state=failed\nexit_code=\nreason=could not download the workdir (HTTP 403)\nnoise\n');
  assert.deepEqual(parsed, {
    exitCode: undefined,
    reason: 'could not download the workdir (HTTP 403)',
    endedAt: undefined,
    state: 'failed',
    limitReached: false,
  });
});

test('a spot instance EC2 took back, with no result, is preempted at the time EC2 gives', () => {
  const status = mapEc2Job(
    view([
      instance({
        state: 'terminated',
        spot: true,
        reason: 'Server.SpotInstanceTermination',
        endedAt: '2026-11-26T04:30:00.000Z',
      }),
    ]),
  );
  assert.equal(status.state, 'preempted');
  assert.equal(status.endedAt, '2026-11-26T04:30:00.000Z');
});

test('an instance terminated through the API, with no result, is a cancelled job, ended when EC2 says', () => {
  for (const zone of ['GMT', 'UTC'] as const) {
    const status = mapEc2Job(
      view([
        instance({
          state: 'terminated',
          reason: 'Client.UserInitiatedShutdown',
          endedAt: '2026-11-26T04:30:00.000Z',
          zone,
        }),
      ]),
    );
    assert.equal(status.state, 'cancelled');
    assert.equal(status.endedAt, '2026-11-26T04:30:00.000Z', zone);
  }
});

test("a shutdown from inside the machine after the job's limit is its own stop timer: timed_out", () => {
  // Launched 04:00 with a 1 h limit; ended 05:10 (the timer allows an upload margin past the limit).
  const status = mapEc2Job(
    view([
      instance({
        state: 'terminated',
        reason: 'Client.InstanceInitiatedShutdown',
        endedAt: '2026-11-26T05:10:00.000Z',
      }),
    ]),
  );
  assert.equal(status.state, 'timed_out');
});

test("a shutdown from inside the machine before the job's limit, with no result, is a failure", () => {
  const status = mapEc2Job(
    view([
      instance({
        state: 'terminated',
        reason: 'Client.InstanceInitiatedShutdown',
        endedAt: '2026-11-26T04:20:00.000Z',
      }),
    ]),
  );
  assert.equal(status.state, 'failed');
  assert.match(status.message ?? '', /dlrun logs/);
});

test('a shutdown from inside the machine of a job with no limit is a failure, never timed_out', () => {
  const status = mapEc2Job(
    view(
      [
        instance({
          state: 'terminated',
          reason: 'Client.InstanceInitiatedShutdown',
          endedAt: '2026-11-27T04:20:00.000Z',
        }),
      ],
      { stopAfterSeconds: null },
    ),
  );
  assert.equal(status.state, 'failed');
});

test('a stopped instance is a failed job, with the hint that dlrun gc terminates it', () => {
  for (const state of ['stopped', 'stopping'] as const) {
    const status = mapEc2Job(view([instance({ state })]));
    assert.equal(status.state, 'failed', state);
    assert.match(status.message ?? '', /dlrun gc/);
  }
});

test('no instance and no result is a lost job', () => {
  const status = mapEc2Job(view([]));
  assert.equal(status.state, 'lost');
  assert.equal(status.providerState, 'no instances');
});

test('on several nodes the leader (node 0) decides how the job ended, once no worker runs', () => {
  const leader = (shape: Omit<InstanceShape, 'launch'>) => instance({ ...shape, id: 'i-leader', launch: 'node-0' });
  const worker = (index: number, shape: Omit<InstanceShape, 'launch' | 'launchIndex'>) =>
    instance({ ...shape, id: `i-worker-${index}`, launch: 'workers', launchIndex: index });
  const done = result(['state=succeeded', 'exit_code=0']);

  // The leader ended with its result while a worker still runs (it started later, or is slower): the job is still
  // running, and billing, until that worker ends; one shutting down runs nothing more.
  const finishing = mapEc2Job(
    view([worker(0, { state: 'running' }), leader({ state: 'terminated' }), worker(1, { state: 'shutting-down' })], {
      result: done,
      currentPhase: 'run',
    }),
  );
  assert.equal(finishing.state, 'running');
  assert.equal(finishing.phase, 'run');
  assert.match(finishing.message ?? '', /node 0 ended; waiting for i-worker-0 to end/);
  assert.doesNotMatch(finishing.message ?? '', /i-worker-1/);
  assert.match(finishing.providerState, /^i-leader: terminated, i-worker-0: running, i-worker-1: shutting-down$/);
  // A worker not booted yet is waited for too: it will run its part.
  assert.equal(
    mapEc2Job(view([leader({ state: 'terminated' }), worker(0, { state: 'pending' })], { result: done })).state,
    'running',
  );

  // Once every worker has ended, the leader's result decides: the job succeeded.
  const succeeded = mapEc2Job(
    view([worker(0, { state: 'terminated' }), leader({ state: 'terminated' }), worker(1, { state: 'shutting-down' })], {
      result: done,
    }),
  );
  assert.equal(succeeded.state, 'succeeded');
  assert.equal(succeeded.exitCode, 0);

  // A worker's end alone does not end the job: the leader is still running it.
  const running = mapEc2Job(
    view(
      [worker(0, { state: 'terminated', reason: 'Client.InstanceInitiatedShutdown' }), leader({ state: 'running' })],
      { currentPhase: 'run' },
    ),
  );
  assert.equal(running.state, 'running');

  // The leader terminated through the API, workers still up: cancelled, by the leader's reason.
  const cancelled = mapEc2Job(
    view([worker(0, { state: 'running' }), leader({ state: 'terminated', reason: 'Client.UserInitiatedShutdown' })]),
  );
  assert.equal(cancelled.state, 'cancelled');

  // Pending only while every node is pending.
  assert.equal(mapEc2Job(view([worker(0, { state: 'running' }), leader({ state: 'pending' })])).state, 'running');
  assert.equal(mapEc2Job(view([worker(0, { state: 'pending' }), leader({ state: 'pending' })])).state, 'provisioning');
});

test('a spot worker taken back ends the job as preempted even while the leader still runs', () => {
  const status = mapEc2Job(
    view([
      instance({ id: 'i-leader', state: 'running', spot: true }),
      instance({
        id: 'i-worker',
        state: 'terminated',
        launch: 'workers',
        spot: true,
        reason: 'Server.SpotInstanceTermination',
      }),
    ]),
  );
  assert.equal(status.state, 'preempted');
  assert.match(status.message ?? '', /i-worker/);
});

test(
  "the machine's clock is believed only between EC2's launch and end: " + "markers and the result's end are bounded",
  () => {
    const ended = '2026-11-26T05:00:00.000Z';
    const status = mapEc2Job(
      view([instance({ state: 'terminated', reason: 'Client.InstanceInitiatedShutdown', endedAt: ended })], {
        result: parseResult(
          'state=succeeded\nexit_code=0\nreason=the job finished\nended_at=2099-01-01T00:00:00.000Z\n',
        ),
        phaseStartedAt: { setup: '1970-01-01T00:00:01.000Z', run: '2026-11-26T04:30:00.000Z' },
      }),
    );
    assert.equal(status.state, 'succeeded');
    assert.equal(status.endedAt, ended, 'the end is no later than EC2 says the machine ended');
    assert.deepEqual(status.phaseStartedAt, {
      provisioning: LAUNCHED.toISOString(),
      setup: LAUNCHED.toISOString(),
      run: '2026-11-26T04:30:00.000Z',
    });
  },
);

test('a result whose exit code or end is not one is not believed', () => {
  const result = parseResult('state=failed\nexit_code=1; rm -rf\nended_at=soon\nreason=x\n');
  assert.equal(result.exitCode, undefined);
  assert.equal(result.endedAt, undefined);
});
