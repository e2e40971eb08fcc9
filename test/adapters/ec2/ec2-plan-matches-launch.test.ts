import { asLedgerId } from '../../../src/backend/job-id.js';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreatePlacementGroupCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateBucketCommand, PutBucketTaggingCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { test, type TestContext } from 'vitest';
import { ec2Clients } from '../../../adapters/ec2/ec2-clients.js';
import { rootDeviceOf } from '../../../adapters/ec2/ec2-image.js';
import { DRY_RUN } from '../../../adapters/ec2/ec2-plan.js';
import type { PresignedMethod } from '../../../adapters/ec2/ec2-requests.js';
import { dryRunJson } from '../../../src/cli/render-plan.js';
import { loadConfig } from '../../../src/config.js';
import { submitJob } from '../../../src/core/submit-job.js';
import { describeAwsRequest } from '../../standins/aws-requests.js';
import { awsClientConfig } from '../../standins/aws-client-config.js';
import { type AnsweredCall, mockPlacementGroups } from '../../standins/ec2-client-mocks.js';
import { type RecordedRequest, startFaultProxy } from '../../standins/fault-proxy.js';
import { motoForThisFile } from '../../standins/moto-server.js';
import { allInstances, TEST_IMAGE } from '../../standins/test-clients.js';
import { defer } from '../../support/cleanup.js';
import { ec2Env, ec2JobYaml } from '../../support/ec2-cli.js';
import { writeJob } from '../../support/job-files.js';
import { tempDir } from '../../support/temp-dir.js';

/**
 * The dry run prints the requests the launch sends: the same job is planned (what `submit --dry-run --json` prints,
 * taken from the very submit) and submitted for real through a proxy that records what moto receives; every request
 * that creates or changes something is compared with the dry run's, in order, body and all. The placement group
 * calls, which moto lacks, are answered by a client mock instead (ec2-client-mocks.ts): what the adapter gave them is
 * serialised by the SDK, as it would have gone on the wire, and put in order with the proxy's records by the time each
 * was sent (performance.now() in this process, for both). Values only a launch knows (presigned URLs, node 0's
 * address, the security group, the VPC, the AMI's root device) are turned back into the dry run's placeholders, from
 * what moto says they are; the scripts the requests name are read from the dry run's startup script. Secrets are
 * compared by name only: the dry run never shows their values.
 */

const motoFor = motoForThisFile();

const SECRET = 'dry-run-never-shows-this';

interface PlannedJson {
  readonly operation: string;
  readonly description: string;
  readonly body: Record<string, unknown>;
}

interface DryRunJson {
  readonly job_id: string;
  readonly requests: readonly PlannedJson[];
  readonly startup_script: string;
}

/** A request on the wire, made comparable: EC2's form parameters, or S3's path, query names, tags and body. */
interface WireView {
  readonly action: string;
  readonly query?: readonly string[];
  readonly tagging?: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly body?: string;
}

type AnyCommand = new (input: never) => Parameters<S3Client['send']>[0] & Parameters<EC2Client['send']>[0];

const COMMANDS: Readonly<Record<string, readonly ['s3' | 'ec2', AnyCommand]>> = {
  's3:CreateBucket': ['s3', CreateBucketCommand as unknown as AnyCommand],
  's3:PutBucketTagging': ['s3', PutBucketTaggingCommand as unknown as AnyCommand],
  's3:PutObject': ['s3', PutObjectCommand as unknown as AnyCommand],
  'ec2:CreatePlacementGroup': ['ec2', CreatePlacementGroupCommand as unknown as AnyCommand],
  'ec2:CreateSecurityGroup': ['ec2', CreateSecurityGroupCommand as unknown as AnyCommand],
  'ec2:AuthorizeSecurityGroupIngress': ['ec2', AuthorizeSecurityGroupIngressCommand as unknown as AnyCommand],
  'ec2:RunInstances': ['ec2', RunInstancesCommand as unknown as AnyCommand],
};

interface Captured {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The planned request as the SDK would put it on the wire (serialised by the SDK itself, never sent). */
async function serialised(planned: Pick<PlannedJson, 'operation' | 'body'>): Promise<Captured> {
  const entry = COMMANDS[planned.operation];
  assert.ok(entry, `the test knows how to send ${planned.operation}`);
  const [service, Command] = entry;
  let captured: Captured | undefined;
  const requestHandler = {
    handle: async (request: {
      method: string;
      path: string;
      query?: Record<string, string | string[] | null>;
      headers: Record<string, string>;
      body?: unknown;
    }) => {
      // Only the query's names are compared (S3's `?tagging`, `?x-id=PutObject`).
      const names = Object.keys(request.query ?? {});
      captured = {
        method: request.method,
        url: `${request.path}${names.length ? `?${names.join('&')}` : ''}`,
        headers: request.headers,
        body:
          typeof request.body === 'string' ? request.body : Buffer.from((request.body as Uint8Array) ?? []).toString(),
      };
      throw new Error('captured, not sent');
    },
  };
  const settings = { ...awsClientConfig('http://127.0.0.1:9'), maxAttempts: 1, requestHandler };
  const client = service === 's3' ? new S3Client(settings) : new EC2Client(settings);
  await (client.send as (command: unknown) => Promise<unknown>)(new Command(planned.body as never)).catch(
    () => undefined,
  );
  client.destroy();
  assert.ok(captured, `the SDK serialised ${planned.operation}`);
  return captured;
}

/** What is compared of a request: read the way the proxy reads what moto receives (aws-requests.ts). */
function viewOf(
  method: string,
  url: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): WireView {
  const request = describeAwsRequest(method, url, headers, body);
  if (request.service === 'ec2' || !request.action.includes(' ')) {
    return { action: request.action, params: Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  const query = [...new URL(url, 'http://stand-in').searchParams.keys()].sort();
  const tagging = headers['x-amz-tagging'];
  return {
    action: request.action,
    query,
    ...(typeof tagging === 'string' ? { tagging } : {}),
    body: body.toString('utf8'),
  };
}

/** Requests that create or change something (reads are not in the plan). */
function changes(request: RecordedRequest): boolean {
  if (request.service === 's3') return ['PUT', 'POST', 'DELETE'].includes(request.method);
  return !/^(Describe|Get|List|Head)/.test(request.action);
}

/** A request the launch sent: one moto received (through the proxy), or one the placement group mock answered. */
type Sent =
  | { readonly at: number; readonly wire: RecordedRequest }
  | { readonly at: number; readonly mocked: AnsweredCall };

/** The request as it went on the wire, or, for a mocked call, as the SDK serialises what the adapter gave it. */
async function onTheWire(sent: Sent): Promise<Pick<RecordedRequest, 'method' | 'url' | 'headers' | 'body'>> {
  if ('wire' in sent) return sent.wire;
  const { command, input } = sent.mocked;
  const wire = await serialised({ operation: `ec2:${command}`, body: input as unknown as Record<string, unknown> });
  return { ...wire, body: Buffer.from(wire.body) };
}

/** The startup script's parts by title: each `# ---- title ----` line and the script below it. */
function scriptParts(startupScript: string): Map<string, string> {
  const pieces = startupScript.split(/^# ---- (.+) ----\n/m);
  assert.equal(pieces[0], '', 'the startup script starts with a titled part');
  const parts = new Map<string, string>();
  for (let index = 1; index < pieces.length; index += 2) {
    const text = pieces[index + 1]!;
    // The parts are joined by a newline: all but the last end with it.
    parts.set(pieces[index]!, index + 2 < pieces.length ? text.slice(0, -1) : text);
  }
  return parts;
}

/** A body the dry run shows in the startup script: `<what, in the startup script under: title>`. */
function referenced(value: string, parts: Map<string, string>): string {
  const title = /^<[^<>]*, in the startup script under: ([^<>]+)>$/.exec(value)?.[1];
  assert.ok(title, `a reference to the startup script: ${value}`);
  const text = parts.get(title);
  assert.ok(text !== undefined, `the startup script has a part "${title}"`);
  return text;
}

const METHODS: Readonly<Record<string, PresignedMethod>> = {
  GetObject: 'GET',
  PutObject: 'PUT',
  DeleteObject: 'DELETE',
};

/** The launch's values, in a script moto received, turned into the dry run's placeholders. */
function asPlanned(text: string, masterAddress: string | undefined): string {
  const withUrls = text.replace(/http:\/\/127\.0\.0\.1:\d+\/[^'\s]+/g, (url) => {
    const parsed = new URL(url);
    const [bucket, ...key] = parsed.pathname.slice(1).split('/').map(decodeURIComponent);
    const method = METHODS[parsed.searchParams.get('x-id') ?? ''];
    assert.ok(method, `a presigned GET, PUT or DELETE: ${url}`);
    const seconds = Number(parsed.searchParams.get('X-Amz-Expires'));
    return DRY_RUN.url(bucket!, { key: key.join('/'), method, seconds });
  });
  return masterAddress ? withUrls.replaceAll(`'${masterAddress}'`, `'${DRY_RUN.masterAddress}'`) : withUrls;
}

/** Bootstraps of one launch go up at the same time: within a run of them, the order is the keys'. */
function canonical(views: readonly WireView[]): WireView[] {
  const sorted = [...views];
  const isBootstrap = (view: WireView): boolean => /\/bootstrap-node-\d+\.sh$/.test(view.action);
  for (let start = 0; start < sorted.length; start++) {
    if (!isBootstrap(sorted[start]!)) continue;
    let end = start;
    while (end < sorted.length && isBootstrap(sorted[end]!)) end++;
    sorted.splice(start, end - start, ...sorted.slice(start, end).sort((a, b) => a.action.localeCompare(b.action)));
    start = end;
  }
  return sorted;
}

interface Submitted {
  readonly dryRun: DryRunJson;
  /** The requests that change something, in the order they were sent. */
  readonly sent: readonly Sent[];
  readonly env: Record<string, string>;
}

/** Submit `jobYaml` in this process, keeping what its dry run prints, what moto received and what the mock answered. */
async function submitRecorded(t: TestContext, jobYaml: string): Promise<Submitted | undefined> {
  const moto = motoFor(t);
  if (!moto) return undefined;
  const placementGroups = await mockPlacementGroups(t);
  const proxy = await startFaultProxy(moto.endpoint, { record: true });
  defer(t, () => proxy.close());
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), jobYaml);
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    DLRUN_HOME: home,
    ...ec2Env(proxy.endpoint),
    WANDB_API_KEY: SECRET,
  };
  let dryRun: DryRunJson | undefined;
  const outcome = await submitJob(loadConfig(env, home), {
    jobPath,
    backend: undefined,
    dryRun: false,
    cwd: home,
    confirm: undefined,
    beforeLaunch: (details) => {
      dryRun = JSON.parse(JSON.stringify(dryRunJson(details))) as DryRunJson;
    },
  });
  assert.equal(outcome.kind, 'submitted');
  if (outcome.kind === 'submitted') await outcome.ledger.close();
  assert.ok(dryRun);
  assert.doesNotMatch(JSON.stringify(dryRun), new RegExp(SECRET), 'the dry run never shows a secret');
  const sent: Sent[] = [
    ...proxy
      .recorded()
      .filter(changes)
      .map((wire) => ({ at: wire.at, wire })),
    ...placementGroups
      .answered()
      .filter((call) => !/^(Describe|Get|List)/.test(call.command))
      .map((mocked) => ({ at: mocked.at, mocked })),
  ].sort((first, second) => first.at - second.at);
  // The comparison has the SDK serialise requests, CreatePlacementGroup among them, which the mock would answer.
  placementGroups.restore();
  return { dryRun, sent, env };
}

/** What the launch knew only when it happened, by the dry run's placeholder for it. */
async function launchValues(submitted: Submitted): Promise<Map<string, string>> {
  const clients = ec2Clients('us-east-1', { ledgerId: asLedgerId(''), home: '', env: submitted.env });
  const { ec2 } = clients;
  const values = new Map<string, string>();
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [{ Name: 'group-name', Values: [`dlrun-${submitted.dryRun.job_id}`] }],
    }),
  );
  const group = groups.SecurityGroups?.[0]?.GroupId;
  if (group) values.set(group, DRY_RUN.securityGroupId);
  const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }));
  const vpc = vpcs.Vpcs?.[0]?.VpcId;
  if (vpc) values.set(vpc, DRY_RUN.defaultVpc);
  values.set(await rootDeviceOf(ec2, TEST_IMAGE), DRY_RUN.rootDevice);
  return values;
}

/** Every request sent that changes something is the dry run's, in order, with the same body. */
async function assertDryRunWasSent(submitted: Submitted): Promise<void> {
  const { dryRun } = submitted;
  const parts = scriptParts(dryRun.startup_script);
  const values = await launchValues(submitted);
  const { ec2 } = ec2Clients('us-east-1', { ledgerId: asLedgerId(''), home: '', env: submitted.env });
  const leader = (await allInstances(ec2)).find((instance) =>
    instance.Tags?.some((tag) => tag.Key === 'dlrun-launch' && tag.Value === 'node-0'),
  );
  const masterAddress = leader?.PrivateIpAddress;

  const planned: WireView[] = [];
  for (const request of dryRun.requests) {
    const wire = await serialised(request);
    const view: WireView = viewOf(wire.method, wire.url, wire.headers, Buffer.from(wire.body));
    if (view.params?.UserData !== undefined) {
      // The SDK sends UserData as given; the dry run gives it as a reference to the startup script.
      const userData = referenced(view.params.UserData, parts);
      planned.push({ ...view, params: { ...view.params, UserData: userData } });
    } else if (request.operation === 's3:PutObject' && /\/bootstrap-node-\d+\.sh$/.test(view.action)) {
      planned.push({ ...view, body: referenced(String(request.body.Body), parts) });
    } else planned.push(view);
  }

  const receivedView = (request: Pick<RecordedRequest, 'method' | 'url' | 'headers' | 'body'>): WireView => {
    const view: WireView = viewOf(request.method, request.url, request.headers, request.body);
    if (view.params) {
      const params = Object.fromEntries(
        Object.entries(view.params).map(([name, value]) => {
          if (name !== 'UserData') return [name, values.get(value) ?? value];
          const bytes = Buffer.from(value, 'base64');
          const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
          return [name, asPlanned(text, masterAddress)];
        }),
      );
      return { ...view, params };
    }
    if (/\/secrets\.sh$/.test(view.action)) {
      assert.equal(view.body, `export WANDB_API_KEY='${SECRET}'\n`, 'the secrets object holds the secret');
      return { ...view, body: DRY_RUN.secrets(['WANDB_API_KEY']) };
    }
    if (/\/workdirs\/[0-9a-f]{64}\.tar\.gz$/.test(view.action)) {
      const archive = unchunked(request);
      const gzip = archive[0] === 0x1f && archive[1] === 0x8b;
      assert.ok(gzip, 'the workdir goes up as a gzip archive');
      return { ...view, body: String(dryRunBody(dryRun, view.action)) };
    }
    return { ...view, body: asPlanned(view.body ?? '', masterAddress) };
  };
  const received: WireView[] = [];
  for (const sent of submitted.sent) received.push(receivedView(await onTheWire(sent)));

  assert.deepEqual(
    canonical(received).map((view) => view.action),
    canonical(planned).map((view) => view.action),
    'the requests that change something are the ones the dry run shows, in its order',
  );
  const want = canonical(planned);
  canonical(received).forEach((view, index) => {
    assert.deepEqual(view, want[index], `request ${index + 1} (${view.action}) is sent as the dry run shows it`);
  });
}

/** A streamed upload's bytes: the SDK sends a stream in aws-chunked framing (size line, bytes, ..., 0, trailer). */
function unchunked(request: Pick<RecordedRequest, 'headers' | 'body'>): Buffer {
  if (!String(request.headers['content-encoding'] ?? '').includes('aws-chunked')) return request.body;
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = request.body.indexOf('\r\n', at);
    const size = Number.parseInt(request.body.subarray(at, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!(size > 0)) return Buffer.concat(chunks);
    chunks.push(request.body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** The Body the dry run shows for the PutObject of `action` ("PUT /bucket/key"). */
function dryRunBody(dryRun: DryRunJson, action: string): unknown {
  const request = dryRun.requests.find(
    (each) => each.operation === 's3:PutObject' && action === `PUT /${each.body.Bucket}/${each.body.Key}`,
  );
  return request?.body.Body;
}

test('a one-node job with a secret: the dry run shows every request the launch sends, in order, as sent', {
  timeout: 120_000,
}, async (t) => {
  const submitted = await submitRecorded(
    t,
    ec2JobYaml('2h', ['name: one-node', 'secrets: [WANDB_API_KEY]', 'env:', '  EPOCHS: 3', 'run: echo "$EPOCHS"']),
  );
  if (!submitted) return;
  assert.deepEqual(
    submitted.dryRun.requests.map((request) => request.operation),
    ['s3:CreateBucket', 's3:PutBucketTagging', 's3:PutObject', 's3:PutObject', 's3:PutObject', 'ec2:RunInstances'],
  );
  await assertDryRunWasSent(submitted);
});

test('a 3-node TensorFlow job with a secret and a root volume: groups, both launches and every bootstrap as shown', {
  timeout: 120_000,
}, async (t) => {
  const submitted = await submitRecorded(
    t,
    ec2JobYaml('1h', [
      'name: three-nodes',
      'secrets: [WANDB_API_KEY]',
      'framework: tensorflow==2.15.0',
      'run: python3 -c "print(1)"',
      'resources:',
      '  nodes: 3',
      '  disk: 20GB',
    ]),
  );
  if (!submitted) return;
  assert.deepEqual(
    submitted.dryRun.requests.map((request) => request.operation),
    [
      's3:CreateBucket',
      's3:PutBucketTagging',
      's3:PutObject',
      'ec2:CreatePlacementGroup',
      'ec2:CreateSecurityGroup',
      'ec2:AuthorizeSecurityGroupIngress',
      's3:PutObject',
      's3:PutObject',
      's3:PutObject',
      's3:PutObject',
      'ec2:RunInstances',
      's3:PutObject',
      's3:PutObject',
      'ec2:RunInstances',
    ],
  );
  assert.match(
    submitted.dryRun.startup_script,
    /address_get_urls=\('<presigned GET of /,
    'the nodes exchange addresses',
  );
  assert.deepEqual(
    submitted.sent.flatMap((sent) => ('mocked' in sent ? [sent.mocked.command] : [])),
    ['CreatePlacementGroup'],
    'the placement group call moto lacks was answered by the mock, and is compared with the others',
  );
  await assertDryRunWasSent(submitted);
});
