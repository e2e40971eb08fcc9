import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { extract } from 'tar';
import type { BootstrapServer } from './ec2-bootstrap-server.js';
import type { StubRun } from './ec2-bootstrap-launch.js';
import { tempDir } from './temp-dir.js';

/** Every file under `folder`, at any depth. */
export function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true })
    .map((name) => path.join(folder, String(name)))
    .filter((file) => statSync(file).isFile());
}

/** The `key=value` lines of an uploaded result. */
export function resultOf(server: BootstrapServer, key: string): Record<string, string> {
  const text = server.objects.get(key)?.toString();
  assert.ok(text !== undefined, `no result was uploaded to ${key}`);
  return Object.fromEntries(
    text
      .trimEnd()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** The uploaded markers' events in order, after checking each line's timestamp is a time of this run. */
export function markerEvents(server: BootstrapServer, key: string, startedAt: number): string[] {
  const text = server.objects.get(key)?.toString();
  assert.ok(text !== undefined, `no markers were uploaded to ${key}`);
  const lines = text.trimEnd().split('\n');
  let previous = startedAt / 1000 - 1;
  return lines.map((line) => {
    const match = /^(\d+(?:\.\d+)?) (.+)$/.exec(line);
    assert.ok(match, `a marker line without a timestamp: ${line}`);
    const time = Number(match[1]);
    assert.ok(time >= previous && time <= Date.now() / 1000 + 1, `marker times in order, within the run: ${text}`);
    previous = time;
    return match[2]!;
  });
}

/** The uploaded outputs tar.gz, unpacked into a fresh folder. */
export function unpackedOutputs(t: TestContext, server: BootstrapServer, key: string): string {
  const archive = server.objects.get(key);
  assert.ok(archive, `no outputs were uploaded to ${key}`);
  const file = path.join(tempDir(t, 'dlrun-ec2-download-'), 'outputs.tar.gz');
  writeFileSync(file, archive);
  const folder = tempDir(t, 'dlrun-ec2-outputs-');
  extract({ file, cwd: folder, sync: true });
  return folder;
}

/**
 * What holds on every run, whatever the job did: the stop timer was the machine's first act, `shutdown -h now`
 * its last; the job's folder is root's alone; the secrets were read once, deleted at once, and never left the
 * job's environment: none of `secrets` (the value, and a fragment that survives quoting) is in any uploaded
 * object, any file on the machine's disk or the console.
 */
export function assertMachineContract(
  t: TestContext,
  run: StubRun,
  server: BootstrapServer,
  expected: { timerMinutes: number | null; secretsKey?: string; secrets?: readonly string[]; outputsKey?: string },
): void {
  const timer = expected.timerMinutes === null ? [] : [`-h +${expected.timerMinutes}`];
  assert.deepEqual(run.shutdownCalls, [...timer, '-h now'], run.console);
  const first = server.requests[0]!;
  if (timer.length)
    assert.deepEqual(
      [first.method, first.path, first.body.toString()],
      ['POST', '/shutdown', timer[0]],
      'the timer comes first',
    );
  const last = server.requests.at(-1)!;
  assert.deepEqual([last.method, last.path, last.body.toString()], ['POST', '/shutdown', '-h now']);
  assert.equal(statSync(run.root).mode & 0o777, 0o700, 'the job folder is root only');
  // What the stub and the bootstrap write themselves (the job's own files are inside the root-only folder).
  const own = ['bootstrap.sh', 'job', 'job/setup.sh', 'job/run.sh', 'job/job-wrapper.sh', 'job/result'].map((name) =>
    path.join(run.root, name),
  );
  for (const file of own.filter((name) => existsSync(name))) {
    assert.equal(statSync(file).mode & 0o077, 0, `${file}, with URLs or the job's scripts, is root's alone`);
  }

  // The stub read its bootstrap once and deleted it at once: after boot, the user data leads to nothing.
  const bootstraps = new Set(
    server.requests
      .filter(
        (request) =>
          /\/bootstrap-node-\d+\.sh$/.test(request.path) &&
          request.method === 'GET' &&
          !server.forbidden.has(request.path),
      )
      .map((request) => request.path),
  );
  for (const key of bootstraps) {
    const touches = server.requests.filter((request) => request.path === key).map((request) => request.method);
    assert.deepEqual(touches, ['GET', 'DELETE'], `${key} fetched once, then deleted`);
    assert.equal(server.objects.has(key), false, `${key} is gone`);
  }

  if (expected.secretsKey !== undefined) {
    assert.equal(server.to(expected.secretsKey, 'GET').length, 1, 'the secrets are read once');
    assert.equal(server.to(expected.secretsKey, 'DELETE').length, 1, 'and deleted');
    assert.equal(server.objects.has(expected.secretsKey), false);
    const read = server.requests.findIndex(
      (request) => request.path === expected.secretsKey && request.method === 'GET',
    );
    const deleted = server.requests.findIndex(
      (request) => request.path === expected.secretsKey && request.method === 'DELETE',
    );
    const workdir = server.requests.findIndex((request) => request.path.endsWith('/workdir.tar.gz'));
    assert.ok(read < deleted && deleted < workdir, 'deleted at once, before anything else is fetched');
  }
  const places = filesUnder(run.root);
  if (expected.outputsKey !== undefined) places.push(...filesUnder(unpackedOutputs(t, server, expected.outputsKey)));
  for (const text of expected.secrets ?? []) {
    const secret = Buffer.from(text);
    for (const request of server.requests.filter((each) => each.method === 'PUT')) {
      assert.equal(request.body.includes(secret), false, `the secret was uploaded to ${request.path}`);
    }
    for (const file of places)
      assert.equal(readFileSync(file).includes(secret), false, `the secret was written to ${file}`);
    assert.equal(run.console.includes(text), false, 'the secret reached the console');
  }
}
