import { type JobId, type LedgerId, asJobId, asLedgerId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test, type TestContext } from 'vitest';
import {
  CreatePlacementGroupCommand,
  CreateSecurityGroupCommand,
  CreateVolumeCommand,
  DescribePlacementGroupsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
  type EC2Client,
  type Tag,
} from '@aws-sdk/client-ec2';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { JOB_ID_TAG, LEDGER_TAG } from '../../../src/backend/tags.js';
import type { Ledger } from '../../../src/ledger/ledger.js';
import { runCli } from '../../support/run-cli.js';
import { seededHome } from '../../support/seeded-home.js';
import { defer } from '../../support/cleanup.js';
import { mockPlacementGroups } from '../../standins/ec2-client-mocks.js';
import { startFaultProxy } from '../../standins/fault-proxy.js';
import { awsEnvironment, motoForThisFile } from '../../standins/moto-server.js';
import { allInstances, ec2Client, s3Client, TEST_IMAGE } from '../../standins/test-clients.js';

const motoFor = motoForThisFile();

const ENDED = asJobId('gc-ended-0001');
const ACTIVE = asJobId('gc-active-0002');
/** A job that carries this ledger's tag but that the ledger never recorded (a crash before the row, a lost ledger). */
const UNKNOWN = asJobId('gc-unknown-0003');
const OTHER_LEDGER = asLedgerId('a-colleagues-ledger');

interface GarbageJson {
  readonly dry_run: boolean;
  readonly backends: readonly {
    backend: string;
    items: { kind: string; id: string; jobId: JobId | null }[];
    error: string | null;
  }[];
}

/** A ledger that knows one ended and one running EC2 job. */
async function ledgerWithJobs(t: TestContext): Promise<{ home: string; ledgerId: LedgerId }> {
  let ledgerId = asLedgerId('');
  const home = await seededHome(t, async (ledger: Ledger) => {
    ledgerId = ledger.id;
    const bucket = `dlrun-${ledger.id}-us-east-1`;
    for (const [jobId, state] of [
      [ENDED, 'succeeded'],
      [ACTIVE, 'running'],
    ] as const) {
      await ledger.createJob({
        jobId,
        name: jobId,
        backend: 'ec2',
        jobFile: 'job.yaml',
        spec: {},
        submittedAt: new Date().toISOString(),
        providerDetails: { region: 'us-east-1', bucket, nodes: 2, stopAfterSeconds: 600 },
      });
      await ledger.recordChange(jobId, { at: new Date().toISOString(), source: 'provider', state: 'running' });
      if (state !== 'running')
        await ledger.recordChange(jobId, { at: new Date().toISOString(), source: 'provider', state, exitCode: 0 });
    }
  });
  return { home, ledgerId };
}

const tags = (ledgerId: LedgerId, jobId: JobId): Tag[] => [
  { Key: LEDGER_TAG, Value: ledgerId },
  { Key: JOB_ID_TAG, Value: jobId },
];

/**
 * What a job of `ledgerId` leaves on EC2 and S3: an instance, an unattached volume, its groups, its staged and
 * produced objects.
 */
async function leaveResources(
  ec2: EC2Client,
  s3: S3Client,
  bucket: string,
  ledgerId: LedgerId,
  jobId: JobId,
): Promise<Record<string, string>> {
  const spec = (type: 'instance' | 'volume' | 'security-group' | 'placement-group') => [
    { ResourceType: type, Tags: tags(ledgerId, jobId) },
  ];
  const launched = await ec2.send(
    new RunInstancesCommand({
      ImageId: TEST_IMAGE,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: spec('instance'),
    }),
  );
  const volume = await ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: 'us-east-1a',
      Size: 8,
      VolumeType: 'gp3',
      TagSpecifications: spec('volume'),
    }),
  );
  const name = `dlrun-${jobId}-${ledgerId}`;
  const group = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: name,
      Description: "a job's nodes",
      TagSpecifications: spec('security-group'),
    }),
  );
  await ec2.send(
    new CreatePlacementGroupCommand({
      GroupName: name,
      Strategy: 'cluster',
      TagSpecifications: spec('placement-group'),
    }),
  );
  const prefix = `dlrun/${ledgerId}/jobs/${jobId}/`;
  for (const key of ['bootstrap-node-0.sh', 'nodes/0/secrets.sh', 'nodes/0/output.log', 'nodes/0/outputs.tar.gz']) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${key}`, Body: 'staged' }));
  }
  return {
    instance: launched.Instances![0]!.InstanceId!,
    volume: volume.VolumeId!,
    'security-group': group.GroupId!,
    'placement-group': name,
    bootstrap: `${prefix}bootstrap-node-0.sh`,
    secrets: `${prefix}nodes/0/secrets.sh`,
  };
}

/** Everything still there: live instances, unattached volumes, groups and object keys. */
async function inventory(ec2: EC2Client, s3: S3Client, bucket: string): Promise<string[]> {
  const instances = (await allInstances(ec2))
    .filter((instance) => !['terminated', 'shutting-down'].includes(instance.State?.Name ?? ''))
    .map((instance) => instance.InstanceId!);
  // Root volumes go with their instances (DeleteOnTermination); the unattached ones are what gc may leave or take.
  const volumes =
    (await ec2.send(new DescribeVolumesCommand({}))).Volumes?.filter((volume) => !volume.Attachments?.length).map(
      (volume) => volume.VolumeId!,
    ) ?? [];
  const groups =
    (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups?.filter(
      (group) => group.GroupName !== 'default',
    ).map((group) => group.GroupId!) ?? [];
  const placement =
    (await ec2.send(new DescribePlacementGroupsCommand({}))).PlacementGroups?.map((group) => group.GroupName!) ?? [];
  const objects =
    (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((object) => object.Key!) ?? [];
  return [...instances, ...volumes, ...groups, ...placement, ...objects].sort();
}

const ec2Items = (output: string): string[] => {
  const answer = JSON.parse(output) as GarbageJson;
  const ec2 = answer.backends.find((backend) => backend.backend === 'ec2');
  assert.ok(ec2, 'gc looked at ec2');
  assert.equal(ec2.error, null);
  return ec2.items.map((item) => `${item.kind} ${item.id} ${item.jobId ?? '-'}`).sort();
};

test("gc finds exactly this ledger's orphans, --dry-run changes nothing, " +
  'gc removes them and only them, then finds nothing', {
  timeout: 120_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  // moto has no placement groups: a client mock answers those calls, here and in each dlrun (ec2-client-mocks.ts).
  const placementGroups = await mockPlacementGroups(t);
  const ec2 = ec2Client(t, moto.endpoint);
  const s3 = s3Client(t, moto.endpoint);
  const { home, ledgerId } = await ledgerWithJobs(t);
  const bucket = `dlrun-${ledgerId}-us-east-1`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));

  const ended = await leaveResources(ec2, s3, bucket, ledgerId, ENDED);
  const unknown = await leaveResources(ec2, s3, bucket, ledgerId, UNKNOWN);
  const active = await leaveResources(ec2, s3, bucket, ledgerId, ACTIVE);
  // A colleague's ledger shares the account and the bucket; its job id is even one this ledger has ended.
  const colleague = await leaveResources(ec2, s3, bucket, OTHER_LEDGER, ENDED);
  const before = await inventory(ec2, s3, bucket);

  const orphans = (resources: Record<string, string>, jobId: JobId): string[] => [
    `instance ${resources.instance} ${jobId}`,
    `volume ${resources.volume} ${jobId}`,
    `security-group ${resources['security-group']} ${jobId}`,
    `placement-group ${resources['placement-group']} ${jobId}`,
    `object ${resources.bootstrap} ${jobId}`,
    `object ${resources.secrets} ${jobId}`,
  ];
  const expected = [...orphans(ended, ENDED), ...orphans(unknown, UNKNOWN)].sort();
  const env = awsEnvironment(moto.endpoint);

  const listed = await runCli(['gc', '--dry-run', '--json'], { cwd: home, home, env, placementGroups });
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal((JSON.parse(listed.stdout) as GarbageJson).dry_run, true);
  assert.deepEqual(ec2Items(listed.stdout), expected, "the ended job's and the unknown job's resources, no other");
  assert.deepEqual(await inventory(ec2, s3, bucket), before, '--dry-run changed nothing');

  const collected = await runCli(['gc', '--json'], { cwd: home, home, env, placementGroups });
  assert.equal(collected.code, 0, collected.stderr);
  assert.deepEqual(ec2Items(collected.stdout), expected);
  const removed = new Set(expected.map((item) => item.split(' ')[1]!));
  assert.deepEqual(
    await inventory(ec2, s3, bucket),
    before.filter((id) => !removed.has(id)),
    'exactly the orphans are gone',
  );
  for (const kept of [...Object.values(active), ...Object.values(colleague)])
    assert.ok(!removed.has(kept), `${kept} kept`);
  // What a job produced (its log, its outputs) is not garbage: only `pull` users decide when it goes.
  assert.ok(
    before.includes(`dlrun/${ledgerId}/jobs/${ENDED}/nodes/0/outputs.tar.gz`) &&
      !removed.has(`dlrun/${ledgerId}/jobs/${ENDED}/nodes/0/outputs.tar.gz`),
  );

  const again = await runCli(['gc', '--json'], { cwd: home, home, env, placementGroups });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(ec2Items(again.stdout), [], 'nothing left to collect');
  const text = await runCli(['gc'], { cwd: home, home, env, placementGroups });
  assert.match(text.stderr, /nothing to collect/);
});

/** A workdir archive key of this ledger, as workdirArchiveKey names them. */
const archive = (ledgerId: LedgerId, hash: string): string =>
  `dlrun/${ledgerId}/workdirs/${hash.repeat(64 / hash.length)}.tar.gz`;

test("workdir archives no active job uses are found and removed; a running or submitting job's archive never is", {
  timeout: 120_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  // moto has no placement groups (gc would report them as not searched): a client mock answers those calls.
  const placementGroups = await mockPlacementGroups(t);
  const s3 = s3Client(t, moto.endpoint);
  let ledgerId = asLedgerId('');
  const home = await seededHome(t, async (ledger: Ledger) => {
    ledgerId = ledger.id;
    const details = (hash: string) => ({
      region: 'us-east-1',
      bucket: `dlrun-${ledger.id}-us-east-1`,
      nodes: 1,
      stopAfterSeconds: 600,
      workdirKey: archive(ledger.id, hash),
    });
    const at = new Date().toISOString();
    // Ended with archive a; running with b (which an ended job shares); still submitting (staging) with c.
    for (const [jobId, hash, state] of [
      ['arch-ended-0001', 'a', 'succeeded'],
      ['arch-shared-0002', 'b', 'succeeded'],
      ['arch-running-0003', 'b', 'running'],
      ['arch-submitting-0004', 'c', 'submitting'],
    ] as const) {
      await ledger.createJob({
        jobId: asJobId(jobId),
        name: jobId,
        backend: 'ec2',
        jobFile: 'job.yaml',
        spec: {},
        submittedAt: at,
        providerDetails: details(hash),
      });
      if (state !== 'submitting') await ledger.recordChange(jobId, { at, source: 'provider', state: 'running' });
      if (state === 'succeeded') await ledger.recordChange(jobId, { at, source: 'provider', state, exitCode: 0 });
    }
  });
  const bucket = `dlrun-${ledgerId}-us-east-1`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // d: an archive no job of the ledger names any more; e: a colleague's ledger's, in the same bucket.
  const keys = ['a', 'b', 'c', 'd'].map((hash) => archive(ledgerId, hash));
  for (const key of [...keys, archive(OTHER_LEDGER, 'e')])
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'tar.gz' }));
  const env = awsEnvironment(moto.endpoint);
  const collected = await runCli(['gc', '--json'], { cwd: home, home, env, placementGroups });
  assert.equal(collected.code, 0, collected.stderr);
  assert.deepEqual(
    ec2Items(collected.stdout),
    [`object ${keys[0]} -`, `object ${keys[3]} -`],
    "the ended job's archive and the unnamed one",
  );
  const left = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [])
    .map((object) => object.Key!)
    .sort();
  assert.deepEqual(
    left,
    [archive(OTHER_LEDGER, 'e'), keys[1]!, keys[2]!].sort(),
    "the running and the submitting job's archives, and the colleague's, are kept",
  );
});

test('a look-up that fails is reported: what was not searched, where and why, in text and --json, and exit 1; ' +
  'what was found is still removed', {
  timeout: 120_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const placementGroups = await mockPlacementGroups(t);
  const proxy = await startFaultProxy(moto.endpoint);
  defer(t, () => proxy.close());
  const ec2 = ec2Client(t, proxy.endpoint);
  const s3 = s3Client(t, proxy.endpoint);
  const { home, ledgerId } = await ledgerWithJobs(t);
  const bucket = `dlrun-${ledgerId}-us-east-1`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const ended = await leaveResources(ec2, s3, bucket, ledgerId, ENDED);
  proxy.inject({ action: 'DescribeVolumes', kind: 'unauthorized', times: Infinity });
  proxy.inject({ method: 'GET', path: new RegExp(`^/${bucket}/?$`), kind: 'unauthorized', times: Infinity });
  const env = awsEnvironment(proxy.endpoint);

  const listed = await runCli(['gc', '--dry-run'], { cwd: home, home, env, placementGroups });
  assert.equal(listed.code, 1, listed.stderr);
  assert.match(
    listed.stderr,
    /ec2: not searched: volumes in us-east-1 \(listing unattached volumes in us-east-1: .*UnauthorizedOperation/,
  );
  assert.match(listed.stderr, new RegExp(`ec2: not searched: objects in us-east-1/${bucket} \\(.*AccessDenied`));

  const collected = await runCli(['gc', '--json'], { cwd: home, home, env, placementGroups });
  assert.equal(collected.code, 1, collected.stderr);
  const answer = JSON.parse(collected.stdout) as {
    backends: {
      backend: string;
      items: { id: string }[];
      unsearched: { kind: string; location: string; error: string }[];
    }[];
  };
  const result = answer.backends.find((backend) => backend.backend === 'ec2')!;
  assert.deepEqual(
    result.unsearched.map(({ kind, location }) => `${kind} ${location}`).sort(),
    [`object us-east-1/${bucket}`, 'volume us-east-1'].sort(),
  );
  assert.ok(result.unsearched.every((place) => place.error.length > 0));
  assert.ok(
    result.items.some((item) => item.id === ended.instance),
    "the ended job's instance was still found",
  );
  proxy.clear();
  const instances = await allInstances(ec2);
  assert.ok(
    ['terminated', 'shutting-down'].includes(
      instances.find((instance) => instance.InstanceId === ended.instance)?.State?.Name ?? '',
    ),
    'and removed',
  );
});
