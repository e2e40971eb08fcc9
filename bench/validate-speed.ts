import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { BENCH_FIXTURES, CLI_BIN } from './support/paths.js';
import { median, percentile } from './support/statistics.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv, timeCommands } from './support/time-commands.js';

const RUNS = 30;
const PROCESS_RUNS = 15;
const TYPICAL_JOB = path.join(BENCH_FIXTURES, 'typical-validate', 'job.yaml');

/**
 * The validator's speed: a typical job in-process (the rules alone, and with bash -n and python3's compile as
 * separate processes), the whole `dlrun validate` process against `dlrun --help` and shellcheck's own time, and a
 * 2,000-line script. The validator is imported here so that its module load is not in the per-run figures.
 */
export async function validateSpeed(): Promise<BenchmarkResult> {
  const { loadJobFile } = await import('../src/spec/load-job-file.js');
  const { validateJob, targetsOf, loadBackends } = await import('../src/validate/validate-job.js');
  const { collectScripts } = await import('../src/validate/collect-scripts.js');
  const { runRules } = await import('../src/validate/rules/index.js');
  const { thisMachine } = await import('../src/validate/this-machine.js');
  const { WorkdirView } = await import('../src/validate/workdir-view.js');
  const { capabilitiesOf, pricingIfAny, validationOf } = await import('../src/core/backends.js');
  const backends = { capabilities: capabilitiesOf, validation: validationOf, pricing: pricingIfAny };
  const env = { PATH: process.env.PATH ?? '' };
  const root = makeTempFolder('dlrun-bench-validate-');
  try {
    const longJob = writeLongJob(root, 2_000);
    // The validator's own work: load, parse, follow script files, every rule. No process is started.
    const rules = async (jobFile: string): Promise<void> => {
      const { job } = loadJobFile(jobFile);
      const { targets, portable } = targetsOf(job, undefined);
      const loaded = await loadBackends(job, targets, backends);
      const workdir = new WorkdirView(job.workdir);
      const { scripts, calls } = collectScripts(job, workdir);
      const context = {
        job,
        targets,
        portable,
        launching: false,
        scripts,
        calls,
        workdir,
        machine: thisMachine(env),
        ...loaded,
        python: [],
      };
      runRules(context);
    };
    const inProcess = async (jobFile: string, externalChecks: boolean): Promise<number[]> => {
      const samples: number[] = [];
      for (let run = 0; run < RUNS + 3; run++) {
        const start = performance.now();
        if (externalChecks) await validateJob(loadJobFile(jobFile).job, { env, backends, shellcheck: false });
        else await rules(jobFile);
        if (run >= 3) samples.push(performance.now() - start);
      }
      return samples;
    };
    const rulesOnly = await inProcess(TYPICAL_JOB, false);
    const withExternal = await inProcess(TYPICAL_JOB, true);
    const long = await inProcess(longJob, false);
    // A DLRUN_HOME of the benchmark's own: the checkers' result cache lives there, never in the user's ~/.dlrun.
    const home = { DLRUN_HOME: path.join(root, 'home') };
    // Taking turns, so that a busy spell of the machine weighs on both alike (the ratio compares them).
    const helpLabel = 'dlrun --help';
    const validateLabel = 'dlrun validate';
    const turns = timeCommands(
      [
        { label: helpLabel, args: [CLI_BIN, '--help'], cwd: root, env: cleanEnv(home) },
        {
          label: validateLabel,
          args: [CLI_BIN, 'validate', TYPICAL_JOB],
          cwd: root,
          env: cleanEnv(home),
        },
      ],
      { warmups: 2, runs: PROCESS_RUNS },
    );
    const help = turns.get(helpLabel)!;
    const validate = turns.get(validateLabel)!;
    const shellcheckInstalled = spawnSync('shellcheck', ['--version']).status === 0;
    const shellcheckOwn = shellcheckInstalled
      ? commandTimes(
          'shellcheck',
          ['-s', 'bash', path.join(BENCH_FIXTURES, 'typical-validate', 'scripts', 'prepare.sh')],
          {},
        )
      : undefined;
    const shellcheckNote = shellcheckInstalled ? ', with shellcheck' : ', shellcheck not installed';
    const budget = 2 * median(help) + (shellcheckOwn ? median(shellcheckOwn) : 0);
    const measurements: Measurement[] = [
      figure('typical job, in-process: load, parse and every rule', rulesOnly, 50),
      figure('typical job, in-process, plus bash -n and python3 compile (processes)', withExternal),
      figure('2,000-line script, in-process, rules only', long, 1000),
      figure('dlrun --help (process)', help),
      {
        ...figure(`dlrun validate typical job (process${shellcheckNote})`, validate),
        ratio: { value: median(validate) / budget, of: '2x --help + shellcheck' },
        target: 'under 2x --help + shellcheck',
      },
    ];
    if (shellcheckOwn) measurements.push(figure("shellcheck on the job's script file alone (process)", shellcheckOwn));
    return {
      title: 'Validating jobs',
      method: `${RUNS} in-process runs after 3 warm-ups; ${PROCESS_RUNS} process runs; medians and p90`,
      measurements,
    };
  } finally {
    removeFolder(root);
  }
}

function figure(label: string, samples: readonly number[], targetMs?: number): Measurement {
  return {
    label,
    figures: [
      { name: 'median', ms: median(samples) },
      { name: 'p90', ms: percentile(samples, 0.9) },
    ],
    runs: samples.length,
    ...(targetMs ? { ratio: { value: median(samples) / targetMs, of: 'target' }, target: `under ${targetMs} ms` } : {}),
  };
}

/** Wall time of a command, after 2 warm-up runs (the first validate also fills the checkers' cache). */
function commandTimes(command: string, args: readonly string[], env: Readonly<Record<string, string>>): number[] {
  const samples: number[] = [];
  for (let run = 0; run < PROCESS_RUNS + 2; run++) {
    const start = performance.now();
    // A clean environment, as in the other benchmarks: a machine-wide NODE_EXTRA_CA_CERTS, for one, adds about
    // 40 ms to every Node start and would hide how validate compares with --help.
    spawnSync(command, args, { stdio: 'ignore', env: cleanEnv(env) });
    if (run >= 2) samples.push(performance.now() - start);
  }
  return samples;
}

/** A job whose run script is `lines` long, of the constructs real scripts use. */
function writeLongJob(root: string, lines: number): string {
  const folder = path.join(root, 'long');
  mkdirSync(folder);
  const body: string[] = ['set -euo pipefail'];
  for (let index = 0; body.length < lines; index++) {
    body.push(
      `STEP_${index}="step-${index}"`,
      `if [ -n "\${STEP_${index}}" ]; then`,
      `  echo "running $STEP_${index} at $(date +%s)" >> "$DLRUN_OUTPUT_DIR/log.txt"`,
      'fi',
      `for shard in a b c; do echo "$shard-${index}"; done`,
    );
  }
  writeFileSync(
    path.join(folder, 'job.yaml'),
    `name: long-script\nbackend: ec2\nrun: |\n${body
      .slice(0, lines)
      .map((line) => `  ${line}`)
      .join('\n')}\n`,
  );
  return path.join(folder, 'job.yaml');
}

await runWhenMain(import.meta.url, validateSpeed);
