import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'vitest';
import { findingsFor } from './rule-table.js';
import { tempDir } from '../support/temp-dir.js';

const installed = spawnSync('shellcheck', ['--version']).status === 0;

test(
  'shellcheck, when installed, adds its findings at the lines of job.yaml, ' +
    'with severities that spare working code',
  async (t) => {
    if (!installed) {
      // CI installs shellcheck (.ci/run); a developer machine without it still runs every other check.
      assert.notEqual(
        process.env.CI,
        'true',
        'shellcheck is not installed, and CI=true: .ci/run must install it (apt-get install -y shellcheck)',
      );
      t.skip(
        'shellcheck is not installed: apt-get install shellcheck (Debian) or brew install shellcheck, to run this test',
      );
      return;
    }
    const job = 'name: checked\nrun: |\n  for f in $(ls *.txt); do echo "$f"; done\n  local count=1\n  echo "$count"\n';
    const findings = (await findingsFor({ name: 'checked', job, expect: [] }, tempDir(t))).filter((finding) =>
      finding.rule.startsWith('shellcheck/'),
    );
    const byCode = Object.fromEntries(
      findings.map((finding) => [finding.rule, `${finding.severity} ${finding.file}:${finding.line}`]),
    );
    assert.equal(byCode['shellcheck/SC2168'], 'error job.yaml:4', "'local' outside a function fails every time");
    assert.equal(
      byCode['shellcheck/SC2045'],
      'warning job.yaml:3',
      'iterating over ls works for plain names: a warning, not an error',
    );
  },
);

test('shellcheck raises nothing on a correct job script', async (t) => {
  if (!installed) {
    assert.notEqual(process.env.CI, 'true', 'shellcheck is not installed, and CI=true');
    t.skip('shellcheck is not installed');
    return;
  }
  const job = [
    'name: clean',
    'env:',
    '  EPOCHS: 3',
    'run: |',
    '  set -euo pipefail',
    '  cd "$DLRUN_WORKDIR"',
    '  mkdir -p "$DLRUN_OUTPUT_DIR/ckpt"',
    '  python3 -c "print($EPOCHS)" > "$DLRUN_OUTPUT_DIR/out.txt"',
    '',
  ].join('\n');
  const findings = (await findingsFor({ name: 'clean', job, expect: [] }, tempDir(t))).filter((finding) =>
    finding.rule.startsWith('shellcheck/'),
  );
  assert.deepEqual(findings, []);
});
