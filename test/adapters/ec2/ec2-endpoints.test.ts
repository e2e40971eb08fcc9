import { asLedgerId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { clientSettings } from '../../../adapters/ec2/ec2-clients.js';
import { ec2Endpoints } from '../../../adapters/ec2/ec2-endpoints.js';
import type { BackendContext } from '../../../src/backend/training-backend.js';
import { tempDir } from '../../support/temp-dir.js';

const context = (env: Record<string, string>, fromDotenv: string[] = []): BackendContext => ({
  ledgerId: asLedgerId('ledger'),
  home: '/nonexistent',
  // No config file unless a test names one: the machine's ~/.aws must not count.
  env: { AWS_CONFIG_FILE: '/nonexistent/config', ...env },
  fromDotenv: new Set(fromDotenv),
});

test('AWS_ENDPOINT_URL sends every service elsewhere: one entry, saying where the setting came from', () => {
  assert.deepEqual(ec2Endpoints(context({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' })), [
    { provider: 'AWS', url: 'http://127.0.0.1:5000', setting: 'AWS_ENDPOINT_URL', source: 'your shell' },
  ]);
  assert.equal(
    ec2Endpoints(context({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }, ['AWS_ENDPOINT_URL']))[0]?.source,
    '.env',
  );
  assert.deepEqual(ec2Endpoints(context({})), [], 'nothing set: AWS itself');
});

test(
  'a service of its own wins over AWS_ENDPOINT_URL for that service, ' +
    'and each client gets exactly the endpoint shown',
  () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:6000',
      AWS_ENDPOINT_URL_SERVICE_QUOTAS: 'http://127.0.0.1:7000',
    };
    assert.deepEqual(ec2Endpoints(context(env)), [
      {
        provider: 'AWS',
        services: 'EC2, STS, SSM, Cost Explorer, Pricing',
        url: 'http://127.0.0.1:5000',
        setting: 'AWS_ENDPOINT_URL',
        source: 'your shell',
      },
      {
        provider: 'AWS',
        services: 'S3',
        url: 'http://127.0.0.1:6000',
        setting: 'AWS_ENDPOINT_URL_S3',
        source: 'your shell',
      },
      {
        provider: 'AWS',
        services: 'Service Quotas',
        url: 'http://127.0.0.1:7000',
        setting: 'AWS_ENDPOINT_URL_SERVICE_QUOTAS',
        source: 'your shell',
      },
    ]);
    assert.equal(clientSettings('S3', 'us-east-1', context(env)).endpoint, 'http://127.0.0.1:6000');
    assert.equal(clientSettings('EC2', 'us-east-1', context(env)).endpoint, 'http://127.0.0.1:5000');
    // With none resolved, the SDK is told to look for none of its own (so it cannot use one dlrun did not show).
    assert.deepEqual(
      [
        clientSettings('EC2', 'us-east-1', context({})).endpoint,
        clientSettings('EC2', 'us-east-1', context({})).ignoreConfiguredEndpointUrls,
      ],
      [undefined, true],
    );
  },
);

test(
  "AWS's own endpoints are not shown; a password in a URL never is; " +
    'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns them all off',
  () => {
    assert.deepEqual(ec2Endpoints(context({ AWS_ENDPOINT_URL: 'https://ec2.us-east-1.amazonaws.com' })), []);
    assert.equal(
      ec2Endpoints(context({ AWS_ENDPOINT_URL: 'https://ec2.us-east-1.amazonaws.com.attacker.net' })).length,
      1,
    );
    assert.equal(
      ec2Endpoints(context({ AWS_ENDPOINT_URL: 'http://ec2.us-east-1.amazonaws.com' })).length,
      1,
      'plain HTTP is not AWS',
    );
    assert.equal(
      ec2Endpoints(context({ AWS_ENDPOINT_URL: 'https://user:hunter2@proxy.example/' }))[0]?.url,
      'https://***@proxy.example/',
    );
    assert.equal(ec2Endpoints(context({ AWS_ENDPOINT_URL: 'http://x\u001b[2Jy' }))[0]?.url, '"http://x\\u001b[2Jy"');
    assert.deepEqual(
      ec2Endpoints(context({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })),
      [],
    );
  },
);

test("the profile's endpoint_url and its services section, from the AWS config file, as the SDK reads them", (t) => {
  const file = path.join(tempDir(t), 'config');
  writeFileSync(
    file,
    [
      '[default]',
      'endpoint_url = http://default.example # a comment',
      '[profile lab]',
      'services = lab-services',
      'endpoint_url = http://lab.example',
      '[services lab-services]',
      'ec2 =',
      '  endpoint_url = http://ec2.lab.example',
      's3 =',
      '  addressing_style = path',
      'endpoint_url = ignored.example',
      '[profile quiet]',
      'endpoint_url = http://quiet.example',
      'ignore_configured_endpoint_urls = true',
      '',
    ].join('\n'),
  );
  assert.deepEqual(ec2Endpoints(context({ AWS_CONFIG_FILE: file })), [
    { provider: 'AWS', url: 'http://default.example', setting: 'endpoint_url of profile default', source: file },
  ]);
  assert.deepEqual(ec2Endpoints(context({ AWS_CONFIG_FILE: file, AWS_PROFILE: 'lab' })), [
    {
      provider: 'AWS',
      services: 'EC2',
      url: 'http://ec2.lab.example',
      setting: 'ec2.endpoint_url in [services lab-services] of profile lab',
      source: file,
    },
    {
      provider: 'AWS',
      services: 'S3, STS, SSM, Service Quotas, Cost Explorer, Pricing',
      url: 'http://lab.example',
      setting: 'endpoint_url of profile lab',
      source: file,
    },
  ]);
  assert.deepEqual(ec2Endpoints(context({ AWS_CONFIG_FILE: file, AWS_PROFILE: 'quiet' })), []);
  assert.equal(
    ec2Endpoints(context({ AWS_CONFIG_FILE: file, AWS_PROFILE: 'lab', AWS_ENDPOINT_URL: 'http://env.example' }))[0]
      ?.setting,
    'AWS_ENDPOINT_URL',
    'the environment wins',
  );
});
