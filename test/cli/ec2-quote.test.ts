import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { Quote } from '../../src/cost/quote.js';
import { assertNoStack } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { writeJob } from '../support/job-files.js';

const JOB = [
  'name: t4-job',
  'run: "python train.py"',
  'backend: ec2',
  'resources:',
  '  gpu: T4',
  '  nodes: 2',
  '  disk: 100GB',
  'limits:',
  '  max_runtime: 2h',
  '',
].join('\n');

test(
  'quote --backend ec2 --json prices the cheapest satisfying type, per second with a 60 s minimum, ' +
    'with its source and date',
  async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(tempDir(t), JOB);
    const result = await runCli(['quote', jobPath, '--backend', 'ec2', '--json'], { cwd: home, home });
    assert.equal(result.code, 0, result.stderr);
    const { quotes, unavailable } = JSON.parse(result.stdout) as { quotes: Quote[]; unavailable: unknown[] };
    assert.deepEqual(unavailable, []);
    assert.equal(quotes.length, 1);
    const ec2 = quotes[0]!;
    assert.equal(ec2.backend, 'ec2');
    assert.equal(ec2.machine, '2 x g4dn.xlarge');
    assert.equal(ec2.billing_increment_s, 1);
    assert.equal(ec2.minimum_billed_s, 60);
    assert.equal(ec2.runtime_s, 7200, 'the time the limits allow');
    assert.equal(ec2.billed_s, 7200);
    assert.ok(
      ec2.rate_per_hour_usd > 2 * 0.526 && ec2.rate_per_hour_usd < 2 * 0.526 + 0.03,
      `two instances and two 100 GiB gp3 roots: ${ec2.rate_per_hour_usd}`,
    );
    assert.equal(ec2.total_usd, Math.round(ec2.rate_per_hour_usd * 2 * 10_000) / 10_000);
    assert.match(
      ec2.price_source,
      new RegExp(
        /^us-east-1 on-demand Linux g4dn\.xlarge \$0\.526\/h .* x 2 nodes, /.source +
          /from https:\/\/github\.com\/aws\/karpenter-provider-aws\//.source,
      ),
    );
    assert.match(ec2.price_source, /100 GiB gp3 root volume per node at \$0\.08\/GB-month, from https:\/\//);
    assert.equal(ec2.price_as_of, '2026-02-09');
    assert.equal(ec2.unconfirmed, false);
    assert.equal('ec2' in ec2, false, 'the quote prints the section-3 fields only');
    assert.equal('basis' in ec2, false, 'the price basis stored with a job is not a quote field');

    const short = await runCli(['quote', jobPath, '--backend', 'ec2', '--runtime', '30s', '--json'], {
      cwd: home,
      home,
    });
    const [minimum] = (JSON.parse(short.stdout) as { quotes: Quote[] }).quotes;
    assert.equal(minimum!.billed_s, 60, 'a 30 s run is billed a minute');
  },
);

test('an EC2 job no instance type can run is no quote, with the reason and no stack', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: p100-job\nrun: "true"\nresources:\n  gpu: P100\n');
  const result = await runCli(['quote', jobPath, '--backend', 'ec2'], { cwd: home, home });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /ec2: no quote: no EC2 instance type priced in us-east-1 has a P100 GPU/);
  assertNoStack(result);
});

test(
  'quote --backend ec2 prices a g5.xlarge job in eu-west-1 from the dated regional copy, marked unconfirmed, ' +
    'and says the root volume has no price there',
  async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(
      tempDir(t),
      [
        'name: g5-eu',
        'run: "python train.py"',
        'backend: ec2',
        'resources:',
        '  disk: 100GB',
        'backends:',
        '  ec2:',
        '    region: eu-west-1',
        '    instance_type: g5.xlarge',
        'limits:',
        '  max_runtime: 1h',
        '',
      ].join('\n'),
    );
    const result = await runCli(['quote', jobPath, '--backend', 'ec2', '--json'], { cwd: home, home });
    assert.equal(result.code, 0, result.stderr);
    const { quotes, unavailable } = JSON.parse(result.stdout) as { quotes: Quote[]; unavailable: unknown[] };
    assert.deepEqual(unavailable, []);
    const ec2 = quotes[0]!;
    assert.equal(ec2.machine, 'g5.xlarge');
    assert.equal(ec2.rate_per_hour_usd, 1.123);
    assert.equal(ec2.total_usd, 1.123);
    assert.match(
      ec2.price_source,
      new RegExp(
        /^eu-west-1 on-demand Linux g5\.xlarge \$1\.123\/h, /.source +
          /from https:\/\/github\.com\/tsaol\/aws-gpu\/blob\/[0-9a-f]{40}\/data\/g5_instances\.js as of 2026-08-26/
            .source,
      ),
    );
    assert.match(ec2.price_source, /root volumes not priced: dlrun has no gp3 price for eu-west-1/);
    assert.equal(ec2.price_as_of, '2026-08-26');
    assert.equal(ec2.unconfirmed, true, 'a figure from a secondary source');
  },
);

test('quote in a region dlrun has no EC2 prices for (af-south-1) is refused, naming the regions it has', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(
    tempDir(t),
    'name: cape-town\nrun: "true"\nbackend: ec2\n' +
      'backends:\n  ec2:\n    region: af-south-1\n    instance_type: g4dn.xlarge\n',
  );
  const result = await runCli(['quote', jobPath, '--backend', 'ec2'], { cwd: home, home });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /no EC2 prices for af-south-1/);
  assert.match(result.stderr, /ap-northeast-1, eu-central-1, eu-west-1, us-east-1, us-east-2, us-west-2/);
  assertNoStack(result);
});
