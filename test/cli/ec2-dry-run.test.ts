import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test, type TestContext } from 'vitest';
import { assertNoStack } from '../support/local-jobs.js';
import { defer } from '../support/cleanup.js';
import { writeJob } from '../support/job-files.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

interface DryRun {
  readonly stop_after_s: number;
  readonly worst_case_usd: number;
  readonly requests: readonly { operation: string; body: Record<string, unknown> }[];
  readonly startup_script: string;
}

/** A loopback "AWS" that counts what reaches it: a dry run must send nothing at all. */
async function countingEndpoint(t: TestContext): Promise<{ url: string; requests: () => number }> {
  let count = 0;
  const server = createServer((_request, response) => {
    count += 1;
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(t, () => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => count };
}

test(
  'submit --backend ec2 --dry-run shows the exact launch, the stop timer from max_cost, ' + 'and calls no AWS API',
  async (t) => {
    const aws = await countingEndpoint(t);
    const home = tempDir(t);
    const { jobPath } = writeJob(
      tempDir(t),
      'name: dry\nrun: echo training\nresources:\n  gpu: T4\n  spot: true\nlimits:\n  max_runtime: 4h\n  max_cost: 1\n',
    );
    const env = {
      AWS_ENDPOINT_URL: aws.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    };
    const result = await runCli(['submit', '--backend', 'ec2', jobPath, '--dry-run', '--json'], {
      cwd: home,
      home,
      env,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(aws.requests(), 0, 'no AWS call');
    assert.equal(existsSync(path.join(home, 'ledger.db')), false, 'no ledger');
    const plan = JSON.parse(result.stdout) as DryRun;

    // $1 at g4dn.xlarge's $0.526/h lasts about 1.9 h, well inside max_runtime 4h; the last second is kept back.
    assert.ok(plan.stop_after_s > 6800 && plan.stop_after_s < 6845, String(plan.stop_after_s));
    assert.ok(plan.worst_case_usd <= 1);
    const launch = plan.requests.find((request) => request.operation === 'ec2:RunInstances')!.body;
    assert.equal(launch.InstanceType, 'g4dn.xlarge', 'the cheapest type with a T4');
    assert.equal(launch.InstanceInitiatedShutdownBehavior, 'terminate');
    assert.match(String(launch.ClientToken), /^dlrun-[0-9a-f]{40}$/);
    assert.deepEqual(launch.InstanceMarketOptions, {
      MarketType: 'spot',
      SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' },
    });
    const tagged = launch.TagSpecifications as { ResourceType: string; Tags: { Key: string }[] }[];
    assert.deepEqual(
      tagged.map((spec) => spec.ResourceType),
      ['instance', 'volume'],
    );
    for (const spec of tagged)
      assert.ok(['dlrun-job-id', 'dlrun-ledger'].every((key) => spec.Tags.some((tag) => tag.Key === key)));

    const minutes = Math.ceil(plan.stop_after_s / 60) + 10;
    assert.match(
      plan.startup_script,
      new RegExp(`shutdown_after_minutes='?${minutes}'?`),
      'the machine stops itself 10 minutes after the limit',
    );
    const stub = plan.startup_script.split('# ---- the bootstrap it fetches')[0]!;
    assert.ok(Buffer.byteLength(stub) < 16_384, "the user data fits EC2's 16 KB");
    assert.doesNotMatch(stub, /AWS_SECRET_ACCESS_KEY|testing/, 'no AWS keys in user data');
  },
);

test('an EC2 job whose limit exceeds what presigned URLs allow is refused with the limit to set', async (t) => {
  const aws = await countingEndpoint(t);
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: week\nrun: echo training\nlimits:\n  max_runtime: 7d\n');
  const env = { AWS_ENDPOINT_URL: aws.url, AWS_REGION: 'us-east-1' };
  const result = await runCli(['submit', '--backend', 'ec2', jobPath, '--dry-run'], { cwd: home, home, env });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /presigned URLs, which live at most 7 days/);
  assert.match(result.stderr, /set limits\.max_runtime to 6d ?23h or less/);
  assertNoStack(result);
  assert.equal(aws.requests(), 0);
});
