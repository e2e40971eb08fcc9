import assert from 'node:assert/strict';
import { test } from 'vitest';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { nodeKeys } from '../../../adapters/ec2/ec2-names.js';
import { defer } from '../../support/cleanup.js';
import { ec2ProviderDetails, homeWithEc2Jobs } from '../../support/ec2-ledger-jobs.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { startFaultProxy } from '../../standins/fault-proxy.js';
import { motoForThisFile } from '../../standins/moto-server.js';
import { ec2Client, s3Client } from '../../standins/test-clients.js';
import { ec2Env } from '../../support/ec2-cli.js';

const motoFor = motoForThisFile();

interface StatusJson {
  readonly jobs: readonly { job_id: string; state: string; exit_code: number | null }[];
}

test('dlrun status over 1,000 active EC2 jobs refreshes them all from at most 2 DescribeInstances, and sees some end', {
  timeout: 300_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const proxy = await startFaultProxy(moto.endpoint);
  defer(t, () => proxy.close());
  const home = tempDir(t, 'dlrun-home-');
  const { ledgerId, jobs } = await homeWithEc2Jobs(home, ec2Client(t, moto.endpoint), 1000);
  // moto builds its answer for 1,000 instances whole before sending a byte, which can take longer than dlrun's read
  // deadline on a loaded machine (AWS streams a page in well under a second): this test counts requests, so a
  // timeout's retry must not count. The deadlines have tests of their own (ec2-deadlines.test.ts).
  const env = { ...ec2Env(proxy.endpoint), DLRUN_NETWORK_TIMEOUT_MS: '120000' };

  const first = await runCli(['status', '--json'], { cwd: home, home, env });
  assert.equal(first.code, 0, first.stderr);
  assert.doesNotMatch(first.stderr, /warning/);
  const listed = (JSON.parse(first.stdout) as StatusJson).jobs;
  assert.equal(listed.length, 1000);
  assert.ok(
    listed.every((job) => job.state === 'running'),
    'every launched job is running once EC2 says so',
  );
  assert.ok(proxy.requests('DescribeInstances') <= 2, `${proxy.requests('DescribeInstances')} DescribeInstances`);

  // Three jobs end: two with their result (exit 0, exit 3), one terminated from outside with none.
  const [succeeded, failed, cancelled] = [jobs[0]!, jobs[1]!, jobs[2]!];
  const s3 = s3Client(t, moto.endpoint);
  const bucket = String(ec2ProviderDetails(ledgerId).bucket);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const [job, exit] of [
    [succeeded, 0],
    [failed, 3],
  ] as const) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: nodeKeys(ledgerId, job.jobId, 0).result,
        Body: `state=${exit === 0 ? 'succeeded' : 'failed'}\nexit_code=${exit}\n`,
      }),
    );
  }
  await ec2Client(t, moto.endpoint).send(
    new TerminateInstancesCommand({ InstanceIds: [succeeded, failed, cancelled].map((job) => job.instanceId) }),
  );
  proxy.clear();

  // The table as users see it: the same batched refresh.
  const table = await runCli(['status'], { cwd: home, home, env });
  assert.equal(table.code, 0, table.stderr);
  assert.ok(proxy.requests('DescribeInstances') <= 2);
  assert.equal(
    proxy.requests({ method: 'GET', path: /\/result$/ }),
    3,
    'a result read only for the three whose machine ended',
  );

  const second = await runCli(['status', '--json'], { cwd: home, home, env });
  const byId = new Map((JSON.parse(second.stdout) as StatusJson).jobs.map((job) => [job.job_id, job]));
  assert.equal(byId.get(succeeded.jobId)?.state, 'succeeded');
  assert.equal(byId.get(failed.jobId)?.state, 'failed');
  assert.equal(byId.get(failed.jobId)?.exit_code, 3);
  assert.equal(byId.get(cancelled.jobId)?.state, 'cancelled');
  assert.equal([...byId.values()].filter((job) => job.state === 'running').length, 997);
});
