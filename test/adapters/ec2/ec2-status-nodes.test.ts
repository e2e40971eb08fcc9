import { asJobId, asLedgerId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createBackend } from '../../../adapters/ec2/ec2-backend.js';
import { nodeKeys } from '../../../adapters/ec2/ec2-names.js';
import { JOB_ID_TAG, LEDGER_TAG } from '../../../src/backend/tags.js';
import { tempDir } from '../../support/temp-dir.js';
import { awsEnvironment, motoForThisFile } from '../../standins/moto-server.js';
import { ec2Client, s3Client, TEST_IMAGE } from '../../standins/test-clients.js';

const motoFor = motoForThisFile();

const LEDGER = asLedgerId('status-ledger');
const JOB = asJobId('two-nodes-20261126-0900-beef');
const BUCKET = `dlrun-${LEDGER}-us-east-1`;

/**
 * Node 0 decides how a multi-node job ended: it uploads the result, then shuts down, possibly before a worker does.
 * A status taken between the two (node 0 terminated, the worker still running; on EC2 the shutting-down state is
 * brief and easily missed between two polls) must read that result, not take node 0's end for a cancel or a crash;
 * and the job has not ended while the worker still runs its part (and bills): it ends once the worker has.
 */
test('node 0 gone and its result uploaded while a worker still runs: running until the worker ends, then succeeded', {
  timeout: 60_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const ec2 = ec2Client(t, moto.endpoint);
  const s3 = s3Client(t, moto.endpoint);
  const launch = async (name: string): Promise<string> => {
    const tags = [
      { Key: LEDGER_TAG, Value: LEDGER },
      { Key: JOB_ID_TAG, Value: JOB },
      { Key: 'dlrun-launch', Value: name },
    ];
    const answer = await ec2.send(
      new RunInstancesCommand({
        ImageId: TEST_IMAGE,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
      }),
    );
    return answer.Instances![0]!.InstanceId!;
  };
  const leader = await launch('node-0');
  const worker = await launch('workers');
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: nodeKeys(LEDGER, JOB, 0).result,
      Body: 'exit_code=0\nstate=succeeded\nended_at=2026-11-26T09:01:00Z\n',
    }),
  );
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [leader] }));

  const backend = createBackend();
  const context = { ledgerId: LEDGER, home: tempDir(t), env: awsEnvironment(moto.endpoint) };
  const handle = {
    jobId: JOB,
    backend: 'ec2' as const,
    externalId: null,
    details: { region: 'us-east-1', bucket: BUCKET, nodes: 2, stopAfterSeconds: 600 },
  };
  const [finishing] = await backend.status([handle], context);
  assert.equal(finishing?.state, 'running', JSON.stringify(finishing));
  assert.match(finishing?.message ?? '', new RegExp(`node 0 ended; waiting for ${worker} to end`));

  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [worker] }));
  const [status] = await backend.status([handle], context);
  assert.equal(status?.state, 'succeeded', JSON.stringify(status));
  assert.equal(status?.exitCode, 0);
});
