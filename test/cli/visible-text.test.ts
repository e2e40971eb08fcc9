import { asJobId } from '../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { LiveLine } from '../../src/cli/live-line.js';
import { visibleField, visibleText } from '../../src/cli/visible-text.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import { newJob, PRICE } from '../ledger/support/ledger-fixtures.js';
import { runCli } from '../support/run-cli.js';
import { seededHome } from '../support/seeded-home.js';

// What a hostile machine or provider could send: clear the screen, set the title, write the clipboard (OSC 52),
// ring the bell, move the cursor, a C1 CSI, a right-to-left override, and a carriage return to overwrite a line.
const HOSTILE = 'done\u001b[2J\u001b]0;pwned\u0007\u001b]52;c;ZWNobyBoaQ==\u0007\u009b31m\u202eevil\rdlrun: fake line';
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

test('visibleText shows every control character as an escape; newlines, tabs and colours pass', () => {
  const shown = visibleText(HOSTILE);
  assert.doesNotMatch(shown, RAW_CONTROL);
  assert.equal(
    shown,
    'done\\u001b[2J\\u001b]0;pwned\\u0007\\u001b]52;c;ZWNobyBoaQ==\\u0007\\u009b31m\\u202eevil\\u000ddlrun: fake line',
  );
  assert.equal(
    visibleText('a\tb\nc \u001b[1;31mred\u001b[0m'),
    'a\tb\nc \u001b[1;31mred\u001b[0m',
    'colour sequences are kept',
  );
  assert.equal(
    visibleText('10%\r20%', { keepCarriageReturns: true }),
    '10%\r20%',
    "a job's progress bar still redraws",
  );
});

test('visibleField keeps one field on one line, colour sequences included', () => {
  assert.equal(visibleField('ok\nfaked\t\u001b[31m'), 'ok\\u000afaked\\u0009\\u001b[31m');
});

test('the escapes are valid inside JSON strings: what a script parses is what was reported', () => {
  const json = visibleText(JSON.stringify({ reason: HOSTILE }));
  assert.doesNotMatch(json, RAW_CONTROL);
  assert.equal((JSON.parse(json) as { reason: string }).reason, HOSTILE);
});

test(
  "on a terminal, the live line shows a job's output without obeying it; " + 'off a terminal it is passed as written',
  () => {
    const written: string[] = [];
    const onTerminal = new LiveLine((text) => written.push(text), true);
    onTerminal.update('job: running');
    onTerminal.output(`${HOSTILE}\n`);
    onTerminal.finish();
    const screen = written.join('');
    assert.ok(screen.includes('\\u001b]52;c;'), 'the clipboard sequence is shown as text');
    assert.doesNotMatch(
      screen.replaceAll('\r\u001b[K', ''),
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e]/,
    );
    const piped: string[] = [];
    const offTerminal = new LiveLine((text) => piped.push(text), false);
    offTerminal.output(`${HOSTILE}\n`);
    assert.equal(piped.join(''), `${HOSTILE}\n`);
  },
);

const JOB = asJobId('hostile-20200101-1000-a7f3');

async function seedHostileJob(ledger: Ledger): Promise<void> {
  await ledger.createJob(newJob(JOB, '2020-01-01T10:00:00.000Z', { price: PRICE }));
  await ledger.recordChange(JOB, {
    at: '2020-01-01T10:01:00.000Z',
    source: 'provider',
    state: 'running',
    providerState: 'running\u001b[2J',
    externalId: 'i-0abc\u0007',
  });
  await ledger.recordChange(JOB, {
    at: '2020-01-01T10:02:00.000Z',
    source: 'provider',
    state: 'failed',
    exitCode: 1,
    message: HOSTILE,
  });
}

test(
  'status shows what the machine and the provider reported with its control characters visible, ' +
    'as text and as JSON',
  async (t) => {
    const home = await seededHome(t, seedHostileJob);
    const text = await runCli(['status', JOB], { cwd: home, home });
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, RAW_CONTROL);
    assert.match(text.stdout, /^why it ended\s+done\\u001b\[2J\\u001b\]0;pwned\\u0007/m);
    assert.match(text.stdout, /^state\s+failed \(provider: running\\u001b\[2J\)$/m);
    const table = await runCli(['status'], { cwd: home, home });
    assert.doesNotMatch(table.stdout, RAW_CONTROL);
    const json = await runCli(['status', JOB, '--json'], { cwd: home, home });
    assert.doesNotMatch(json.stdout, RAW_CONTROL);
    assert.equal(
      (JSON.parse(json.stdout) as { end_reason: string }).end_reason,
      HOSTILE,
      'the data itself is unchanged',
    );
  },
);
