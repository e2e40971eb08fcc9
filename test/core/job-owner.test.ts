import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'vitest';
import { supported, unsupported } from '../../src/backend/capabilities.js';
import { DlrunError, UsageError } from '../../src/base/errors.js';
import { elsewhereHost, jobOwner, ownerFlag, ownerName, thisHost } from '../../src/core/job-owner.js';
import { ownerCell } from '../../src/cli/render-jobs.js';

test('the owner is DLRUN_USER, trimmed; unset or empty, the OS user; the host is this machine', () => {
  assert.deepEqual(jobOwner({ env: { DLRUN_USER: '  alice ' } }), { owner: 'alice', host: os.hostname() });
  assert.equal(ownerName({ env: { DLRUN_USER: 'Bob Smith' } }), 'Bob Smith');
  assert.equal(ownerName({ env: { DLRUN_USER: 'Zoë' } }), 'Zoë');
  assert.equal(ownerName({ env: {} }), os.userInfo().username);
  assert.equal(ownerName({ env: { DLRUN_USER: '' } }), os.userInfo().username);
  assert.equal(ownerName({ env: { DLRUN_USER: 'x'.repeat(64) } }), 'x'.repeat(64));
});

test('a DLRUN_USER that cannot be shown safely is refused, the value never repeated', () => {
  for (const [value, problem] of [
    ['   ', 'is empty'],
    ['x'.repeat(65), 'is longer than 64 characters'],
    ['ali\u001b[31mce', 'holds a control character'],
    ['ali\nce', 'holds a control character'],
    ['ali\u009bce', 'holds a control character'],
    ['al\u202eice', 'holds a control character'],
  ] as const) {
    assert.throws(
      () => ownerName({ env: { DLRUN_USER: value } }),
      (error: unknown) =>
        error instanceof DlrunError &&
        !(error instanceof UsageError) &&
        error.message === `DLRUN_USER ${problem}` &&
        !(error.hint ?? '').includes(value),
    );
  }
});

test('--owner takes a name as DLRUN_USER does, and a bad one is a usage error', () => {
  assert.equal(ownerFlag(' alice ', '--owner'), 'alice');
  assert.throws(() => ownerFlag('a\u0007', '--owner'), UsageError);
  assert.throws(() => ownerFlag('', '--owner'), UsageError);
});

test('only a backend whose jobs live on their host makes a job of another host unreachable from here', () => {
  const lives = { jobsLiveOnHost: supported() };
  const anywhere = { jobsLiveOnHost: unsupported('reached through an API') };
  assert.equal(elsewhereHost({ host: 'other-host' }, lives), 'other-host');
  assert.equal(elsewhereHost({ host: thisHost() }, lives), undefined);
  assert.equal(elsewhereHost({ host: null }, lives), undefined, 'a job recorded before hosts were: as before');
  assert.equal(elsewhereHost({ host: 'other-host' }, anywhere), undefined);
});

test('the OWNER cell: the owner alone here, owner@host from elsewhere, a short host, never a control character', () => {
  assert.equal(ownerCell({ owner: 'alice', host: 'here' }, 'here'), 'alice');
  assert.equal(ownerCell({ owner: 'alice', host: null }, 'here'), 'alice');
  assert.equal(ownerCell({ owner: null, host: null }, 'here'), '-');
  assert.equal(ownerCell({ owner: 'carol', host: 'gpu-box.lab.example.com' }, 'here'), 'carol@gpu-box');
  assert.equal(ownerCell({ owner: 'carol', host: '10.0.0.7' }, 'here'), 'carol@10.0.0.7');
  assert.equal(
    ownerCell({ owner: 'carol', host: 'a-very-long-host-name-indeed.example' }, 'here'),
    'carol@a-very-long-host-na…',
  );
  // Written into a shared ledger by something other than this dlrun: shown, never obeyed.
  assert.equal(ownerCell({ owner: 'eve\u001b[2J', host: 'h\u0007' }, 'here'), 'eve\\u001b[2J@h\\u0007');
});
