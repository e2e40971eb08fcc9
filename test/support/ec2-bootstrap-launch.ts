import type { JobId } from '../../src/backend/job-id.js';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { create } from 'tar';
import type { Ec2BootstrapInput, Ec2BootstrapUrls } from '../../adapters/ec2/ec2-bootstrap-input.js';
import { encodeUserData, renderBootstrap, renderStub } from '../../adapters/ec2/ec2-user-data.js';
import { defer } from './cleanup.js';
import type { BootstrapServer } from './ec2-bootstrap-server.js';
import { tempDir } from './temp-dir.js';

/** Where the test's "bucket" keeps each node's objects. */
export function nodeObjects(jobId: JobId, rank: number) {
  const folder = `/bucket/jobs/${jobId}/nodes/${rank}`;
  return {
    log: `${folder}/output.log`,
    markers: `${folder}/markers`,
    result: `${folder}/result`,
    outputs: `${folder}/outputs.tar.gz`,
    secrets: `${folder}/secrets`,
    address: `${folder}/address`,
  };
}

export interface LaunchOptions {
  readonly jobId: JobId;
  readonly run: string;
  readonly setup?: string;
  readonly env?: Record<string, string>;
  /** The secrets object's text (`export NAME='value'` lines), staged for every node of the launch. */
  readonly secrets?: string;
  readonly workdirFiles?: Record<string, string>;
  readonly nodes?: number;
  readonly firstRank?: number;
  readonly launchSize?: number;
  readonly masterAddress?: string;
  readonly tensorflow?: boolean;
  readonly stopAfterSeconds?: number;
  readonly stopReason?: string;
  readonly shutdownAfterMinutes?: number | null;
}

/** Where the test's "bucket" keeps the bootstrap of the node of this rank. */
export function bootstrapObject(jobId: JobId, rank: number): string {
  return `/bucket/jobs/${jobId}/bootstrap-node-${rank}.sh`;
}

/**
 * Stage one launch on the stand-in server as dlrun would in S3: the workdir's tar.gz, the secrets, and a rendered
 * bootstrap for each machine of the launch. Returns each machine's bootstrap input (by launch index) and the user
 * data, base64 as RunInstances would get it.
 */
export function stageLaunch(
  t: TestContext,
  server: BootstrapServer,
  options: LaunchOptions,
): { inputs: Ec2BootstrapInput[]; userData: string } {
  const { jobId, nodes = 1, firstRank = 0, launchSize = 1 } = options;
  const workdir = tempDir(t, 'dlrun-ec2-workdir-');
  for (const [name, text] of Object.entries(options.workdirFiles ?? { 'README.md': 'a workdir\n' })) {
    mkdirSync(path.dirname(path.join(workdir, name)), { recursive: true });
    writeFileSync(path.join(workdir, name), text);
  }
  const workdirKey = `/bucket/jobs/${jobId}/workdir.tar.gz`;
  const archive = path.join(tempDir(t, 'dlrun-ec2-archive-'), 'workdir.tar.gz');
  create({ gzip: true, cwd: workdir, file: archive, sync: true, portable: true }, ['.']);
  server.objects.set(workdirKey, readFileSync(archive));

  const inputs: Ec2BootstrapInput[] = [];
  const bootstraps: Ec2BootstrapUrls[] = [];
  for (let index = 0; index < launchSize; index += 1) {
    const rank = firstRank + index;
    const objects = nodeObjects(jobId, rank);
    if (options.secrets !== undefined) server.objects.set(objects.secrets, Buffer.from(options.secrets));
    const input: Ec2BootstrapInput = {
      jobId,
      nodes,
      rank,
      masterAddress: options.masterAddress,
      masterPort: 29500,
      gpusPerNode: 1,
      tensorflow: options.tensorflow ?? false,
      env: options.env ?? {},
      setup: options.setup,
      run: options.run,
      outputs: 'outputs',
      workdirUrl: server.url(workdirKey),
      stopAfterSeconds: options.stopAfterSeconds ?? null,
      stopReason: options.stopReason ?? null,
      logIntervalSeconds: 1,
      urls: {
        log: server.url(objects.log),
        markers: server.url(objects.markers),
        result: server.url(objects.result),
        outputs: rank === 0 ? server.url(objects.outputs) : null,
        secretsGet: options.secrets === undefined ? null : server.url(objects.secrets),
        secretsDelete: options.secrets === undefined ? null : server.url(objects.secrets),
        address: options.tensorflow && nodes > 1 ? server.url(objects.address) : null,
      },
      addressUrls:
        options.tensorflow && nodes > 1
          ? Array.from({ length: nodes }, (_, other) => server.url(nodeObjects(jobId, other).address))
          : [],
    };
    server.objects.set(bootstrapObject(jobId, rank), Buffer.from(renderBootstrap(input)));
    inputs.push(input);
    bootstraps.push({
      get: server.url(bootstrapObject(jobId, rank)),
      delete: server.url(bootstrapObject(jobId, rank)),
    });
  }
  const stub = renderStub({
    jobId,
    bootstraps,
    shutdownAfterMinutes: options.shutdownAfterMinutes === undefined ? 90.5 : options.shutdownAfterMinutes,
  });
  return { inputs, userData: encodeUserData(stub) };
}

export interface StubRun {
  /** The arguments of every `shutdown` call, in order. */
  readonly shutdownCalls: readonly string[];
  readonly exitCode: number | null;
  /** What cloud-init would have logged (the stub's stdout and stderr). */
  readonly console: string;
  /** DLRUN_ROOT of the run. */
  readonly root: string;
}

// Stands in for shutdown(8): records its arguments, and tells the server, so the order of events is known.
const FAKE_SHUTDOWN = `#!/bin/bash
printf '%s\\n' "$*" >> "$DLRUN_TEST_SHUTDOWN_RECORD"
curl --silent --output /dev/null --request POST --data-binary "$*" "$DLRUN_TEST_SHUTDOWN_URL"
`;

/**
 * Run the user data as cloud-init would (bash, as this user, no terminal), in a temporary folder, with `shutdown`
 * replaced through PATH. Waits until the machine asked for `shutdown -h now` and the stub has exited.
 */
export async function runUserData(t: TestContext, server: BootstrapServer, userData: string): Promise<StubRun> {
  const folder = tempDir(t, 'dlrun-ec2-machine-');
  const bin = path.join(folder, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'shutdown'), FAKE_SHUTDOWN);
  chmodSync(path.join(bin, 'shutdown'), 0o755);
  const raw = Buffer.from(userData, 'base64');
  const script = path.join(folder, 'user-data');
  writeFileSync(script, raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw);
  const record = path.join(folder, 'shutdown-calls');
  const root = path.join(folder, 'opt-dlrun');
  const child = spawn('bash', [script], {
    cwd: folder,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: folder,
      DLRUN_ROOT: root,
      DLRUN_IMDS_URL: server.base,
      DLRUN_TEST_SHUTDOWN_RECORD: record,
      DLRUN_TEST_SHUTDOWN_URL: `${server.base}/shutdown`,
      // For jobs that ask the server what it has received.
      DLRUN_TEST_SERVER: server.base,
    },
  });
  // A test that fails mid-run must not leave the machine's processes behind.
  defer(t, () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  });
  let console = '';
  child.stdout.on('data', (chunk: Buffer) => (console += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (console += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the machine never shut down; its console:\n${console}`)), 90_000);
  });
  try {
    await Promise.race([Promise.all([server.shutdownNow, exited]), hung]);
  } finally {
    clearTimeout(timer);
  }
  const shutdownCalls = readFileSync(record, 'utf8').split('\n').filter(Boolean);
  return { shutdownCalls, exitCode: await exited, console, root };
}
