import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const EXAMPLES = path.join(REPO_ROOT, 'examples');

for (const example of readdirSync(EXAMPLES)) {
  test(`examples/${example} passes the validator with no error or warning, for the backends it names`, async (t) => {
    const home = tempDir(t);
    const result = await runCli(['validate', path.join(EXAMPLES, example, 'job.yaml'), '--json'], {
      cwd: REPO_ROOT,
      home,
    });
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      findings: { severity: string; rule: string; message: string }[];
    };
    assert.equal(result.code, 0, result.stdout);
    assert.deepEqual(
      report.findings.filter((finding) => finding.severity !== 'info'),
      [],
    );
  });
}
