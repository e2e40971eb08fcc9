import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { DlrunError } from '../../../src/base/errors.js';
import {
  platformAt,
  rescaleApiKey,
  rescalePlatform,
  type RescalePlatform,
} from '../../../adapters/rescale/rescale-platform.js';
import { rescaleEndpoints } from '../../../adapters/rescale/rescale-endpoints.js';
import { rescaleContext } from './rescale-loopback.js';

const job = (platform: string) => ({ backends: { rescale: { platform } } });

function refusal(make: () => unknown): DlrunError {
  try {
    make();
  } catch (error) {
    assert.ok(error instanceof DlrunError, String(error));
    return error;
  }
  assert.fail('expected an error');
}

describe('rescalePlatform', () => {
  test('the job file, else RESCALE_PLATFORM_URL, else the US platform; a trailing slash is dropped', () => {
    assert.deepEqual(
      rescalePlatform(job('https://eu.rescale.com/'), { RESCALE_PLATFORM_URL: 'https://kr.rescale.com' }),
      {
        url: 'https://eu.rescale.com',
        setting: 'backends.rescale.platform',
        source: 'the job file',
      },
    );
    assert.deepEqual(rescalePlatform(undefined, { RESCALE_PLATFORM_URL: ' https://kr.rescale.com/ ' }), {
      url: 'https://kr.rescale.com',
      setting: 'RESCALE_PLATFORM_URL',
      source: 'your shell',
    });
    assert.equal(
      rescalePlatform(undefined, { RESCALE_PLATFORM_URL: 'https://kr.rescale.com' }, new Set(['RESCALE_PLATFORM_URL']))
        .source,
      '.env',
    );
    assert.equal(rescalePlatform({ backends: {} }, { RESCALE_PLATFORM_URL: '' }).url, 'https://platform.rescale.com');
  });

  test('plain http:// only on a loopback host', () => {
    for (const url of ['http://127.0.0.1:8080', 'http://[::1]:9/', 'http://localhost:3000']) {
      assert.equal(rescalePlatform(undefined, { RESCALE_PLATFORM_URL: url }).url, url.replace(/\/$/, ''));
    }
    for (const url of ['http://platform.rescale.com', 'http://10.0.0.5:8080', 'ftp://127.0.0.1']) {
      const error = refusal(() => rescalePlatform(undefined, { RESCALE_PLATFORM_URL: url }));
      assert.match(
        error.message,
        /^RESCALE_PLATFORM_URL \(your shell\) is .*: a Rescale platform URL must start with https:\/\//,
      );
      assert.match(
        error.hint ?? '',
        /set RESCALE_PLATFORM_URL to one of https:\/\/platform\.rescale\.com, https:\/\/eu/,
      );
    }
  });

  test('a path, a query, a password or no URL at all is refused with the fix; a password is never shown', () => {
    const withPath = refusal(() => rescalePlatform(job('https://eu.rescale.com/api/v2/'), {}));
    assert.match(withPath.message, /backends\.rescale\.platform \(the job file\) is .*without a path/);
    const withPassword = refusal(() => platformAt('https://me:secret@eu.rescale.com', 'RESCALE_PLATFORM_URL', '.env'));
    assert.doesNotMatch(withPassword.message, /secret/);
    assert.match(refusal(() => platformAt('eu.rescale.com', 'RESCALE_PLATFORM_URL', '')).message, /is not a URL/);
  });
});

describe('rescaleApiKey', () => {
  const platform: RescalePlatform = { url: 'https://eu.rescale.com', setting: 'RESCALE_PLATFORM_URL', source: '.env' };

  test('RESCALE_API_KEY, or how to get one and that it belongs to one platform', () => {
    assert.equal(rescaleApiKey({ RESCALE_API_KEY: ' abc123 ' }, platform), 'abc123');
    const error = refusal(() => rescaleApiKey({}, platform));
    assert.match(error.message, /RESCALE_API_KEY is not set/);
    assert.match(error.hint ?? '', /get a key on https:\/\/eu\.rescale\.com under Settings > API Key/);
    assert.match(error.hint ?? '', /a key belongs to one platform/);
    assert.match(refusal(() => rescaleApiKey({ RESCALE_API_KEY: 'ab\ncd' }, platform)).message, /control characters/);
  });
});

describe('rescaleEndpoints', () => {
  test("Rescale's own platforms are not shown; anything else is, with its setting and source", () => {
    assert.deepEqual(rescaleEndpoints(rescaleContext({ RESCALE_PLATFORM_URL: 'https://eu.rescale.com/' })), []);
    assert.deepEqual(rescaleEndpoints(rescaleContext({})), []);
    assert.deepEqual(rescaleEndpoints(rescaleContext({ RESCALE_PLATFORM_URL: 'http://127.0.0.1:9000' })), [
      { provider: 'Rescale', url: 'http://127.0.0.1:9000', setting: 'RESCALE_PLATFORM_URL', source: 'your shell' },
    ]);
    const fromDotenv = {
      ...rescaleContext({ RESCALE_PLATFORM_URL: 'https://rescale.example.com' }),
      fromDotenv: new Set(['RESCALE_PLATFORM_URL']),
    };
    assert.equal(rescaleEndpoints(fromDotenv)[0]?.source, '.env');
    // The job's platform wins, so it is the one shown.
    assert.deepEqual(rescaleEndpoints(fromDotenv, job('https://rescale.example.org')), [
      {
        provider: 'Rescale',
        url: 'https://rescale.example.org',
        setting: 'backends.rescale.platform',
        source: 'the job file',
      },
    ]);
    assert.deepEqual(rescaleEndpoints(fromDotenv, job('https://platform.rescale.jp')), []);
  });
});
