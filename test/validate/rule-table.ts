import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'vitest';
import type { Finding } from '../../src/base/finding.js';
import { loadConfig } from '../../src/config.js';
import { checkJob } from '../../src/core/check-job.js';
import type { BackendName } from '../../src/spec/backend-names.js';
import { writeJob } from '../support/job-files.js';
import { tempDir } from '../support/temp-dir.js';

/** One example of a rule's table: a job (and its files) and the findings of this rule it must give. */
export interface RuleExample {
  readonly name: string;
  readonly job: string;
  readonly files?: Readonly<Record<string, string>>;
  /** Files to mark executable. */
  readonly executable?: readonly string[];
  readonly backend?: BackendName;
  /** `FILE:LINE` (or `FILE:LINE:COLUMN`) of each finding of this rule, with its severity; empty for a valid example. */
  readonly expect: readonly string[];
  /** Text the first finding's message, suggestion or hint must hold. */
  readonly says?: RegExp;
  /** Variables of the submitting environment (PATH, HOME and DLRUN_HOME are set for every example). */
  readonly env?: Readonly<Record<string, string>>;
  /** Folders of the example (relative to it) put first on the PATH, for stand-in commands such as nvidia-smi. */
  readonly pathFirst?: readonly string[];
}

/** HOME for the examples: a folder that is not the job's (a workdir that is the home folder is refused). */
const NO_HOME = path.join(os.tmpdir(), 'dlrun-rule-table-home-that-does-not-exist');

/** Findings of the real validator for a job written from an example. */
export async function findingsFor(example: RuleExample, directory: string): Promise<Finding[]> {
  const { job } = writeJob(directory, example.job, example.files ?? {});
  for (const file of example.executable ?? []) chmodSync(path.join(directory, file), 0o755);
  const searchPath = [
    ...(example.pathFirst ?? []).map((folder) => path.join(directory, folder)),
    process.env.PATH ?? '/usr/bin:/bin',
  ].join(path.delimiter);
  const config = loadConfig(
    { PATH: searchPath, HOME: NO_HOME, DLRUN_HOME: path.join(directory, '.dlrun'), ...example.env },
    directory,
  );
  return [...(await checkJob(job, config, example.backend)).findings];
}

/**
 * ESLint-style tables: every example runs through the whole validator, and the findings of `rule` must be exactly
 * the expected places (`error job.yaml:5:3`), so a valid example also proves the rule stays silent.
 */
export function ruleTable(rule: string, examples: readonly RuleExample[]): void {
  for (const example of examples) {
    test(`${rule}: ${example.name}`, async (t) => {
      const findings = (await findingsFor(example, tempDir(t))).filter((finding) => finding.rule === rule);
      const places = findings.map(
        (finding) =>
          `${finding.severity} ${finding.file}:${finding.line}${finding.column === null ? '' : `:${finding.column}`}`,
      );
      const expected = example.expect;
      // `error job.yaml:5` matches a finding at any column of line 5; `error job.yaml:5:3` only at column 3.
      const matches =
        expected.length === places.length &&
        expected.every((place, index) => places[index] === place || places[index]!.startsWith(`${place}:`));
      assert.ok(
        matches,
        `expected ${JSON.stringify(expected)}, got ${JSON.stringify(places)}: ` +
          findings.map((finding) => finding.message).join(' | '),
      );
      if (example.says) {
        const first = findings[0]!;
        assert.match(`${first.message} ${first.suggestion ?? ''} ${first.hint ?? ''}`, example.says);
      }
    });
  }
}
