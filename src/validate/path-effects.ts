import path from 'node:path';
import { effectiveCommand, operands } from './command-words.js';
import type { SimpleCommand, Word } from './shell/script-model.js';

/** What a command does to the file tree, as far as the validator can tell from its words. */
export interface PathEffects {
  /**
   * Paths (as written) it creates or fills: redirect targets, mkdir, touch, cp/mv targets, clones, downloads, venvs.
   */
  readonly creates: readonly string[];
  /** It unpacks or copies in files whose names cannot be known from the command (tar -x, unzip, gsutil cp -r ...). */
  readonly createsUnknown: boolean;
}

const DOWNLOADERS = new Set(['wget', 'curl']);
const UNPACKERS = new Set([
  'tar',
  'unzip',
  'gunzip',
  'bunzip2',
  'unxz',
  '7z',
  '7za',
  'gsutil',
  'aws',
  'rclone',
  'huggingface-cli',
  'hf',
  'kaggle',
  'gdown',
  'dvc',
  'git-lfs',
  'rsync',
  'scp',
  'make',
  'cmake',
]);

/** What `command` creates, judged from its words. */
export function pathEffects(command: SimpleCommand): PathEffects {
  const creates: string[] = [];
  for (const redirect of command.redirects) {
    if (/^(\d*>|>>|>\||&>|&>>|\d*>>)$/.test(redirect.operator) && redirect.target?.literal)
      creates.push(redirect.target.literal);
  }
  const effective = effectiveCommand(command);
  if (!effective) return { creates, createsUnknown: false };
  const { name, args } = effective;
  const values = (words: readonly Word[]): string[] =>
    words.map((word) => word.literal).filter((value): value is string => value !== undefined);
  const option = (...flags: string[]): string | undefined => {
    for (let index = 0; index < args.length; index++) {
      const value = args[index]!.literal ?? '';
      for (const flag of flags) {
        if (value === flag) return args[index + 1]?.literal;
        if (flag.startsWith('--') && value.startsWith(`${flag}=`)) return value.slice(flag.length + 1);
      }
    }
    return undefined;
  };
  switch (/^python3\.\d+$/.test(name) ? 'python3' : name) {
    case 'mkdir':
    case 'touch':
    case 'tee':
      creates.push(...values(operands(args, name === 'mkdir' ? ['-m', '--mode'] : [])));
      break;
    case 'cp':
    case 'mv':
    case 'ln':
    case 'install':
    case 'rsync': {
      const target = option('-t', '--target-directory');
      const files = values(operands(args, ['-t', '--target-directory', '-m', '-o', '-g', '-e']));
      if (target) creates.push(target, ...files.map((file) => path.posix.join(target, path.posix.basename(file))));
      else if (files.length >= 2) {
        const destination = files.at(-1)!;
        creates.push(
          destination,
          ...files.slice(0, -1).map((file) => path.posix.join(destination, path.posix.basename(file))),
        );
      } else if (name === 'install' && files.length) creates.push(...files);
      break;
    }
    case 'git': {
      const [subcommand, ...rest] = values(
        operands(args, [
          '-C',
          '-c',
          '-b',
          '--branch',
          '--depth',
          '-o',
          '--origin',
          '--reference',
          '--config',
          '--filter',
          '--jobs',
          '-j',
        ]),
      );
      // A clone's unknown files are all inside the folder it makes, which counts as created.
      if (subcommand === 'clone' && rest[0])
        return {
          creates: [...creates, rest[1] ?? path.posix.basename(rest[0]).replace(/\.git$/, '')],
          createsUnknown: false,
        };
      if (
        subcommand === 'clone' ||
        subcommand === 'pull' ||
        subcommand === 'checkout' ||
        subcommand === 'lfs' ||
        subcommand === 'submodule'
      )
        return { creates, createsUnknown: true };
      break;
    }
    case 'python':
    case 'python3': {
      // `python3 -m venv .venv`, `python -m virtualenv env`.
      const all = values(args);
      const venv = all.findIndex((arg, index) => (arg === 'venv' || arg === 'virtualenv') && all[index - 1] === '-m');
      if (venv !== -1) creates.push(...all.slice(venv + 1).filter((arg) => !arg.startsWith('-')));
      break;
    }
    case 'tar':
      // `tar -xj bin/micromamba`: the members it names (what else it unpacks stays unknown).
      creates.push(...values(operands(args, ['-C', '--directory', '-f', '--file'])));
      break;
    case 'virtualenv':
      creates.push(...values(operands(args, ['-p', '--python'])));
      break;
    case 'uv': {
      // `uv venv [PATH]` makes PATH, .venv when not given.
      const [subcommand, folder] = values(operands(args, ['-p', '--python', '--prompt', '--index-url', '--seed']));
      if (subcommand === 'venv') creates.push(folder ?? '.venv');
      break;
    }
    case 'conda':
    case 'mamba': {
      const prefix = option('-p', '--prefix');
      if (prefix) creates.push(prefix);
      break;
    }
  }
  if (DOWNLOADERS.has(name)) {
    const output = option('-O', '-o', '--output', '--output-document');
    const folder = option('-P', '--directory-prefix', '--output-dir');
    const urls = values(
      operands(args, [
        '-O',
        '-o',
        '--output',
        '--output-document',
        '-P',
        '--directory-prefix',
        '--output-dir',
        '-H',
        '--header',
        '-d',
        '--data',
        '-X',
        '-u',
        '--user',
        '-A',
        '-e',
        '--retry',
        '-m',
        '--max-time',
        '-w',
        '-T',
        '--tries',
        '--timeout',
      ]),
    ).filter((value) => value.includes('://'));
    if (output && output !== '-') creates.push(folder ? path.posix.join(folder, output) : output);
    if (folder) creates.push(folder);
    const namesFromUrl =
      name === 'wget'
        ? !output
        : args.some(
            (arg) => arg.literal === '-O' || arg.literal === '--remote-name' || arg.literal === '--remote-name-all',
          );
    if (namesFromUrl)
      for (const url of urls)
        creates.push(path.posix.join(folder ?? '', path.posix.basename(url.split(/[?#]/)[0] ?? url)));
  }
  return { creates, createsUnknown: UNPACKERS.has(name) && name !== 'git' };
}
