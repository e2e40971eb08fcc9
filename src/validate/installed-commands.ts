import path from 'node:path';
import { PACKAGE_COMMANDS } from './catalogs/console-scripts.js';
import { MAX_SCRIPT_BYTES } from './collect-scripts.js';
import { effectiveCommand, literals, operands } from './command-words.js';
import type { ScriptInput } from './script-input.js';
import { PIP_VALUE_OPTIONS } from './python/pip-installs.js';
import { normalise, type WorkdirView } from './workdir-view.js';

/** Package managers and how their install commands are spelled. */
const INSTALLERS: Readonly<Record<string, { subcommands: readonly string[]; optionsWithValue: readonly string[] }>> = {
  // pip's own table, shared with the requirements reader.
  pip: { subcommands: ['install'], optionsWithValue: [...PIP_VALUE_OPTIONS] },
  conda: {
    subcommands: ['install', 'create'],
    optionsWithValue: ['-c', '--channel', '-n', '--name', '-p', '--prefix', '--file', '--override-channels'],
  },
  apt: { subcommands: ['install'], optionsWithValue: ['-o', '-t', '--target-release'] },
  npm: { subcommands: ['install', 'i'], optionsWithValue: ['--prefix'] },
  cargo: { subcommands: ['install'], optionsWithValue: ['--version', '--git', '--root'] },
  gem: { subcommands: ['install'], optionsWithValue: ['-v', '--version'] },
  pipx: { subcommands: ['install'], optionsWithValue: [] },
  uv: { subcommands: ['pip'], optionsWithValue: [] },
};
const ALIASES: Readonly<Record<string, string>> = {
  pip3: 'pip',
  mamba: 'conda',
  micromamba: 'conda',
  'apt-get': 'apt',
  yum: 'apt',
  dnf: 'apt',
  apk: 'apt',
};

/**
 * Commands a job makes for itself: the packages it installs (pip, conda, apt, npm ... and the requirements files
 * it installs from), with their console scripts, the functions and aliases it defines, and files in the workdir.
 */
export function installedCommands(scripts: readonly ScriptInput[], workdir: WorkdirView): Set<string> {
  const installed = new Set<string>();
  const add = (packageSpec: string): void => {
    const name = packageName(packageSpec);
    if (!name) return;
    installed.add(name);
    for (const command of PACKAGE_COMMANDS[name] ?? []) installed.add(command);
  };
  for (const script of scripts) {
    for (const fn of script.parsed.functions) installed.add(fn.name);
    for (const command of script.parsed.commands) {
      const effective = effectiveCommand(command);
      if (!effective) continue;
      const args = literals(effective.args);
      if (effective.name === 'alias')
        for (const definition of args) if (definition?.includes('=')) installed.add(definition.split('=')[0]!);
      const install = installArguments(effective.name, args);
      if (!install) continue;
      const spec = INSTALLERS[install.manager]!;
      for (const word of operands(effective.args.slice(install.skip), spec.optionsWithValue))
        if (word.literal) add(word.literal);
      for (const file of requirementFiles(args)) {
        const relative = normalise(path.posix.join(script.directory, file));
        if (relative === undefined) continue;
        // A requirements file that is not there is the missing-input rule's finding; one that is not a regular
        // file is noted once by the validator.
        const read = workdir.read(relative, { maxBytes: MAX_SCRIPT_BYTES });
        if (!read.ok) continue;
        for (const line of read.bytes.toString('utf8').split('\n'))
          if (/^[A-Za-z0-9]/.test(line.trim())) add(line.trim());
      }
    }
  }
  return installed;
}

/** `pip install ...`, `python -m pip install ...`, `apt-get install ...`: the manager and where its arguments start. */
function installArguments(
  name: string,
  args: readonly (string | undefined)[],
): { manager: string; skip: number } | undefined {
  if ((name === 'python' || name === 'python3') && args[0] === '-m' && args[1] === 'pip' && args[2] === 'install')
    return { manager: 'pip', skip: 3 };
  const manager = ALIASES[name] ?? name;
  const spec = INSTALLERS[manager];
  if (!spec) return undefined;
  const subcommandIndex = args.findIndex((arg) => arg !== undefined && !arg.startsWith('-'));
  const subcommand = args[subcommandIndex];
  if (manager === 'uv' && subcommand === 'pip' && args[subcommandIndex + 1] === 'install')
    return { manager: 'pip', skip: subcommandIndex + 2 };
  if (subcommand === undefined || !spec.subcommands.includes(subcommand)) return undefined;
  return { manager, skip: subcommandIndex + 1 };
}

function requirementFiles(args: readonly (string | undefined)[]): string[] {
  const files: string[] = [];
  args.forEach((arg, index) => {
    if ((arg === '-r' || arg === '--requirement' || arg === '--file') && args[index + 1]) files.push(args[index + 1]!);
    else if (arg?.startsWith('--requirement=')) files.push(arg.slice('--requirement='.length));
  });
  return files;
}

/** `torch==2.3.1` -> `torch`, `transformers[torch]>=4` -> `transformers`, `git+https://...` -> undefined. */
function packageName(spec: string): string | undefined {
  if (spec.includes('://') || spec.startsWith('.') || spec.startsWith('/')) return undefined;
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec.trim());
  return match?.[1]?.toLowerCase();
}
