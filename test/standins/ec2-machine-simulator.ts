import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  EC2Client,
  TerminateInstancesCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import { awsClientConfig, awsEnvironment } from './aws-client-config.js';

/** One instance the simulator booted: its user data ran in `root`, like cloud-init on a real machine. */
export interface SimulatedMachine {
  readonly instanceId: string;
  readonly root: string;
  /** What the machine's `shutdown` was called with, in order ("-h +5", "-h now"). */
  shutdownCalls(): string[];
  readonly exited: Promise<number | null>;
}

export interface MachineSimulator {
  machines(): readonly SimulatedMachine[];
  /** Resolves when `count` machines have booted. */
  waitForMachines(count: number): Promise<readonly SimulatedMachine[]>;
  stop(): Promise<void>;
}

const POLL_MS = 150;

/**
 * Stands in for what moto never does: boot the instances. Every instance that appears in moto as running gets its
 * user data decoded and run by bash, exactly as sent, in a folder of its own (DLRUN_ROOT), with a loopback server as
 * its instance metadata service (launch index, private address) and `shutdown` replaced through PATH: `-h now`
 * terminates the instance through the EC2 API, as InstanceInitiatedShutdownBehavior=terminate would. An instance
 * terminated from outside (dlrun cancel) has its machine's processes killed, as a real power-off would.
 */
export async function startMachineSimulator(endpoint: string): Promise<MachineSimulator> {
  const ec2 = new EC2Client(awsClientConfig(endpoint));
  const booted = new Map<string, { machine: SimulatedMachine; process: ChildProcess; instance: Instance }>();
  const base = mkdtempSync(path.join(os.tmpdir(), 'dlrun-machines-'));
  const waiters: { count: number; resolve: () => void }[] = [];
  let stopped = false;
  const server = await metadataServer(booted, ec2);
  const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const boot = async (instance: Instance): Promise<void> => {
    const instanceId = instance.InstanceId!;
    const attribute = await ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }),
    );
    const encoded = attribute.UserData?.Value ?? '';
    let userData = Buffer.from(encoded, 'base64');
    if (userData[0] === 0x1f && userData[1] === 0x8b) userData = gunzipSync(userData);
    const root = path.join(base, instanceId);
    const bin = path.join(root, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(root, 'user-data'), userData);
    // The machine's `shutdown`: records how it was called; `now` powers the instance off through the EC2 API.
    const powerOff = `curl -fsS -X POST '${serverUrl}/${instanceId}/power-off' >/dev/null || true`;
    writeFileSync(
      path.join(bin, 'shutdown'),
      ['#!/bin/bash', `echo "$*" >> '${root}/shutdown.log'`, `case " $* " in *" now "*) ${powerOff} ;; esac`, ''].join(
        '\n',
      ),
    );
    chmodSync(path.join(bin, 'shutdown'), 0o755);
    const child = spawn('bash', [path.join(root, 'user-data')], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore'],
      env: {
        ...process.env,
        ...awsEnvironment(endpoint),
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        DLRUN_IMDS_URL: `${serverUrl}/${instanceId}`,
        DLRUN_ROOT: path.join(root, 'opt-dlrun'),
        HOME: root,
      },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const machine: SimulatedMachine = {
      instanceId,
      root,
      shutdownCalls: () => {
        try {
          return readFileSync(path.join(root, 'shutdown.log'), 'utf8').split('\n').filter(Boolean);
        } catch {
          return [];
        }
      },
      exited,
    };
    booted.set(instanceId, { machine, process: child, instance });
    for (const waiter of [...waiters]) if (booted.size >= waiter.count) waiter.resolve();
  };

  const poll = async (): Promise<void> => {
    while (!stopped) {
      try {
        const answer = await ec2.send(new DescribeInstancesCommand({}));
        for (const instance of (answer.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? [])) {
          const known = booted.get(instance.InstanceId!);
          const state = instance.State?.Name;
          if (!known && state === 'running') await boot(instance);
          if (known && (state === 'terminated' || state === 'shutting-down')) powerOff(known.process);
        }
      } catch {
        // moto is being reset or stopped: try again.
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  const polling = poll();

  return {
    machines: () => [...booted.values()].map(({ machine }) => machine),
    waitForMachines: (count) =>
      new Promise((resolve) => {
        const done = (): void => resolve([...booted.values()].map(({ machine }) => machine));
        if (booted.size >= count) done();
        else waiters.push({ count, resolve: done });
      }),
    stop: async () => {
      stopped = true;
      await polling;
      for (const { process: child } of booted.values()) powerOff(child);
      await new Promise((resolve) => server.close(resolve));
      ec2.destroy();
      rmSync(base, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

function powerOff(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The instance metadata service (IMDSv2) of every simulated machine, under /<instance id>/, and its power switch. */
async function metadataServer(booted: ReadonlyMap<string, { instance: Instance }>, ec2: EC2Client): Promise<Server> {
  const server = createServer((request, response) => {
    const [, instanceId, ...rest] = (request.url ?? '').split('/');
    const route = rest.join('/');
    const instance = booted.get(instanceId ?? '')?.instance;
    const send = (status: number, body: string): void => {
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(body);
    };
    if (!instance) return send(404, 'unknown instance');
    if (request.method === 'PUT' && route === 'latest/api/token') return send(200, 'simulated-token');
    if (route === 'latest/meta-data/ami-launch-index') return send(200, String(instance.AmiLaunchIndex ?? 0));
    if (route === 'latest/meta-data/local-ipv4') return send(200, instance.PrivateIpAddress ?? '10.0.0.1');
    if (route === 'latest/meta-data/instance-id') return send(200, instance.InstanceId!);
    if (request.method === 'POST' && route === 'power-off') {
      void ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId!] })).then(
        () => send(200, 'off'),
        () => send(500, 'failed'),
      );
      return;
    }
    send(404, 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
