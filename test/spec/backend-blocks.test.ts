import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { jobOf, onlyError, parse, withLines, type ExpectedFinding } from '../support/job-text.js';

/** A job with one backend block; `lines` are its settings (indented by four spaces, from line 5 on). */
function blockText(backend: string, ...lines: string[]): string {
  return withLines('backends:', `  ${backend}:`, ...lines.map((line) => `    ${line}`));
}

function blockOf(backend: string, ...lines: string[]): unknown {
  return (jobOf(blockText(backend, ...lines)).backends as Record<string, unknown> | undefined)?.[backend];
}

interface Invalid extends ExpectedFinding {
  readonly setting: string;
}

/** Each case is one setting on line 5; the column is where its value starts. */
function refuses(backend: string, cases: readonly Invalid[]): void {
  for (const { setting, ...expected } of cases) {
    test(`refuses ${setting}`, () => {
      onlyError(blockText(backend, setting), expected);
    });
  }
}

function valueColumn(setting: string): number {
  return 5 + setting.indexOf(': ') + 2;
}

function invalidValue(setting: string, message?: RegExp): Invalid {
  return { setting, line: 5, column: valueColumn(setting), rule: 'invalid-value', ...(message ? { message } : {}) };
}

test('backends is optional, and each block too', () => {
  assert.equal(jobOf(withLines('backend: ec2')).backends, undefined);
  assert.deepEqual(jobOf(withLines('backends:', '  local: {}')).backends, { local: {} });
});

test('an unknown backend block gets a did-you-mean', () => {
  onlyError(withLines('backends:', '  ec3:', '    region: us-east-1'), {
    line: 4,
    column: 3,
    rule: 'unknown-key',
    message: /unknown key 'ec3' in 'backends'/,
    suggestion: 'ec2',
  });
  onlyError(withLines('backends:', '  gcp: {}'), {
    line: 4,
    column: 3,
    rule: 'unknown-key',
    hint: /allowed here: local, ec2, vertex, rescale/,
  });
});

describe('backends.ec2', () => {
  test('every setting', () => {
    assert.deepEqual(
      blockOf(
        'ec2',
        'region: us-east-1',
        'instance_type: g4dn.xlarge',
        'image: ami-0123456789abcdef0',
        'subnet: subnet-0123abcd',
        'security_groups: [sg-0123abcd, sg-89abcdef]',
        'key_name: my key pair',
        'iam_instance_profile: arn:aws:iam::123456789012:instance-profile/training',
        'bucket: my-dlrun-bucket',
      ),
      {
        region: 'us-east-1',
        instance_type: 'g4dn.xlarge',
        image: 'ami-0123456789abcdef0',
        subnet: 'subnet-0123abcd',
        security_groups: ['sg-0123abcd', 'sg-89abcdef'],
        key_name: 'my key pair',
        iam_instance_profile: 'arn:aws:iam::123456789012:instance-profile/training',
        bucket: 'my-dlrun-bucket',
      },
    );
  });
  test('other forms: gov regions, SSM images, dotted buckets', () => {
    assert.deepEqual(
      blockOf('ec2', 'region: us-gov-west-1', 'image: ssm:/aws/service/deeplearning/ami', 'bucket: team.dlrun.data'),
      {
        region: 'us-gov-west-1',
        image: 'ssm:/aws/service/deeplearning/ami',
        bucket: 'team.dlrun.data',
      },
    );
  });
  refuses('ec2', [
    invalidValue('region: useast1', /'useast1' is not an AWS region/),
    invalidValue('region: US-EAST-1'),
    invalidValue('instance_type: g4dn', /not an instance type/),
    invalidValue('image: ami-xyz', /not an AMI id/),
    invalidValue('image: ubuntu-22.04'),
    invalidValue('subnet: sn-1234', /not a subnet id/),
    invalidValue('bucket: My_Bucket', /not an S3 bucket name/),
    invalidValue('bucket: ab'),
    invalidValue(`key_name: ${'k'.repeat(256)}`, /256 characters long/),
    { setting: 'security_groups: [sg-0123abcd, sg-0123abcd]', line: 5, column: 36, rule: 'duplicate-value' },
    { setting: 'security_groups: [default]', line: 5, column: 23, rule: 'invalid-value', message: /security group id/ },
    { setting: 'security_groups: sg-0123abcd', line: 5, column: 22, rule: 'invalid-type' },
    { setting: 'instance_typ: g4dn.xlarge', line: 5, column: 5, rule: 'unknown-key', suggestion: 'instance_type' },
    { setting: 'regoin: us-east-1', line: 5, column: 5, rule: 'unknown-key', suggestion: 'region' },
  ]);
});

describe('backends.vertex', () => {
  test('every setting', () => {
    assert.deepEqual(
      blockOf(
        'vertex',
        'project: my-project',
        'region: us-central1',
        'machine_type: n1-standard-4',
        'accelerator_type: NVIDIA_TESLA_T4',
        'container_image: us-docker.pkg.dev/vertex-ai/training/pytorch-gpu.2-1:latest',
        'staging_bucket: gs://my-bucket/dlrun',
        'service_account: trainer@my-project.iam.gserviceaccount.com',
      ),
      {
        project: 'my-project',
        region: 'us-central1',
        machine_type: 'n1-standard-4',
        accelerator_type: 'NVIDIA_TESLA_T4',
        container_image: 'us-docker.pkg.dev/vertex-ai/training/pytorch-gpu.2-1:latest',
        staging_bucket: 'gs://my-bucket/dlrun',
        service_account: 'trainer@my-project.iam.gserviceaccount.com',
      },
    );
  });
  test('a bucket without a folder, and the default compute service account', () => {
    assert.deepEqual(
      blockOf(
        'vertex',
        'staging_bucket: gs://my-bucket',
        'service_account: 123456789-compute@developer.gserviceaccount.com',
      ),
      {
        staging_bucket: 'gs://my-bucket',
        service_account: '123456789-compute@developer.gserviceaccount.com',
      },
    );
  });
  refuses('vertex', [
    invalidValue('project: My', /not a project id/),
    invalidValue('project: 1project'),
    invalidValue('region: us_central1', /not a region/),
    invalidValue('machine_type: n1', /not a machine type/),
    invalidValue('accelerator_type: nvidia_t4', /not an accelerator type/),
    invalidValue('staging_bucket: s3://my-bucket', /not a Cloud Storage location/),
    invalidValue('service_account: me@gmail.com', /not a service account email/),
    invalidValue(`container_image: ${'x'.repeat(1025)}`, /1025 characters long/),
    { setting: 'projet: my-project', line: 5, column: 5, rule: 'unknown-key', suggestion: 'project' },
  ]);
});

describe('backends.rescale', () => {
  test('every setting', () => {
    assert.deepEqual(blockOf('rescale', 'core_type: emerald', 'cores: 4', 'platform: https://platform.rescale.com'), {
      core_type: 'emerald',
      cores: 4,
      platform: 'https://platform.rescale.com',
    });
  });
  for (const platform of [
    'https://eu.rescale.com',
    'https://kr.rescale.com',
    'https://platform.rescale.jp',
    'https://itar.rescale.com/',
  ]) {
    test(`platform ${platform}`, () => {
      assert.deepEqual(blockOf('rescale', `platform: ${platform}`), { platform });
    });
  }
  refuses('rescale', [
    invalidValue('core_type: Emerald', /not a core type code/),
    invalidValue('cores: 0', /out of range/),
    { setting: 'cores: 2.5', line: 5, column: 12, rule: 'invalid-type' },
    invalidValue('platform: http://platform.rescale.com', /not a Rescale platform URL/),
    invalidValue('platform: platform.rescale.com'),
    { setting: 'core: emerald', line: 5, column: 5, rule: 'unknown-key', suggestion: 'cores' },
  ]);
});

describe('backends.local', () => {
  test('an hourly rate', () => {
    assert.deepEqual(blockOf('local', 'hourly_rate: 0.35'), { hourly_rate: 0.35 });
    assert.deepEqual(blockOf('local', 'hourly_rate: 0'), { hourly_rate: 0 });
  });
  test('or the cost of owning the machine, in its pairs', () => {
    assert.deepEqual(
      blockOf('local', 'purchase_price: 3500', 'lifetime_years: 3', 'power_watts: 450', 'kwh_price: 0.15'),
      {
        purchase_price: 3500,
        lifetime_years: 3,
        power_watts: 450,
        kwh_price: 0.15,
      },
    );
    assert.deepEqual(blockOf('local', 'purchase_price: 3500', 'lifetime_years: 3'), {
      purchase_price: 3500,
      lifetime_years: 3,
    });
    assert.deepEqual(blockOf('local', 'power_watts: 450', 'kwh_price: 0.15'), { power_watts: 450, kwh_price: 0.15 });
  });
  refuses('local', [
    invalidValue('hourly_rate: -1', /out of range/),
    { setting: 'hourly_rate: "0.35"', line: 5, column: 18, rule: 'invalid-type', hint: /remove the quotes/ },
    {
      setting: 'region: us-east-1',
      line: 5,
      column: 5,
      rule: 'unknown-key',
      hint: /allowed here: hourly_rate, purchase_price/,
    },
  ]);

  // Cross-field rules are reported at the key that breaks them.
  const crossField: [string[], ExpectedFinding][] = [
    [
      ['hourly_rate: 0.35', 'purchase_price: 3500', 'lifetime_years: 3'],
      {
        line: 5,
        column: 5,
        message: /either hourly_rate or the cost of owning the machine \(purchase_price, lifetime_years\), not both/,
      },
    ],
    [['power_watts: 450', 'kwh_price: 0.15', 'hourly_rate: 1'], { line: 7, column: 5, message: /not both/ }],
    [
      ['purchase_price: 3500'],
      {
        line: 5,
        column: 5,
        message: /purchase_price needs lifetime_years too/,
        hint: /add lifetime_years under backends.local/,
      },
    ],
    [['lifetime_years: 3'], { line: 5, column: 5, message: /lifetime_years needs purchase_price too/ }],
    [['power_watts: 450'], { line: 5, column: 5, message: /power_watts needs kwh_price too/, hint: /add kwh_price/ }],
    [
      ['purchase_price: 3500', 'lifetime_years: 3', 'kwh_price: 0.15'],
      { line: 7, column: 5, message: /kwh_price needs power_watts too/ },
    ],
  ];
  for (const [lines, expected] of crossField) {
    test(`refuses ${lines.join(', ')}`, () => {
      onlyError(blockText('local', ...lines), { rule: 'invalid-value', ...expected });
    });
  }
  test('lifetime_years must be above zero', () => {
    onlyError(blockText('local', 'purchase_price: 1', 'lifetime_years: 0'), {
      line: 6,
      column: 21,
      rule: 'invalid-value',
      message: /more than 0/,
    });
  });
});

test('all four blocks together', () => {
  const { job } = parse(
    withLines(
      'backend: vertex',
      'backends:',
      '  local: {hourly_rate: 0.2}',
      '  ec2: {region: eu-west-1}',
      '  vertex: {project: my-project, region: europe-west4}',
      '  rescale: {core_type: emerald, cores: 8}',
    ),
  );
  assert.deepEqual(job?.backends, {
    local: { hourly_rate: 0.2 },
    ec2: { region: 'eu-west-1' },
    vertex: { project: 'my-project', region: 'europe-west4' },
    rescale: { core_type: 'emerald', cores: 8 },
  });
});
