import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../src/backend/finding.js';
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
}

/** Findings of the real validator for a job written from an example. */
export async function findingsFor(example: RuleExample, directory: string): Promise<Finding[]> {
  const { job } = writeJob(directory, example.job, example.files ?? {});
  for (const file of example.executable ?? []) chmodSync(path.join(directory, file), 0o755);
  const config = loadConfig({ PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: directory, DLRUN_HOME: path.join(directory, '.dlrun') }, directory);
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
      const places = findings.map((finding) => `${finding.severity} ${finding.file}:${finding.line}${finding.column === null ? '' : `:${finding.column}`}`);
      const expected = example.expect;
      // `error job.yaml:5` matches a finding at any column of line 5; `error job.yaml:5:3` only at column 3.
      const matches = expected.length === places.length && expected.every((place, index) => places[index] === place || places[index]!.startsWith(`${place}:`));
      assert.ok(matches, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(places)}: ${findings.map((finding) => finding.message).join(' | ')}`);
      if (example.says) {
        const first = findings[0]!;
        assert.match(`${first.message} ${first.suggestion ?? ''} ${first.hint ?? ''}`, example.says);
      }
    });
  }
}
