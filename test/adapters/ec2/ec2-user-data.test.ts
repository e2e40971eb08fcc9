import { asJobId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'vitest';
import { gunzipSync } from 'node:zlib';
import type { Ec2BootstrapInput, Ec2BootstrapUrls, Ec2NodeUrls } from '../../../adapters/ec2/ec2-bootstrap-input.js';
import { shellQuote } from '../../../adapters/ec2/ec2-shell-quote.js';
import {
  encodeUserData,
  renderBootstrap,
  renderStub,
  USER_DATA_LIMIT_BYTES,
} from '../../../adapters/ec2/ec2-user-data.js';
import { DlrunError } from '../../../src/base/errors.js';
import { packageRoot } from '../../../src/util/package-root.js';

const URL_BASE = 'https://dlrun-bucket.s3.amazonaws.com/jobs/j-1';
const presigned = (key: string) =>
  `${URL_BASE}/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261126` +
  `&X-Amz-Signature=${'f'.repeat(64)}`;
const node = (rank: number): Ec2NodeUrls => ({
  log: presigned(`${rank}/log`),
  markers: presigned(`${rank}/markers`),
  result: presigned(`${rank}/result`),
  outputs: rank === 0 ? presigned('outputs.tar.gz') : null,
  secretsGet: presigned(`${rank}/secrets`),
  secretsDelete: presigned(`${rank}/secrets`),
  address: null,
});
const INPUT: Ec2BootstrapInput = {
  jobId: asJobId('j-1'),
  nodes: 1,
  rank: 0,
  masterAddress: undefined,
  masterPort: 29500,
  gpusPerNode: 4,
  tensorflow: false,
  env: { EPOCHS: '10' },
  setup: 'pip install -r requirements.txt\n',
  run: 'python train.py\n',
  outputs: 'outputs',
  workdirUrl: presigned('workdir.tar.gz'),
  stopAfterSeconds: 14_400,
  stopReason: 'max_runtime 4h',
  logIntervalSeconds: 30,
  urls: node(0),
  addressUrls: [],
};

const bootstrapOf = (name: string): Ec2BootstrapUrls => ({
  get: presigned(name),
  delete: `${presigned(name)}&x-id=DeleteObject`,
});
const stubOf = (
  shutdownAfterMinutes: number | null,
  bootstraps: readonly Ec2BootstrapUrls[] = [bootstrapOf('bootstrap.sh')],
): string => renderStub({ jobId: asJobId('j-1'), bootstraps, shutdownAfterMinutes });

function syntaxProblems(script: string): string {
  const result = spawnSync('bash', ['-n'], { input: script });
  return result.status === 0 ? '' : result.stderr.toString();
}

describe('the user data stub', () => {
  test('stays far under 16 KB for a job with big setup and run scripts: they live in the staged bootstrap', () => {
    const big = {
      ...INPUT,
      setup: `# ${'pip install thing\n'.repeat(20_000)}`,
      run: `${'python train.py --flag value\n'.repeat(20_000)}`,
    };
    const bootstrap = renderBootstrap(big);
    const stub = stubOf(245);
    assert.ok(Buffer.byteLength(bootstrap) > 900_000);
    assert.ok(Buffer.byteLength(stub) < 4_096, `${Buffer.byteLength(stub)} bytes`);
    assert.ok(!stub.includes('python train.py'));
    assert.ok(bootstrap.includes(shellQuote(big.run)) && bootstrap.includes(shellQuote(big.setup)));
    assert.equal(syntaxProblems(stub), '');
    assert.equal(syntaxProblems(bootstrap), '');
  });

  test('is a script cloud-init runs: #! first, no CR, no BOM, no placeholder left', () => {
    const stub = stubOf(10);
    assert.ok(stub.startsWith('#!/bin/bash\n'));
    assert.ok(!stub.includes('\r') && !stub.includes('\uFEFF') && !stub.includes('@DLRUN_INPUTS@'));
    assert.ok(stub.includes(`bootstrap_get_urls=(${shellQuote(presigned('bootstrap.sh'))})\n`));
    assert.ok(stub.includes(`bootstrap_delete_urls=(${shellQuote(bootstrapOf('bootstrap.sh').delete)})\n`));
  });

  test('rounds the stop timer up to whole minutes, and leaves it out when there is no limit', () => {
    const minutes = (value: number | null) => stubOf(value).match(/^shutdown_after_minutes=(.*)$/m)?.[1];
    assert.equal(minutes(90.5), "'91'");
    assert.equal(minutes(90), "'90'");
    assert.equal(minutes(0.01), "'1'");
    assert.equal(minutes(null), "''");
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => minutes(bad), DlrunError, String(bad));
    }
  });

  test(
    'holds a bootstrap for each machine of a 63-worker launch within 16 KB (gzipped), ' +
      'and is refused when even gzip cannot make it fit',
    () => {
      // Real presigned URLs differ only in their key and signature: gzip takes the rest.
      const workers = Array.from({ length: 63 }, (_, index) => ({
        get: `${presigned(`bootstrap-node-${index + 1}.sh`)}${randomBytes(32).toString('hex')}`,
        delete: `${presigned(`bootstrap-node-${index + 1}.sh`)}${randomBytes(32).toString('hex')}`,
      }));
      const stub = stubOf(5, workers);
      assert.ok(Buffer.byteLength(stub) > USER_DATA_LIMIT_BYTES, 'too big as it is');
      assert.ok(Buffer.from(encodeUserData(stub), 'base64').length <= USER_DATA_LIMIT_BYTES, 'fits gzipped');
      assert.equal(syntaxProblems(stub), '');
      const random = Array.from({ length: 63 }, () => ({
        get: `https://x/${randomBytes(200).toString('hex')}`,
        delete: `https://x/${randomBytes(200).toString('hex')}`,
      }));
      assert.throws(
        () => stubOf(5, random),
        (error) => error instanceof DlrunError && /even gzipped; EC2 takes at most 16384/.test(error.message),
      );
    },
  );

  test('refuses a launch without a bootstrap', () => {
    assert.throws(
      () => stubOf(5, []),
      (error) => error instanceof DlrunError && error.audience === 'internal',
    );
  });
});

describe('encodeUserData', () => {
  test('is the raw script in base64 while it fits', () => {
    const stub = stubOf(5);
    assert.equal(Buffer.from(encodeUserData(stub), 'base64').toString('utf8'), stub);
  });

  test('gzips a script past 16 KB (cloud-init unpacks it), and refuses one that does not fit even then', () => {
    const long = `#!/bin/bash\n${'# a comment that repeats\n'.repeat(2_000)}`;
    const encoded = Buffer.from(encodeUserData(long), 'base64');
    assert.ok(encoded.length <= USER_DATA_LIMIT_BYTES);
    assert.equal(gunzipSync(encoded).toString('utf8'), long);
    const random = `#!/bin/bash\n# ${randomBytes(20_000).toString('base64')}\n`;
    assert.throws(() => encodeUserData(random), /even gzipped/);
  });

  test('refuses a script that does not start with #!', () => {
    assert.throws(() => encodeUserData('echo hi\n'), /must start with #!/);
  });
});

describe('the bootstrap', () => {
  test('embeds the job wrapper byte for byte, and passes bash -n', () => {
    const wrapper = readFileSync(path.join(packageRoot(), 'templates', 'bootstrap', 'job-wrapper.sh'), 'utf8');
    const bootstrap = renderBootstrap(INPUT);
    assert.ok(bootstrap.includes(`wrapper_script=${shellQuote(wrapper)}\n`));
    assert.ok(!bootstrap.includes('@DLRUN_INPUTS@'));
    assert.equal(syntaxProblems(bootstrap), '');
  });

  const refused: [string, Partial<Ec2BootstrapInput>][] = [
    ['no nodes', { nodes: 0 }],
    ['a negative rank', { rank: -1, masterAddress: '10.0.0.1' }],
    ["a rank past the job's nodes", { nodes: 2, rank: 2, masterAddress: '10.0.0.1', urls: node(2) }],
    ['node 0 told an address', { masterAddress: '10.0.0.1' }],
    ["a worker not told node 0's address", { nodes: 2, rank: 1, urls: node(1) }],
    ['port 0', { masterPort: 0 }],
    ['port 70000', { masterPort: 70_000 }],
    ['a fractional GPU count', { gpusPerNode: 0.5 }],
    ['an absolute outputs folder', { outputs: '/data' }],
    ['an outputs folder outside the workdir', { outputs: '../up' }],
    ['an env name with a dash', { env: { 'BAD-NAME': 'x' } }],
    ['an env name starting with a digit', { env: { '1X': 'x' } }],
    ['a log interval of 0', { logIntervalSeconds: 0 }],
    ['a stop after 0 seconds', { stopAfterSeconds: 0 }],
    ['a secrets GET without its DELETE', { urls: { ...node(0), secretsDelete: null } }],
    ['no result URL', { urls: { ...node(0), result: '' } }],
    [
      'TensorFlow on 2 nodes without address URLs',
      { tensorflow: true, nodes: 2, rank: 1, masterAddress: '10.0.0.1', urls: node(1) },
    ],
  ];
  for (const [what, change] of refused) {
    test(`refuses ${what}`, () => {
      assert.throws(
        () => renderBootstrap({ ...INPUT, ...change }),
        (error) => error instanceof DlrunError && error.audience === 'internal',
      );
    });
  }

  test("refuses a NUL in a value as the user's to fix", () => {
    assert.throws(
      () => renderBootstrap({ ...INPUT, env: { TOKEN: 'a\0b' } }),
      (error) => error instanceof DlrunError && error.audience === 'user' && /NUL/.test(error.message),
    );
  });
});
