import type { Finding } from '../../base/finding.js';
import {
  LAUNCHER_VARIABLES,
  PREBUILT_IMAGES,
  SET_BY_OTHERS,
  SYSTEM_VARIABLES,
} from '../catalogs/launcher-variables.js';
import { BASH_VARIABLES, DLRUN_VARIABLES } from '../catalogs/provided-variables.js';
import { backendValidation, runsHere, type Rule, type ValidationContext } from '../rule.js';
import { setsUnknownVariables, variablesSet } from '../script-variables.js';
import type { SimpleCommand } from '../shell/script-model.js';
import { effectiveCommand } from '../command-words.js';

/**
 * An environment variable the entry script reads without a default (`os.environ["X"]`, or `os.getenv("X")` used at
 * once as a value) in code that runs on every start, which nothing gives the job: not env:, secrets:, the scripts,
 * dlrun (DLRUN_*, TF_CONFIG), the backend, nor the launcher that starts it (torchrun sets RANK, LOCAL_RANK ...). The
 * script then dies with KeyError after the machine is up. Silent when a script loads variables dlrun cannot see
 * (`source .env`, `eval`, python-dotenv, `os.environ.update`).
 */
export const pythonEnvironment: Rule = {
  id: 'python-environment',
  summary: 'an environment variable the Python script needs that the job never sets',
  check(context) {
    if (context.python.length === 0 || ownImage(context)) return [];
    if (context.scripts.some((script) => script.parsed.commands.some((command) => loadsUnknown(context, command))))
      return [];
    const given = provided(context);
    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const program of context.python) {
      const env = program.facts?.env;
      if (!env || env.unknown) continue;
      const launched = program.launcher !== 'python';
      for (const read of env.reads) {
        const name = read.name;
        if (given.has(name) || SET_BY_OTHERS.some((prefix) => name.startsWith(prefix))) continue;
        const fromLauncher = (LAUNCHER_VARIABLES as readonly string[]).includes(name);
        // A multi-node runtime may set RANK, WORLD_SIZE and MASTER_ADDR itself for the processes it starts.
        if (fromLauncher && (launched || context.job.resources.nodes > 1)) continue;
        const key = `${program.file}:${read.line}:${name}`;
        if (reported.has(key)) continue;
        reported.add(key);
        findings.push({
          rule: 'python-environment',
          severity: 'error',
          file: program.file,
          line: read.line,
          column: read.column,
          message: fromLauncher
            ? `${program.path} reads ${name} without a default, which torchrun, accelerate launch and deepspeed ` +
              `set, but the job starts it with plain ${program.launcher}: it stops with KeyError: '${name}'`
            : `${program.path} reads ${name} without a default, and the job never sets it: ` +
              `it stops with KeyError: '${name}' (or fails on None) after the machine is up`,
          hint: fromLauncher
            ? `start it with torchrun --nproc_per_node "$DLRUN_GPUS_PER_NODE" ${program.path}, or give a default`
            : `set it under env: in job.yaml, list it under secrets: if it is a key or token, ` +
              `or read it with os.environ.get("${name}", default)`,
        });
      }
    }
    return findings;
  },
};

/** `eval`, `export $(cat .env)`, or a sourced file that was not followed (kept home, outside the workdir). */
function loadsUnknown(context: ValidationContext, command: SimpleCommand): boolean {
  if (setsUnknownVariables(command)) return true;
  const name = effectiveCommand(command)?.name;
  if (name !== 'source' && name !== '.') return false;
  // A virtualenv's or conda's activation script sets only their own variables.
  const file = effectiveCommand(command)?.args[0]?.literal ?? '';
  if (/(^|\/)activate$|\/conda\.sh$|\/mamba\.sh$/.test(file) || (!file.includes('/') && file === 'activate'))
    return false;
  const followed = new Set(context.scripts.flatMap((script) => (script.calledBy ? [script.calledBy.path] : [])));
  return !context.calls.some((call) => call.command === command && followed.has(call.path));
}

/** A machine or container image of the user's own (its ENV may set what the code reads). */
function ownImage(context: ValidationContext): boolean {
  return Object.values(context.job.backends ?? {}).some((block) =>
    Object.entries(block ?? {}).some(
      ([key, value]) =>
        /(^|_)image$/.test(key) && typeof value === 'string' && !PREBUILT_IMAGES.some((image) => image.test(value)),
    ),
  );
}

/** `env NAME=value python train.py`: variables the env command sets for the program it starts. */
function envWrapperNames(context: ValidationContext): string[] {
  return context.scripts.flatMap((script) =>
    script.parsed.commands.flatMap((command) =>
      command.words.some((word) => word.literal === 'env')
        ? command.words.flatMap((word) => /^([A-Za-z_]\w*)=/.exec(word.literal ?? word.raw)?.[1] ?? [])
        : [],
    ),
  );
}

function provided(context: ValidationContext): Set<string> {
  const here =
    context.targets.length === 1 && runsHere(context, context.targets[0]!) ? [...context.machine.environment] : [];
  return new Set([
    ...BASH_VARIABLES,
    ...DLRUN_VARIABLES,
    ...SYSTEM_VARIABLES,
    'TF_CONFIG',
    ...Object.keys(context.job.env ?? {}),
    ...(context.job.secrets ?? []),
    ...context.targets.flatMap((target) => backendValidation(context, target).providedVariables),
    ...variablesSet(context.scripts),
    ...envWrapperNames(context),
    ...here,
  ]);
}
