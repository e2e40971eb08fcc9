import type { Finding } from '../../base/finding.js';
import { effectiveCommand, operands, type EffectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import { isLookup } from '../work-commands.js';

/**
 * Commands that never end on their own: servers and followers meant for a terminal (TensorBoard, Jupyter, MLflow's
 * UI, `python -m http.server`, `tail -f`, `sleep infinity`). Run in the foreground of setup or run, the job sits
 * there, billing, until max_runtime stops it, and it is then recorded as timed out. Started with `&` (and stopped
 * later), under `timeout`, or with its output piped into a command that ends (`tail -f log | grep -m1 ready`) they
 * are fine; inside a condition, loop or function they may not run, so they are left alone.
 */
export const neverEnds: Rule = {
  id: 'never-ends',
  summary: 'a server or follower (tensorboard, jupyter, tail -f) in the foreground: the job never ends on its own',
  check({ scripts }) {
    const findings: Finding[] = [];
    for (const script of scripts) {
      for (const command of script.parsed.commands) {
        if (command.background || command.nested || command.pipesInto || isLookup(command)) continue;
        const effective = effectiveCommand(command);
        if (!effective || effective.wrappers.some((wrapper) => wrapper === 'timeout' || wrapper === 'setsid')) continue;
        const what = endless(effective);
        if (!what) continue;
        findings.push(
          scriptFinding(script, effective.nameWord.position, {
            rule: 'never-ends',
            severity: 'error',
            message: `${what} never ends on its own: the job would wait here, billing, until max_runtime stops it`,
            hint: 'start it in the background with & (and stop it with kill when training is done), or leave it out',
          }),
        );
      }
    }
    return findings;
  },
};

const JUPYTER_TASKS = new Set([
  'build',
  'list',
  'stop',
  'password',
  'clean',
  'extension',
  'labextension',
  'paths',
  'path',
  'workspaces',
  'check',
  'enable',
  'disable',
  'install',
  'uninstall',
]);

const SERVER_MODULES: Readonly<Record<string, string>> = {
  'http.server': "'python -m http.server'",
  'tensorboard.main': 'TensorBoard',
  tensorboard: 'TensorBoard',
  notebook: 'a Jupyter server',
  jupyterlab: 'a Jupyter server',
};

/** What the command is, when it is one that never ends (a help or version request ends at once). */
function endless(command: EffectiveCommand): string | undefined {
  const values = command.args.map((arg) => arg.literal ?? arg.raw);
  if (values.some((value) => ['-h', '--help', '--version', '-V', '--helpfull'].includes(value))) return undefined;
  const first = operands(command.args)[0]?.literal;
  switch (command.name) {
    case 'tensorboard':
      // `tensorboard dev upload` ends when uploaded; `--inspect` prints what a log holds.
      return first === 'dev' || values.some((value) => value.startsWith('--inspect')) ? undefined : 'TensorBoard';
    case 'jupyter': {
      // `jupyter lab build`, `jupyter notebook list` and the like do their work and end.
      const second = operands(command.args)[1]?.literal;
      if (second && JUPYTER_TASKS.has(second)) return undefined;
      return first && ['notebook', 'lab', 'server'].includes(first) ? `'jupyter ${first}'` : undefined;
    }
    case 'jupyter-lab':
    case 'jupyter-notebook':
      return `'${command.name}'`;
    case 'mlflow':
      return first === 'ui' || first === 'server' ? `'mlflow ${first}'` : undefined;
    case 'tail':
      // `tail -f --pid=PID log` ends with that process.
      if (values.some((value) => value.startsWith('--pid'))) return undefined;
      return values.some((value) => /^-[a-zA-Z]*[fF]/.test(value) || value.startsWith('--follow'))
        ? `'tail -f'`
        : undefined;
    case 'sleep':
      return values.includes('infinity') || values.includes('inf') ? "'sleep infinity'" : undefined;
    case 'python':
    case 'python3': {
      // `-m` among the interpreter's own options, before the script or module runs (its arguments come after).
      for (const [index, value] of values.entries()) {
        if (value === '-m') {
          const module = values[index + 1] ?? '';
          return Object.hasOwn(SERVER_MODULES, module) ? SERVER_MODULES[module] : undefined;
        }
        if (!value.startsWith('-')) return undefined;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
