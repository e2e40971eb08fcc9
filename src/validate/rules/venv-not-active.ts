import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import { isLookup } from '../work-commands.js';
import type { ScriptInput, ScriptOrigin } from '../script-input.js';
import type { SimpleCommand } from '../shell/script-model.js';

/** Commands that run from whatever environment is active: bare, they are the system's. */
const ENVIRONMENT_COMMANDS = new Set(['python', 'python3', 'pip', 'pip3', 'torchrun', 'accelerate', 'deepspeed']);

/**
 * setup activates a virtualenv and installs into it, run then calls `python` without activating it: setup and run
 * are separate shells, so run gets the system's Python, without the packages (ModuleNotFoundError after the machine
 * started and setup was billed). Anything in run that chooses an environment (an activate script, `conda
 * activate`, a PATH or VIRTUAL_ENV of its own, `.venv/bin/python`, `uv run`) leaves it alone.
 */
export const venvNotActive: Rule = {
  id: 'venv-not-active',
  summary: 'setup installs into a virtualenv it activates, and run calls python without activating it',
  check({ scripts, job }) {
    // An environment chosen for every shell of the job (`env: PATH: ...`, BASH_ENV) reaches run too.
    if (['PATH', 'VIRTUAL_ENV', 'BASH_ENV'].some((name) => job.env?.[name] !== undefined)) return [];
    const setup = scripts.filter((script) => rootOrigin(script) === 'setup');
    const run = scripts.filter((script) => rootOrigin(script) === 'run');
    // Only a virtualenv setup makes itself: `source /opt/conda/bin/activate` on an image whose PATH already has it
    // changes nothing run needs.
    const made = new Set(setup.flatMap(createdVenvs));
    const venv = setup
      .map(activatedThenInstalled)
      .find((found) => found !== undefined && made.has(found.replace(/^\.\//, '')));
    if (!venv || run.some(choosesEnvironment)) return [];
    for (const script of run) {
      for (const command of script.parsed.commands) {
        const effective = effectiveCommand(command);
        if (!effective || !ENVIRONMENT_COMMANDS.has(effective.name) || isLookup(command)) continue;
        const finding: Finding = scriptFinding(script, effective.nameWord.position, {
          rule: 'venv-not-active',
          severity: 'error',
          message:
            `setup installs into the virtualenv ${venv} it activates, but run is a new shell: ` +
            `'${effective.name}' here is the system's, without those packages`,
          hint: `start run with 'source ${venv}/bin/activate', or call ${venv}/bin/${effective.name}`,
        });
        return [finding];
      }
    }
    return [];
  },
};

/** Whether a script belongs to setup or run, following script files up to the inline script that runs them. */
function rootOrigin(script: ScriptInput): ScriptOrigin {
  let current: ScriptInput = script;
  for (let depth = 0; current.calledBy && depth < 50; depth++) current = current.calledBy.caller;
  return current.origin;
}

/** The folder of a virtualenv a script activates in its own shell and then installs packages into. */
function activatedThenInstalled(script: ScriptInput): string | undefined {
  // A script run with `bash` has a shell of its own: its activation ends with it.
  if (script.calledBy && script.calledBy.how !== 'source') return undefined;
  let venv: string | undefined;
  for (const command of script.parsed.commands) {
    const activated = activation(command);
    if (activated && !command.nested) venv = activated;
    const effective = effectiveCommand(command);
    const installs =
      effective !== undefined &&
      (((effective.name === 'pip' || effective.name === 'pip3') && effective.args[0]?.literal === 'install') ||
        (/^python3?$/.test(effective.name) &&
          effective.args
            .slice(0, 3)
            .map((arg) => arg.literal)
            .join(' ') === '-m pip install'));
    if (venv && installs && !effective.wrappers.includes('sudo')) return venv;
  }
  return undefined;
}

/** Folders a script makes virtualenvs in: `python -m venv X`, `virtualenv X`, `uv venv X` (default .venv). */
function createdVenvs(script: ScriptInput): string[] {
  return script.parsed.commands.flatMap((command) => {
    const effective = effectiveCommand(command);
    if (!effective) return [];
    const values = effective.args.map((arg) => arg.literal ?? '');
    const folders = (from: number): string[] =>
      values
        .slice(from)
        .filter((value) => value !== '' && !value.startsWith('-'))
        .map((value) => value.replace(/^\.\//, '').replace(/\/$/, ''));
    if (/^python(3(\.\d+)?)?$/.test(effective.name) && values[0] === '-m' && values[1] === 'venv') return folders(2);
    if (effective.name === 'virtualenv') return folders(0);
    if (effective.name === 'uv' && values[0] === 'venv') return folders(1).length ? folders(1) : ['.venv'];
    return [];
  });
}

/** `source X/bin/activate` or `. X/bin/activate`: the folder X. */
function activation(command: SimpleCommand): string | undefined {
  const [name, file] = command.words;
  if (name?.literal !== 'source' && name?.literal !== '.') return undefined;
  return /^(.+)\/bin\/activate$/.exec(file?.literal ?? '')?.[1];
}

/** Anything in a script that picks an environment for the commands after it. */
function choosesEnvironment(script: ScriptInput): boolean {
  return script.parsed.commands.some((command) => {
    if (command.words[0]?.literal === 'source' || command.words[0]?.literal === '.') return true;
    if (command.assignments.some((assignment) => ['PATH', 'VIRTUAL_ENV', 'PYTHONPATH'].includes(assignment.name)))
      return true;
    const raw = command.words.map((word) => word.raw).join(' ');
    if (/\b(PATH|VIRTUAL_ENV|CONDA_PREFIX)=/.test(raw)) return true;
    const effective = effectiveCommand(command);
    if (!effective) return false;
    if (/\/bin\/(python3?|pip3?|torchrun|accelerate|deepspeed)$/.test(effective.name)) return true;
    if (['conda', 'mamba', 'micromamba', 'uv', 'poetry', 'pipenv', 'pixi', 'hatch', 'pdm'].includes(effective.name))
      return true;
    return false;
  });
}
