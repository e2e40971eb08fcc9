import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { JobFileError } from '../../src/base/errors.js';
import { loadJobFile } from '../../src/spec/load-job-file.js';
import { FIXTURES } from '../support/paths.js';

// Each file in test/fixtures/invalid/ says what it must produce in comment lines at its top:
// `# expect: LINE:COLUMN RULE [SUGGESTION]`, one per finding, in the order the loader reports them.
const folder = path.join(FIXTURES, 'invalid');
const files = readdirSync(folder)
  .filter((file) => file.endsWith('.yaml'))
  .sort();

test('there are invalid fixtures to check', () => {
  assert.ok(files.length >= 8, `${files.length} files`);
});

for (const file of files) {
  test(`test/fixtures/invalid/${file}`, () => {
    const text = readFileSync(path.join(folder, file), 'utf8');
    const expected = [...text.matchAll(/^# expect: (\d+):(\d+) ([a-z-]+)(?: (\S+))?$/gm)].map(
      ([, line, column, rule, suggestion]) => [Number(line), Number(column), rule, suggestion],
    );
    assert.ok(expected.length > 0, 'the fixture says what it expects');
    assert.throws(
      () => loadJobFile(path.join(folder, file)),
      (error) => {
        assert.ok(error instanceof JobFileError);
        assert.deepEqual(
          error.findings.map((finding) => [finding.line, finding.column, finding.rule, finding.suggestion]),
          expected,
        );
        for (const finding of error.findings) assert.equal(finding.file, file);
        return true;
      },
    );
  });
}
