import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { Finding } from '../../src/base/finding.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { parseJobText, type JobParseResult } from '../../src/spec/parse-job-text.js';

/** Where parsed test texts pretend to live; parseJobText reads no files, so the folder need not exist. */
export const JOB_DIR = '/jobs/demo';
export const JOB_FILE = 'job.yaml';

/** The smallest valid job, for tests that vary one field. */
export const MINIMAL = 'name: demo\nrun: python train.py\n';

export function parse(text: string): JobParseResult {
  return parseJobText(text, { path: JOB_FILE, dir: JOB_DIR, file: JOB_FILE });
}

/** The job a text gives, failing the test with the findings when it gives none. */
export function jobOf(text: string): JobSpec {
  const { job, findings } = parse(text);
  assert.ok(job, `expected a job from:\n${text}\nfindings: ${JSON.stringify(findings, null, 2)}`);
  assert.deepEqual(
    findings.filter((finding) => finding.severity === 'error'),
    [],
  );
  return job;
}

/** What a finding is expected to say; `message` is matched as a pattern, the rest exactly. */
export interface ExpectedFinding {
  readonly line: number;
  readonly column: number | null;
  readonly rule?: string;
  readonly message?: RegExp;
  readonly suggestion?: string;
  readonly hint?: RegExp;
}

/** The one error a text gives, checked against what the test expects. */
export function onlyError(text: string, expected: ExpectedFinding): Finding {
  const { job, findings } = parse(text);
  const errors = findings.filter((finding) => finding.severity === 'error');
  assert.equal(job, undefined, `expected no job from:\n${text}`);
  assert.equal(errors.length, 1, `expected one error from:\n${text}\nfound: ${JSON.stringify(errors, null, 2)}`);
  const finding = errors[0]!;
  assertFinding(finding, expected, text);
  return finding;
}

export function assertFinding(finding: Finding, expected: ExpectedFinding, text = ''): void {
  const context = `${JSON.stringify(finding)}\nin:\n${text}`;
  assert.equal(finding.file, JOB_FILE, context);
  assert.equal(finding.line, expected.line, `line: ${context}`);
  assert.equal(finding.column, expected.column, `column: ${context}`);
  if (expected.rule !== undefined) assert.equal(finding.rule, expected.rule, `rule: ${context}`);
  if (expected.message !== undefined) assert.match(finding.message, expected.message, context);
  if ('suggestion' in expected) assert.equal(finding.suggestion, expected.suggestion, `suggestion: ${context}`);
  if (expected.hint !== undefined) assert.match(finding.hint ?? '', expected.hint, `hint: ${context}`);
}

/** A minimal job with extra lines appended (each given without its trailing newline). */
export function withLines(...lines: string[]): string {
  return `${MINIMAL}${lines.join('\n')}\n`;
}

export interface Refusal extends ExpectedFinding {
  readonly text: string;
}

/** One test per text that must give exactly the expected error (ESLint's RuleTester "invalid" cases). */
export function testRefusals(
  cases: readonly Refusal[],
  title: (text: string) => string = (text) => `refuses ${JSON.stringify(text)}`,
): void {
  for (const { text, ...expected } of cases) {
    test(title(text), () => {
      onlyError(text, expected);
    });
  }
}
