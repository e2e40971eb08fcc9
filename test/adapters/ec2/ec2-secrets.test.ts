import { DescribeInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../../../src/config.js';
import { openExistingLedger } from '../../../src/ledger/open-ledger.js';
import { defer } from '../../support/cleanup.js';
import { writeJob } from '../../support/job-files.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { startMachineSimulator } from '../../standins/ec2-machine-simulator.js';
import { motoForThisFile } from '../../standins/moto-server.js';
import { allInstances, ec2Client, s3Client } from '../../standins/test-clients.js';
import { ec2Env, ec2JobYaml } from '../../support/ec2-cli.js';

const motoFor = motoForThisFile();
const SECRET = 'wandb-0123456789abcdef-do-not-leak';

test('a secret reaches the job, and nowhere else: not in user data, the ledger, the log, nor any object left in S3', { timeout: 120_000 }, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const simulator = await startMachineSimulator(moto.endpoint);
  defer(t, () => simulator.stop());
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), ec2JobYaml('10m', [
    'name: secret-job',
    'secrets: [WANDB_API_KEY]',
    'run: |',
    '  echo "the key has ${#WANDB_API_KEY} characters"',
    // The job proves it has the value without the test writing the value into the job (its text is staged).
    '  printf %s "$WANDB_API_KEY" | sha256sum',
  ]));
  const env = ec2Env(moto.endpoint, { WANDB_API_KEY: SECRET });
  const submitted = await runCli(['submit', '--backend', 'ec2', jobPath, '--wait', '--json'], { cwd: home, home, env });
  assert.equal(submitted.code, 0, submitted.stderr);
  assert.equal((JSON.parse(submitted.stdout) as { state: string }).state, 'succeeded');
  const jobId = (JSON.parse(submitted.stdout) as { job_id: string }).job_id;

  const logs = await runCli(['logs', jobId], { cwd: home, home, env });
  assert.match(logs.stdout, new RegExp(`the key has ${SECRET.length} characters\\n${createHash('sha256').update(SECRET).digest('hex')}`));
  assert.ok(!logs.stdout.includes(SECRET));

  const [instance] = await allInstances(ec2Client(t, moto.endpoint));
  const attribute = await ec2Client(t, moto.endpoint).send(new DescribeInstanceAttributeCommand({ InstanceId: instance!.InstanceId!, Attribute: 'userData' }));
  let userData = Buffer.from(attribute.UserData?.Value ?? '', 'base64');
  if (userData[0] === 0x1f && userData[1] === 0x8b) userData = gunzipSync(userData);
  assert.ok(userData.length > 0);
  assert.ok(!userData.toString('utf8').includes(SECRET), 'not in user data');
  assert.ok(!/AKIA|aws_secret_access_key|AWS_SECRET_ACCESS_KEY/.test(userData.toString('utf8')), 'no AWS keys in user data');

  const s3 = s3Client(t, moto.endpoint);
  const bucket = `dlrun-${await ledgerIdOf(home)}-us-east-1`;
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const keys = (listed.Contents ?? []).map((object) => object.Key!);
  assert.ok(keys.some((key) => key.endsWith('/output.log')), `the log was uploaded: ${keys.join(', ')}`);
  assert.ok(!keys.some((key) => key.includes('secrets')), 'the machine deleted its secrets object after reading it');
  for (const key of keys) {
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();
    const text = key.endsWith('.tar.gz') ? gunzipSync(body).toString('latin1') : Buffer.from(body).toString('utf8');
    assert.ok(!text.includes(SECRET), `${key} does not hold the secret`);
  }
  for (const file of readdirSync(home).filter((name) => name.startsWith('ledger.db'))) {
    assert.ok(!readFileSync(path.join(home, file)).toString('latin1').includes(SECRET), `not in ${file}`);
  }
});

/** The ledger's id names the bucket dlrun created. */
async function ledgerIdOf(home: string): Promise<string> {
  const ledger = await openExistingLedger(loadConfig({ DLRUN_HOME: home }, home));
  assert.ok(ledger);
  try {
    return ledger.id;
  } finally {
    await ledger.close();
  }
}
