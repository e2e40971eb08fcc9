import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { JobFileError } from '../../src/base/errors.js';
import type { Finding } from '../../src/base/finding.js';
import { loadConfig, type Config } from '../../src/config.js';
import { capabilitiesOf, pricingIfAny, validationOf } from '../../src/core/backends.js';
import { checkJob } from '../../src/core/check-job.js';
import { BACKEND_NAMES } from '../../src/spec/backend-names.js';
import { loadJobFile } from '../../src/spec/load-job-file.js';
import { thisMachine } from '../../src/validate/this-machine.js';
import { validateJob } from '../../src/validate/validate-job.js';
import { FIXTURES } from '../support/paths.js';

// The validator's measure: test/fixtures/corpus/correct/ holds correct, realistic jobs (each a folder with job.yaml
// and the files it uses), which must give no error; test/fixtures/corpus/broken/ holds jobs with exactly one mistake
// each, declared in job.yaml as `# expect: RULE FILE:LINE` (FILE relative to the job folder), which must be found
// there at exactly that rule, file and line (an error, or a warning for a rule that only warns), with no error
// anywhere else.
//
// Both corpora run twice: without shellcheck (dlrun's own checks, which must not depend on it) and as `dlrun
// validate` runs them (checkJob, with shellcheck when it is installed, whose findings then count too).
//
// Warnings and infos are allowed in correct jobs, and listed in the test's diagnostics; at the time of writing there
// are none.
//
// Jobs that run on the local backend are judged against this machine's PATH. So that the corpus means the same on
// every machine, "this machine" is a stand-in: a PATH folder holding every command the cloud images are known to
// have (a well-equipped GPU workstation) and the real checkers, and an environment with nothing else in it.

const CORPUS = path.join(FIXTURES, 'corpus');
const EXPECT = /^# expect: (\S+) (\S+):(\d+)\s*$/gm;

interface Expectation {
  readonly rule: string;
  readonly file: string;
  readonly line: number;
}

interface Tally {
  jobs: number;
  expected: number;
  caught: number;
  falseAlarms: string[];
  quiet: string[];
}

const machine = mkdtempSync(path.join(os.tmpdir(), 'dlrun-corpus-path-'));
afterAll(() => rmSync(machine, { recursive: true, force: true }));
const cloudCommands = new Set<string>();
for (const name of BACKEND_NAMES.filter((name) => name !== 'local'))
  for (const command of (await validationOf(name)).commands(thisMachine({}))) cloudCommands.add(command);
for (const command of cloudCommands)
  if (/^[\w+-][\w.+-]*$/.test(command)) writeFileSync(path.join(machine, command), '');
// The checkers dlrun runs (bash -n, python3's compiler, shellcheck) are found on that PATH too: the real ones.
for (const tool of ['bash', 'python3', 'shellcheck']) {
  const found = (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((folder) => path.join(folder, tool))
    .find((file) => existsSync(file));
  rmSync(path.join(machine, tool), { force: true });
  if (found) symlinkSync(found, path.join(machine, tool));
}
const config: Config = loadConfig(
  { PATH: machine, HOME: path.join(machine, 'home'), DLRUN_HOME: path.join(machine, 'dlrun-home') },
  machine,
);

function jobsIn(kind: 'correct' | 'broken'): string[] {
  return readdirSync(path.join(CORPUS, kind), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function expectationsOf(jobFile: string): Expectation[] {
  return [...readFileSync(jobFile, 'utf8').matchAll(EXPECT)].map((match) => ({
    rule: match[1]!,
    file: match[2]!,
    line: Number(match[3]),
  }));
}

type Mode = 'without shellcheck' | 'as dlrun validate runs it';

let shellcheckRan = false;

async function findingsOf(jobFile: string, mode: Mode): Promise<Finding[]> {
  try {
    const loaded = loadJobFile(jobFile);
    if (mode === 'as dlrun validate runs it') {
      const result = await checkJob(loaded.job, config, undefined);
      shellcheckRan ||= result.shellcheckRan;
      return [...loaded.findings, ...result.findings];
    }
    const backends = { capabilities: capabilitiesOf, validation: validationOf, pricing: pricingIfAny };
    return [
      ...loaded.findings,
      ...(await validateJob(loaded.job, { env: config.env, backends, shellcheck: false })).findings,
    ];
  } catch (error) {
    // A job file the loader refuses is an answer too (its findings), as `dlrun validate` prints them.
    if (error instanceof JobFileError && error.findings.length) return [...error.findings];
    throw error;
  }
}

/** Every job's findings, a few jobs at a time (each runs bash, python3 and shellcheck as processes). */
async function corpusFindings(kind: 'correct' | 'broken', mode: Mode): Promise<Map<string, Finding[]>> {
  const names = jobsIn(kind);
  const results = new Map<string, Finding[]>();
  for (let start = 0; start < names.length; start += 8) {
    const batch = names.slice(start, start + 8);
    const findings = await Promise.all(
      batch.map((name) => findingsOf(path.join(CORPUS, kind, name, 'job.yaml'), mode)),
    );
    for (const [index, name] of batch.entries()) results.set(name, findings[index]!);
  }
  return results;
}

function describeFinding(finding: Finding): string {
  const place = `${finding.file}:${finding.line}:${finding.column ?? ''}`;
  return `${place} ${finding.severity} ${finding.rule} ${finding.message}`;
}

function summary(kind: string, mode: Mode, tally: Tally): string {
  const caught =
    kind === 'broken'
      ? `, caught ${tally.caught} of ${tally.expected} mistakes`
      : `, ${tally.quiet.length} warning(s)/info(s)`;
  const tools =
    mode === 'without shellcheck' ? '' : shellcheckRan ? ' (shellcheck ran)' : ' (shellcheck is not installed)';
  return `${kind} corpus ${mode}${tools}: ${tally.jobs} jobs${caught}, ${tally.falseAlarms.length} false alarm(s)`;
}

test('the corpus holds at least 25 correct and 40 broken jobs, each broken one saying what must be found', () => {
  assert.ok(jobsIn('correct').length >= 25, `${jobsIn('correct').length} correct jobs`);
  assert.ok(jobsIn('broken').length >= 40, `${jobsIn('broken').length} broken jobs`);
  for (const name of jobsIn('broken'))
    assert.ok(
      expectationsOf(path.join(CORPUS, 'broken', name, 'job.yaml')).length > 0,
      `${name} has no '# expect:' line`,
    );
  for (const name of jobsIn('correct'))
    assert.deepEqual(
      expectationsOf(path.join(CORPUS, 'correct', name, 'job.yaml')),
      [],
      `${name} is meant to be correct`,
    );
});

/**
 * CI installs shellcheck (.ci/run): there, the corpus as `dlrun validate` runs it must include
 * shellcheck's findings.
 */
function assertShellcheckRanUnderCi(mode: Mode): void {
  if (mode === 'as dlrun validate runs it' && process.env.CI === 'true')
    assert.ok(shellcheckRan, 'shellcheck did not run, and CI=true: .ci/run must install it');
}

for (const mode of ['without shellcheck', 'as dlrun validate runs it'] as const) {
  // One test per job; the findings of the whole corpus come first, a few jobs at a time, and the tally after.
  describe(`correct jobs give no error (${mode})`, () => {
    const tally: Tally = { jobs: 0, expected: 0, caught: 0, falseAlarms: [], quiet: [] };
    let all = new Map<string, Finding[]>();
    beforeAll(async () => {
      all = await corpusFindings('correct', mode);
      assertShellcheckRanUnderCi(mode);
    });
    afterAll(() => {
      console.log([summary('correct', mode, tally), ...tally.quiet.map((line) => `  ${line}`)].join('\n'));
    });
    for (const name of jobsIn('correct')) {
      test(name, () => {
        const findings = all.get(name);
        assert.ok(findings, `${name} was checked`);
        tally.jobs += 1;
        const errors = findings
          .filter((finding) => finding.severity === 'error')
          .map((finding) => `${name}/${describeFinding(finding)}`);
        tally.falseAlarms.push(...errors);
        tally.quiet.push(
          ...findings
            .filter((finding) => finding.severity !== 'error')
            .map((finding) => `${name}/${describeFinding(finding)}`),
        );
        assert.deepEqual(errors, []);
      });
    }
  });

  describe(`broken jobs are caught at their exact line, and nowhere else (${mode})`, () => {
    const tally: Tally = { jobs: 0, expected: 0, caught: 0, falseAlarms: [], quiet: [] };
    const missed: string[] = [];
    let all = new Map<string, Finding[]>();
    beforeAll(async () => {
      all = await corpusFindings('broken', mode);
      assertShellcheckRanUnderCi(mode);
    });
    afterAll(() => {
      console.log([summary('broken', mode, tally), ...missed.map((line) => `  missed ${line}`)].join('\n'));
    });
    for (const name of jobsIn('broken')) {
      test(name, () => {
        const findings = all.get(name);
        assert.ok(findings, `${name} was checked`);
        const expectations = expectationsOf(path.join(CORPUS, 'broken', name, 'job.yaml'));
        const errors = findings.filter((finding) => finding.severity === 'error');
        tally.jobs += 1;
        tally.expected += expectations.length;
        // A mistake a warning rule is about (errexit-ignored, cpu-framework-build) is caught by its warning there.
        const found = expectations.filter((expected) =>
          findings.some(
            (finding) =>
              finding.rule === expected.rule && finding.file === expected.file && finding.line === expected.line,
          ),
        );
        tally.caught += found.length;
        const notFound = expectations
          .filter((expected) => !found.includes(expected))
          .map((expected) => `${name}: ${expected.rule} ${expected.file}:${expected.line}`);
        missed.push(...notFound);
        // shellcheck's own view of the same mistake, at the same place, is no false alarm.
        const elsewhere = errors
          .filter(
            (error) =>
              !expectations.some(
                (expected) =>
                  error.file === expected.file &&
                  error.line === expected.line &&
                  (error.rule === expected.rule || error.rule.startsWith('shellcheck/')),
              ),
          )
          .map((error) => `${name}/${describeFinding(error)}`);
        tally.falseAlarms.push(...elsewhere);
        assert.deepEqual(
          { missed: notFound, elsewhere },
          { missed: [], elsewhere: [] },
          `errors found: ${errors.map(describeFinding).join('; ') || 'none'}`,
        );
      });
    }
  });
}
