// moto_server itself, with no test runner in it: the benchmarks (bench/) start it too.
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { GetCostAndUsageResponse } from '@aws-sdk/client-cost-explorer';
import { awsClientConfig } from './aws-client-config.js';
import { commandExists, freePort, launchMoto, type MotoProcess } from './moto-process.js';

export {
  awsClientConfig,
  awsEnvironment,
  TEST_CREDENTIALS,
  TEST_REGION,
  type AwsClientConfig,
} from './aws-client-config.js';

export const MOTO_MISSING_IN_CI = 'moto_server is not installed; .ci/run must provide it';
export const MOTO_MISSING_HERE =
  'moto_server is not installed, so this AWS test did not run: ' +
  'install moto (pip install "moto[server]==5.2.1") to run it; under CI=true this is a failure';

/** One canned Cost Explorer answer: what GetCostAndUsage returns for the next new set of parameters. */
export type CostAndUsageResult = Omit<GetCostAndUsageResponse, '$metadata'>;

/** A moto_server of this test file, on 127.0.0.1 and a port of its own. */
export interface MotoServer {
  /** http://127.0.0.1:PORT, for awsClientConfig / awsEnvironment (or for a fault proxy in front of it). */
  readonly endpoint: string;
  readonly pid: number;
  /** Empty every service, and undo failAuth (moto's own reset keeps the auth setting). */
  reset(): Promise<void>;
  /** Make generated ids repeat: after the same seed, the same calls give the same instance ids. */
  seed(value: number): Promise<void>;
  /** From now on every request fails as AWS answers unknown keys (EC2: AuthFailure, 401). */
  failAuth(): Promise<void>;
  restoreAuth(): Promise<void>;
  /** Queue answers for GetCostAndUsage: each new set of request parameters takes the next one; repeats get the same. */
  queueCostAndUsage(results: readonly CostAndUsageResult[]): Promise<void>;
  /** The end of moto's own log, for failure messages. */
  output(): string;
  /** Stop the process and wait until it is gone (SIGKILL if SIGTERM is not enough). Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /** Extra variables for moto itself, e.g. MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION: 'true'. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Only stops a hung start: a cold first start here takes about 3 s. */
  readonly readyTimeoutMs?: number;
  /** Where to try to listen; every attempt asks again. */
  readonly choosePort?: () => Promise<number>;
  readonly portAttempts?: number;
}

let installed: boolean | undefined;
export function motoInstalled(): boolean {
  installed ??= commandExists('moto_server');
  return installed;
}

async function admin(endpoint: string, path: string, init: RequestInit = {}): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/${path}`, { method: 'POST', ...init });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto /moto-api/${path} answered ${response.status}: ${text.slice(0, 500)}`);
}

function serverOn(moto: MotoProcess): MotoServer {
  const { endpoint } = moto;
  // Without the text/plain type, Flask leaves the body empty and moto answers 500.
  const authAfter = (count: string): Promise<void> =>
    admin(endpoint, 'reset-auth', { headers: { 'content-type': 'text/plain' }, body: count });
  return {
    endpoint,
    pid: moto.pid,
    reset: async () => {
      await admin(endpoint, 'reset');
      await authAfter('inf');
    },
    seed: (value) => admin(endpoint, `seed?a=${Math.trunc(value)}`),
    failAuth: () => authAfter('0'),
    restoreAuth: () => authAfter('inf'),
    queueCostAndUsage: (results) =>
      admin(endpoint, 'static/ce/cost-and-usage-results', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ results }),
      }),
    output: () => moto.output(),
    stop: () => moto.stop(),
  };
}

/** Start moto_server on a free loopback port, ready and warm: the first EC2 call (2+ s here) is already paid. */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  if (!motoInstalled()) throw new Error(process.env.CI === 'true' ? MOTO_MISSING_IN_CI : MOTO_MISSING_HERE);
  const attempts = options.portAttempts ?? 5;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = await (options.choosePort ?? freePort)();
    const outcome = await launchMoto(port, options.environment ?? {}, options.readyTimeoutMs ?? 60_000);
    if (outcome.kind === 'port-taken') continue;
    const server = serverOn(outcome.process);
    try {
      const ec2 = new EC2Client({ ...awsClientConfig(server.endpoint), maxAttempts: 1 });
      // The first EC2 request loads moto's instance types and AMIs; pay it here, not in whichever test comes first.
      await ec2.send(new DescribeInstancesCommand({})).finally(() => ec2.destroy());
    } catch (error) {
      await server.stop();
      throw new Error(`moto_server started but did not answer DescribeInstances: ${String(error)}\n${server.output()}`);
    }
    return server;
  }
  throw new Error(`moto_server found every port it tried taken (${attempts} attempts)`);
}
