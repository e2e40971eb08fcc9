import assert from 'node:assert/strict';
import { test } from 'vitest';
import fc from 'fast-check';
import { MAX_JOB_ID_LENGTH, asJobId, asLedgerId, isJobId, newJobId } from '../../src/backend/job-id.js';
import { JOB_ID_TAG, LEDGER_TAG, resourceTags } from '../../src/backend/tags.js';
import { MAX_NAME_LENGTH } from '../../src/spec/job-schema.js';

// Label values on Google Cloud: at most 63 lowercase letters, digits, '_' and '-'.
const GCP_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
// EC2 tag values: up to 256 Unicode characters; the job id must also fit a Rescale job name.
const EC2_TAG_VALUE_MAX = 256;

test('a job id is the name, the UTC minute and four hex digits', () => {
  const id = newJobId('mnist-cnn', new Date('2026-11-26T05:12:33Z'), Buffer.from([0xa7, 0xf3]));
  assert.equal(id, 'mnist-cnn-20261126-0512-a7f3');
  assert.equal(isJobId(id), true);
});

test('every job id of a valid name is a valid EC2 tag value and GCP label value', () => {
  const name = fc.stringMatching(new RegExp(`^[a-z0-9][a-z0-9-]{0,${MAX_NAME_LENGTH - 1}}$`));
  fc.assert(
    fc.property(
      name,
      fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
      (jobName, when) => {
        const id = newJobId(jobName, when);
        assert.ok(id.startsWith(`${jobName}-`));
        assert.ok(id.length <= MAX_JOB_ID_LENGTH, `${id} is ${id.length} long`);
        assert.match(id, GCP_LABEL_VALUE);
        assert.ok(id.length <= EC2_TAG_VALUE_MAX);
        assert.equal(isJobId(id), true);
      },
    ),
    { seed: 2611, numRuns: 300 },
  );
});

test('two ids made in the same minute differ', () => {
  const when = new Date('2026-11-26T05:12:00Z');
  const ids = new Set(Array.from({ length: 50 }, () => newJobId('same', when)));
  assert.ok(ids.size > 40, 'random suffixes');
});

test('isJobId refuses what a tag or label could not hold', () => {
  for (const bad of ['', 'Upper-case', 'has space', 'under_score', '-leading', 'x'.repeat(64)])
    assert.equal(isJobId(bad), false, bad);
});

test('every resource carries the job id and the ledger id', () => {
  assert.deepEqual(resourceTags(asJobId('job-1'), asLedgerId('abc123')), {
    [JOB_ID_TAG]: 'job-1',
    [LEDGER_TAG]: 'abc123',
  });
  assert.equal(JOB_ID_TAG, 'dlrun-job-id');
  assert.equal(LEDGER_TAG, 'dlrun-ledger');
});
