// Runs templates/bootstrap/vertex-bootstrap.sh for real, as a Vertex AI container would (`bash -c`, its inputs in the
// environment), against the Cloud Storage stand-in and a loopback metadata server that hands out access tokens.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { renderVertexBootstrap } from '../../adapters/vertex/vertex-bootstrap.js';
import type { GcsServer } from '../standins/gcs-server.js';
import { markerLines, resultLines, runBootstrapChild, workdirArchiveOf } from './bootstrap-child.js';
import { defer } from './cleanup.js';
import { tempDir } from './temp-dir.js';

export const BUCKET = 'dlrun-staging';

/** A metadata server on loopback: each token request gets `tokens(n)` for the n-th request (from 0). */
export interface MetadataServer {
  readonly url: string;
  /** The tokens handed out, in order. */
  readonly issued: string[];
}

export async function metadataServerFor(
  t: TestContext,
  token: (index: number) => { readonly token: string; readonly expiresIn: number },
): Promise<MetadataServer> {
  const issued: string[] = [];
  const server = http.createServer((request, response) => {
    const wanted = '/computeMetadata/v1/instance/service-accounts/default/token';
    if (request.url !== wanted || request.headers['metadata-flavor'] !== 'Google') {
      response.writeHead(404).end('not found');
      return;
    }
    const given = token(issued.length);
    issued.push(given.token);
    response.writeHead(200, { 'content-type': 'application/json', 'metadata-flavor': 'Google' });
    response.end(JSON.stringify({ access_token: given.token, expires_in: given.expiresIn, token_type: 'Bearer' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  defer(t, () => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, issued };
}

/** Where the bucket keeps a job's objects. */
export function jobObjects(jobId: string, rank = 0) {
  const job = `staging/jobs/${jobId}`;
  return {
    workdir: `${job}/workdir.tar.gz`,
    nodes: `${job}/nodes`,
    log: `${job}/nodes/${rank}/output.log`,
    markers: `${job}/nodes/${rank}/markers`,
    result: `${job}/nodes/${rank}/result`,
    outputs: `${job}/nodes/${rank}/outputs.tar.gz`,
  };
}

/** The workdir's tar.gz, staged as the adapter would. */
export function stageWorkdir(t: TestContext, gcs: GcsServer, jobId: string, files: Record<string, string>): void {
  gcs.putObject(BUCKET, jobObjects(jobId).workdir, readFileSync(workdirArchiveOf(t, 'vertex', files)));
}

export interface BootstrapOptions {
  readonly jobId: string;
  readonly run: string;
  readonly setup?: string;
  readonly env?: Record<string, string>;
  /** More of the bootstrap's own inputs (DLRUN_BOOT_SECRETS_OBJECT, say), beside those set here. */
  readonly bootEnv?: Record<string, string>;
  readonly clusterSpec?: unknown;
  /** Called once the bootstrap is started, with its process id (as a container's process 1). */
  readonly whileRunning?: (pid: number) => Promise<void>;
}

export interface BootstrapRun {
  readonly exitCode: number | null;
  /** The container's stdout and stderr. */
  readonly console: string;
  readonly root: string;
}

/** Runs the bootstrap to its end (failing after 60 s); its processes are killed if the test ends first. */
export async function runBootstrap(
  t: TestContext,
  gcs: GcsServer,
  metadata: MetadataServer,
  options: BootstrapOptions,
): Promise<BootstrapRun> {
  const folder = tempDir(t, 'dlrun-vertex-container-');
  const root = path.join(folder, 'dlrun');
  const objects = jobObjects(options.jobId);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: folder,
    DLRUN_ROOT: root,
    DLRUN_GCS_URL: gcs.endpoint,
    DLRUN_METADATA_URL: metadata.url,
    DLRUN_BOOT_BUCKET: BUCKET,
    DLRUN_BOOT_WORKDIR_OBJECT: objects.workdir,
    DLRUN_BOOT_NODES_PREFIX: objects.nodes,
    DLRUN_BOOT_SETUP: options.setup ?? '',
    DLRUN_BOOT_RUN: options.run,
    DLRUN_BOOT_JOB_ENV: JSON.stringify(options.env ?? {}),
    DLRUN_BOOT_LOG_INTERVAL: '1',
    // Retries after 0.1, 0.2, 0.4 ... s: a bucket that never answers fails the run in seconds.
    DLRUN_BOOT_RETRY_SECONDS: '0.1',
    DLRUN_JOB_ID: options.jobId,
    DLRUN_GPUS_PER_NODE: '1',
    ...options.bootEnv,
  };
  if (options.clusterSpec !== undefined) env.CLUSTER_SPEC = JSON.stringify(options.clusterSpec);
  const { exitCode, console } = await runBootstrapChild(t, {
    shell: 'bash',
    script: renderVertexBootstrap(),
    cwd: folder,
    env,
    hung: 'the bootstrap never ended; its console',
    ...(options.whileRunning ? { whileRunning: options.whileRunning } : {}),
  });
  return { exitCode, console, root };
}

/** The text of an object, or '' when the bucket does not hold it. */
export function objectText(gcs: GcsServer, name: string): string {
  return gcs.object(BUCKET, name)?.bytes.toString() ?? '';
}

/** `state=...` lines of a result object, as a record. */
export function resultOf(gcs: GcsServer, name: string): Record<string, string> {
  return resultLines(objectText(gcs, name));
}

/** The events of a markers object, without their times. */
export function markerEvents(gcs: GcsServer, name: string): string[] {
  return markerLines(objectText(gcs, name));
}

/** The outputs archive, unpacked in a temporary folder. */
export function unpackedOutputs(t: TestContext, gcs: GcsServer, name: string): string {
  const stored = gcs.object(BUCKET, name);
  if (!stored) throw new Error(`no object ${name}`);
  const folder = tempDir(t, 'dlrun-vertex-outputs-');
  writeFileSync(path.join(folder, 'outputs.tar.gz'), stored.bytes);
  mkdirSync(path.join(folder, 'out'));
  const run = spawnSync('tar', ['-xzf', 'outputs.tar.gz', '-C', 'out'], { cwd: folder, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tar: ${run.stderr}`);
  return path.join(folder, 'out');
}
