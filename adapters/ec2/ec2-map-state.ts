import type { JobId } from '../../src/backend/job-id.js';
import type { Instance } from '@aws-sdk/client-ec2';
import type { JobState, Phase } from '../../src/backend/job-state.js';
import { boundedPhases, boundedTime } from '../../src/backend/time-bounds.js';
import type { JobStatus } from '../../src/backend/training-backend.js';
import { isEnded, rankOf, stateName } from './ec2-instances.js';
import type { JobResult } from '../../src/backend/job-result.js';

/** Everything the status of one job is made of. */
export interface Ec2JobView {
  readonly jobId: JobId;
  readonly instances: readonly Instance[];
  readonly result: JobResult | undefined;
  readonly phaseStartedAt: Partial<Record<Phase, string>>;
  readonly currentPhase: Phase | undefined;
  /** The job's limit in seconds, to tell the machine's own stop timer from another shutdown. */
  readonly stopAfterSeconds: number | null;
  readonly observedAt: string;
}

/**
 * The job's state from its instances and the result node 0 uploaded: node 0 decides how the job ended, once every
 * node has ended.
 */
export function mapEc2Job(view: Ec2JobView): JobStatus {
  const base = { jobId: view.jobId, observedAt: view.observedAt };
  const nodes = [...view.instances].sort((a, b) => rankOf(a) - rankOf(b));
  const states = nodes.map(stateName);
  const leader = nodes[0];
  const providerState = nodes
    .map(
      (instance, index) =>
        `${instance.InstanceId}: ${states[index]}` +
        (instance.StateReason?.Code ? ` (${instance.StateReason.Code})` : ''),
    )
    .join(', ');
  const launchedAt = leader?.LaunchTime?.toISOString();
  // The machine's clock is believed only between EC2's launch of node 0 and its end (or now).
  const until = (leader && isEnded(leader) ? terminationTime(leader) : undefined) ?? view.observedAt;
  const phases = {
    ...(launchedAt ? { provisioning: launchedAt } : {}),
    ...boundedPhases(view.phaseStartedAt, launchedAt, until),
  };
  const resultEnd = boundedTime(view.result?.endedAt, launchedAt, until);
  if (nodes.length === 0 && !view.result)
    return { ...base, state: 'lost', providerState: 'no instances', message: 'EC2 lists no instance of this job' };
  // Node 0 decides how the job ended, but a job whose node 0 recorded its end has ended only once no worker runs: a
  // worker that started late (or is slower) still runs its part and bills until it ends, and its own stop timer
  // ends it at the job's limit. (Node 0 gone without a result is a cancel, a crash or the limit: decided below.)
  const workersUp = view.result && leader && isEnded(leader) ? nodes.slice(1).filter(isUp) : [];
  if (workersUp.length > 0) {
    return {
      ...base,
      state: 'running',
      providerState,
      phaseStartedAt: phases,
      ...(view.currentPhase ? { phase: view.currentPhase } : {}),
      message:
        'node 0 ended; waiting for ' +
        `${workersUp.map((instance) => instance.InstanceId).join(', ')} to end ` +
        "(a worker bills until it ends; it stops itself at the job's limit, and 'dlrun cancel' stops it now)",
    };
  }
  if (view.result && (nodes.length === 0 || isEnded(leader!))) {
    const result = view.result;
    // A cancelled job's exit code (the signal's) would otherwise read as a failure.
    const state: JobState =
      result.state === 'cancelled'
        ? 'cancelled'
        : result.limitReached
          ? 'timed_out'
          : result.exitCode === 0
            ? 'succeeded'
            : 'failed';
    return {
      ...base,
      state,
      providerState: providerState || 'terminated (no longer listed)',
      phaseStartedAt: phases,
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(resultEnd ? { endedAt: resultEnd } : {}),
      message:
        result.reason ??
        (state === 'succeeded'
          ? 'the job finished'
          : state === 'cancelled'
            ? 'the job was cancelled'
            : `the job exited with status ${result.exitCode ?? '?'}`),
    };
  }
  const spotInterrupted = nodes.find((instance) => instance.StateReason?.Code === 'Server.SpotInstanceTermination');
  if (spotInterrupted && nodes.some(isEnded)) {
    return {
      ...base,
      state: 'preempted',
      providerState,
      phaseStartedAt: phases,
      endedAt: terminationTime(spotInterrupted) ?? view.observedAt,
      message: `EC2 took back the spot instance ${spotInterrupted.InstanceId}`,
    };
  }
  if (leader && isEnded(leader))
    return { ...base, ...endWithoutResult(leader, view, launchedAt), providerState, phaseStartedAt: phases };
  if (states.some((state) => state === 'stopped' || state === 'stopping')) {
    return {
      ...base,
      state: 'failed',
      providerState,
      phaseStartedAt: phases,
      endedAt: view.observedAt,
      message:
        'an instance of the job was stopped; ' +
        'a stopped machine does not run the job and its disks still bill: dlrun gc terminates it',
    };
  }
  if (states.every((state) => state === 'pending'))
    return { ...base, state: 'provisioning', providerState, phaseStartedAt: phases };
  return {
    ...base,
    state: 'running',
    providerState,
    phaseStartedAt: phases,
    ...(view.currentPhase ? { phase: view.currentPhase } : {}),
  };
}

function endWithoutResult(
  leader: Instance,
  view: Ec2JobView,
  launchedAt: string | undefined,
): Pick<JobStatus, 'state' | 'message' | 'endedAt'> {
  const endedAt = terminationTime(leader) ?? view.observedAt;
  const reason = leader.StateReason?.Code;
  if (reason === 'Client.UserInitiatedShutdown')
    return {
      state: 'cancelled',
      endedAt,
      message: 'the instance was terminated through the API (dlrun cancel, the console or another tool)',
    };
  const ranFor = launchedAt ? (Date.parse(endedAt) - Date.parse(launchedAt)) / 1000 : 0;
  if (
    reason === 'Client.InstanceInitiatedShutdown' &&
    view.stopAfterSeconds !== null &&
    ranFor >= view.stopAfterSeconds
  ) {
    return { state: 'timed_out', endedAt, message: "the machine's own stop timer ended it at the job's limit" };
  }
  return {
    state: 'failed',
    endedAt,
    message:
      `the machine ended (${leader.StateReason?.Message ?? reason ?? 'no reason given'}) ` +
      "before the job recorded its end; 'dlrun logs' shows its last output",
  };
}

/** A machine that runs (or is about to): it runs its part of the job, and bills. */
function isUp(instance: Instance): boolean {
  const state = stateName(instance);
  return state === 'pending' || state === 'running';
}

/** When EC2 says an instance was terminated: "User initiated (2026-11-26 05:00:00 GMT)"; moto writes UTC. */
export function terminationTime(instance: Instance): string | undefined {
  const match = /\((\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) (?:GMT|UTC)\)/.exec(instance.StateTransitionReason ?? '');
  return match ? new Date(`${match[1]!.replace(' ', 'T')}Z`).toISOString() : undefined;
}
