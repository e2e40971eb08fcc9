import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'vitest';

// The script is run for real: bash sources it with a CLUSTER_SPEC and prints what it exported. stdin is closed:
// bash reads ~/.bashrc when its stdin is a socket (as if started by sshd), and node's pipes are sockets.
const STDIO = ['ignore', 'pipe', 'pipe'] as const;
const SCRIPT = path.resolve('templates/bootstrap/vertex-cluster-env.sh');
const PRINT = 'printf "%s|%s|%s|%s" "$DLRUN_NODE_RANK" "$DLRUN_NUM_NODES" "$DLRUN_MASTER_ADDR" "$DLRUN_MASTER_PORT"';

function source(spec: unknown): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  if (spec !== undefined) env.CLUSTER_SPEC = typeof spec === 'string' ? spec : JSON.stringify(spec);
  const run = spawnSync('bash', ['-c', `source "$0" || exit $?; ${PRINT}`, SCRIPT], {
    env,
    encoding: 'utf8',
    stdio: [...STDIO],
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function spec(type: string, index: number, workers = ['w0.internal:2222', 'w1.internal:2222']) {
  return {
    cluster: { workerpool0: ['chief.internal:2222'], workerpool1: workers },
    environment: 'cloud',
    task: { type, index, trial: '' },
    job: '{"worker_pool_specs": []}',
  };
}

test('no CLUSTER_SPEC: one node on this machine', () => {
  assert.deepEqual(source(undefined), { status: 0, stdout: '0|1|127.0.0.1|29500', stderr: '' });
  assert.equal(source('').stdout, '0|1|127.0.0.1|29500');
});

test('the chief is rank 0, worker i of workerpool1 is rank i + 1; the master is the chief', () => {
  assert.equal(source(spec('workerpool0', 0)).stdout, '0|3|chief.internal|2222');
  assert.equal(source(spec('workerpool1', 0)).stdout, '1|3|chief.internal|2222');
  assert.equal(source(spec('workerpool1', 1)).stdout, '2|3|chief.internal|2222');
});

test('a one-node job with a CLUSTER_SPEC: only workerpool0', () => {
  const one = { cluster: { workerpool0: ['10.0.0.2:3333'] }, task: { type: 'workerpool0', index: 0 } };
  assert.equal(source(one).stdout, '0|1|10.0.0.2|3333');
  const v6 = { cluster: { workerpool0: ['[fd00::2]:2222'] }, task: { type: 'workerpool0', index: 0 } };
  assert.equal(source(v6).stdout, '0|1|fd00::2|2222');
});

test('a malformed spec is refused: status 3 and a message that says what is wrong', () => {
  const cases: [unknown, RegExp][] = [
    ['{not json', /not JSON/],
    ['[]', /no "cluster" and "task"/],
    [{ cluster: { workerpool0: [] }, task: { type: 'workerpool0', index: 0 } }, /exactly one chief/],
    [{ ...spec('workerpool0', 0), cluster: { workerpool0: ['a:1', 'b:1'] } }, /exactly one chief/],
    [spec('workerpool2', 0), /task type "workerpool2" is not one of dlrun's pools/],
    [spec('workerpool1', 2), /task index 2 is not in workerpool1 \(2 replicas\)/],
    [spec('workerpool1', -1), /task index -1/],
    [{ ...spec('workerpool0', 0), cluster: { workerpool0: ['chief'] } }, /workerpool0\[0\] is not host:port/],
    [spec('workerpool0', 0, ['w0:99999']), /workerpool1\[0\] is not host:port/],
    [spec('workerpool0', 0, ['bad host:1']), /workerpool1\[0\] is not host:port/],
  ];
  for (const [value, message] of cases) {
    const result = source(value);
    assert.equal(result.status, 3, JSON.stringify(value));
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^dlrun: CLUSTER_SPEC from Vertex AI is not usable: /);
    assert.match(result.stderr, message);
  }
});

test('run on its own rather than sourced, a bad spec exits 3', () => {
  const run = spawnSync('bash', [SCRIPT], {
    env: { PATH: process.env.PATH, CLUSTER_SPEC: '{' },
    encoding: 'utf8',
    stdio: [...STDIO],
  });
  assert.equal(run.status, 3);
});

test('shellcheck finds nothing', { skip: spawnSync('shellcheck', ['--version']).status !== 0 }, () => {
  const run = spawnSync('shellcheck', [SCRIPT], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout);
});
