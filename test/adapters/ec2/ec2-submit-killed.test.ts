import assert from 'node:assert/strict';
import { test, type TestContext } from 'vitest';
import { defer } from '../../support/cleanup.js';
import { ec2Env, ec2Job, instancesOfJob, isLive, statusJobs, type JobRecordJson } from '../../support/ec2-cli.js';
import { runCli, startCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { startFaultProxy, type ProxyEvent } from '../../standins/fault-proxy.js';
import { allInstances, ec2Client } from '../../standins/test-clients.js';
import { motoForThisFile, skipOrFailWithoutMoto, type MotoServer } from '../../standins/moto-server.js';

const moto = motoForThisFile();

/** Where a submit is killed: when the proxy receives its k-th request, or when RunInstances has been answered. */
type KillPoint = { readonly request: number } | { readonly afterLaunchAnswer: true };

function describePoint(point: KillPoint, actions: readonly string[]): string {
  return 'request' in point ? `request ${point.request} (${actions[point.request - 1]})` : 'RunInstances answered';
}

/**
 * Run `dlrun submit` through a proxy and SIGKILL it at `point`; the proxy is left settled (every request answered or
 * dropped).
 */
async function submitAndKill(
  t: TestContext,
  server: MotoServer,
  jobPath: string,
  home: string,
  point: KillPoint,
): Promise<void> {
  const proxy = await startFaultProxy(server.endpoint, { honourClientTokens: true });
  defer(t, () => proxy.close());
  const child = startCli(['submit', '--backend', 'ec2', jobPath, '--json'], {
    cwd: home,
    home,
    env: ec2Env(proxy.endpoint),
  });
  const reached = (event: ProxyEvent): boolean =>
    'request' in point
      ? event.event === 'received' && event.request === point.request
      : event.action === 'RunInstances' && event.event === 'answered';
  const hit = await Promise.race([proxy.waitForEvent(reached), child.exited.then(() => undefined)]);
  if (hit) child.signal('SIGKILL');
  const ended = await child.exited;
  assert.ok(hit, `submit ended before ${JSON.stringify(point)}: ${ended.stderr}`);
  // What moto was asked before the kill is done before the ledger is judged (moto finishes what it received).
  await proxy.waitForEvent((event) => event.request === hit.request && event.event !== 'received');
}

/** The job after the kill, as a fresh `dlrun status` (talking to moto without faults) reconciles it. */
async function assertCoherent(t: TestContext, server: MotoServer, home: string, where: string): Promise<void> {
  const env = ec2Env(server.endpoint);
  const jobs: JobRecordJson[] = await statusJobs(home, env);
  const ec2 = ec2Client(t, server.endpoint);
  assert.ok(jobs.length <= 1, `${where}: at most one row: ${JSON.stringify(jobs)}`);
  const job = jobs[0];
  if (!job) {
    // Killed before the ledger row was written: nothing may have been launched either.
    assert.equal((await allInstances(ec2)).length, 0, `${where}: no row, so no machine`);
    return;
  }
  const single = await runCli(['status', job.job_id, '--json'], { cwd: home, home, env, timeoutMs: 60_000 });
  assert.equal(single.code, 0, `${where}: the row reads back: ${single.stderr}`);
  const machines = await instancesOfJob(ec2, job.job_id);
  assert.ok(machines.length <= 1, `${where}: at most one machine`);
  if (machines.some(isLive)) {
    assert.ok(
      ['provisioning', 'running'].includes(job.state),
      `${where}: a machine runs, so the job is active: ${JSON.stringify(job)}`,
    );
    assert.equal(job.external_id, machines[0]!.InstanceId, `${where}: the ledger names the machine`);
  } else {
    assert.ok(['failed', 'lost'].includes(job.state), `${where}: no machine, so the job ended: ${JSON.stringify(job)}`);
    assert.match(job.end_reason ?? '', /launch never completed|launch failed/, `${where}: says why`);
  }
}

test('dlrun submit killed at every request it makes leaves a ledger that status reconciles: ' +
  'one machine at most, named, or an ended job', {
  timeout: 180_000,
}, async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const server = moto(t)!;
  // A whole submit first, to learn its requests (and to be sure it launches at the end).
  const proxy = await startFaultProxy(server.endpoint, { honourClientTokens: true });
  defer(t, () => proxy.close());
  const home = tempDir(t);
  const whole = await runCli(['submit', '--backend', 'ec2', ec2Job(t), '--json'], {
    cwd: home,
    home,
    env: ec2Env(proxy.endpoint),
    timeoutMs: 60_000,
  });
  assert.equal(whole.code, 0, whole.stderr);
  const actions = proxy
    .events()
    .filter((event) => event.event === 'received')
    .map((event) => event.action);
  assert.ok(actions.includes('RunInstances'), actions.join(', '));
  console.log(`requests of a submit: ${actions.join(', ')}`);
  const points: KillPoint[] = [...actions.map((_, index) => ({ request: index + 1 })), { afterLaunchAnswer: true }];
  for (const point of points) {
    await server.reset();
    const where = `killed at ${describePoint(point, actions)}`;
    const killedHome = tempDir(t);
    await submitAndKill(t, server, ec2Job(t), killedHome, point);
    await assertCoherent(t, server, killedHome, where);
  }
});
