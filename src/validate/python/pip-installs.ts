import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { MAX_SCRIPT_BYTES } from '../collect-scripts.js';
import { effectiveCommand } from '../command-words.js';
import type { ScriptInput } from '../script-input.js';
import type { SimpleCommand, Word } from '../shell/script-model.js';
import { normalise, type WorkdirView } from '../workdir-view.js';
import { normaliseExtra, pyprojectDependencies, type PyprojectDependencies } from './pyproject.js';
import { readRequirement, type RequirementText } from './requirement-line.js';
import { decodeRequirements, logicalLines, splitLine } from './requirements-file.js';

/** One thing a `pip install` installs or is constrained by, at the place it is written. */
export interface PipItem extends RequirementText {
  readonly text: string;
  /** Where it is written: the file findings name (relative to the job file's folder), line and column. */
  readonly file: string;
  readonly line: number;
  readonly column: number | null;
  readonly editable: boolean;
  /** From a constraints file (`-c`): it limits versions, installs nothing. */
  readonly constraint: boolean;
  /** The folder (relative to the workdir) relative paths start from; undefined when it cannot be told. */
  readonly directory: string | undefined;
  /** For an item of a requirements file, that file's folder (relative to the workdir). */
  readonly fileFolder?: string;
  /** For a dependency a project's pyproject.toml declares, the folder installed (`pip install .[train]`). */
  readonly fromProject?: string;
  readonly install: PipInstall;
}

/** One `pip install` (or `uv pip install`) command, with what its arguments and requirements files say. */
export interface PipInstall {
  readonly script: ScriptInput;
  readonly command: SimpleCommand;
  /** Its order among all the job's installs (setup's before run's, a script file's after its caller's). */
  readonly order: number;
  /** --index-url and --extra-index-url values, from the command and its files. */
  readonly indexes: string[];
  /** --find-links values. */
  readonly findLinks: string[];
  /** Where each index and find-links URL is written (the option on a pip line, the line of a file). */
  readonly indexPlaces?: {
    readonly url: string;
    readonly file: string;
    readonly line: number;
    readonly column: number | null;
  }[];
  /** An index or find-links given by a variable or a file dlrun cannot read: anything may be on it. */
  unseenIndex: boolean;
  noIndex: boolean;
  /** The command's flags (`--no-build-isolation`, `--user`, `--target` ...). */
  readonly flags: Set<string>;
  /** Run as `.venv/bin/pip` or `/opt/conda/bin/python -m pip`: a Python of the job's own choosing. */
  readonly byPath: boolean;
  /**
   * The `pip:` section of a conda environment file (`conda env create -f environment.yml`), relative to the workdir:
   * conda's pip installs it into the new environment (its own Python), from the file's folder.
   */
  readonly environmentFile?: string;
  readonly items: PipItem[];
}

/** An install as read so far: no index, option, flag or item yet. */
function newInstall(
  script: ScriptInput,
  command: SimpleCommand,
  order: number,
  where: Pick<PipInstall, 'byPath' | 'environmentFile'>,
): PipInstall {
  return {
    script,
    command,
    order,
    indexes: [],
    findLinks: [],
    indexPlaces: [],
    unseenIndex: false,
    noIndex: false,
    flags: new Set(),
    ...where,
    items: [],
  };
}

const PIP = /^pip(?:3(?:\.\d+)?)?$/;
const PYTHON = /^python(?:3(?:\.\d+)?)?$/;
/** pip's options that take a value, so that the value is not read as a requirement (or as a command's operand). */
export const PIP_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--trusted-host',
  '--cache-dir',
  '--progress-bar',
  '--log',
  '--src',
  '--upgrade-strategy',
  '--global-option',
  '-C',
  '--config-settings',
  '--report',
  '--root-user-action',
  '--proxy',
  '--timeout',
  '--retries',
  '--exists-action',
  '--cert',
  '--client-cert',
  '--python',
  '--only-binary',
  '--no-binary',
  '--use-feature',
  '--group',
  '--hash',
  '--index',
  '--default-index',
  '--index-strategy',
  '-p',
  '--constraints',
  '--overrides',
  '--extra',
  '--torch-backend',
  '--keyring-provider',
  '--resolution',
  '--prerelease',
  '--exclude-newer',
]);
const GLOBAL_VALUE_OPTIONS = new Set([
  '--cache-dir',
  '--log',
  '--proxy',
  '--timeout',
  '--retries',
  '--python',
  '--cert',
  '--client-cert',
  '--exists-action',
  '--trusted-host',
]);

const cache = new WeakMap<readonly ScriptInput[], PipInstall[]>();

/** Every `pip install` of the job's scripts, in order, with their requirements files read (nested ones too). */
export function pipInstalls(scripts: readonly ScriptInput[], workdir: WorkdirView, jobDir: string): PipInstall[] {
  const cached = cache.get(scripts);
  if (cached) return cached;
  const installs: PipInstall[] = [];
  for (const script of scripts) {
    let directory: string | undefined = script.directory;
    for (const command of script.parsed.commands) {
      const words = command.words.map((word) => word.literal);
      if (words[0] === 'cd' && !command.nested) {
        const target = words[1];
        directory =
          target === undefined || target.startsWith('/') || target.startsWith('~') || target === '-'
            ? undefined
            : directory === undefined
              ? undefined
              : normalise(path.posix.join(directory, target));
        continue;
      }
      const environment = environmentFileOf(command);
      if (environment !== undefined) {
        const install = readEnvironmentFile(command, script, installs.length, environment, directory, workdir, jobDir);
        if (install) installs.push(install);
        continue;
      }
      const start = pipArguments(command);
      if (!start) continue;
      const install = newInstall(script, command, installs.length, { byPath: start.byPath });
      readArguments(install, start.args, directory, workdir, jobDir);
      if (!install.flags.has('--no-deps')) readProjects(install, workdir, jobDir);
      installs.push(install);
    }
  }
  cache.set(scripts, installs);
  return installs;
}

/** The arguments after `install` of `pip install`, `python -m pip install`, `uv pip install`; else undefined. */
function pipArguments(command: SimpleCommand): { args: readonly Word[]; byPath: boolean } | undefined {
  const effective = effectiveCommand(command);
  if (!effective) return undefined;
  const base = path.posix.basename(effective.name);
  const byPath = effective.name.includes('/');
  const args = effective.args;
  const literal = (index: number) => args[index]?.literal;
  let index: number;
  if (PIP.test(base)) index = 0;
  else if (PYTHON.test(base) && literal(0) === '-m' && literal(1) === 'pip') index = 2;
  else if (base === 'uv' && literal(0) === 'pip') index = 1;
  else return undefined;
  while (literal(index)?.startsWith('-')) index += GLOBAL_VALUE_OPTIONS.has(literal(index)!) ? 2 : 1;
  if (literal(index) !== 'install') return undefined;
  return { args: args.slice(index + 1), byPath };
}

function readArguments(
  install: PipInstall,
  args: readonly Word[],
  directory: string | undefined,
  workdir: WorkdirView,
  jobDir: string,
): void {
  const { script } = install;
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    const value = word.literal;
    if (value === undefined) continue;
    if (value.startsWith('-') && value !== '-') {
      const equals = value.indexOf('=');
      const name = value.startsWith('--') && equals > 0 ? value.slice(0, equals) : value;
      let optionValue: Word | undefined;
      let text: string | undefined;
      if (value.startsWith('--') && equals > 0) text = value.slice(equals + 1);
      else if (PIP_VALUE_OPTIONS.has(name)) {
        optionValue = args[index + 1];
        text = optionValue?.literal;
        index += 1;
        if (optionValue && text === undefined) {
          if (isIndexOption(name)) install.unseenIndex = true;
          continue;
        }
      }
      install.flags.add(name);
      const place = script.place((optionValue ?? word).position);
      const at = { file: script.file, line: place.line, column: place.column };
      if (text !== undefined && isIndexOption(name)) {
        const option = script.place(word.position);
        install.indexPlaces?.push({ url: text, file: script.file, line: option.line, column: option.column });
      }
      applyOption(install, name, text, at, { files: directory, cwd: directory }, workdir, jobDir, false, 0);
      continue;
    }
    const place = script.place(word.position);
    install.items.push(
      item(install, value, { file: script.file, line: place.line, column: place.column }, directory, false, false),
    );
  }
}

function isIndexOption(name: string): boolean {
  return ['-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--index', '--default-index'].includes(name);
}

/**
 * Where relative paths start: a nested `-r`/`-c` file from the folder of the file naming it, anything else
 * (`-e ./pkg`, `./dist/x.whl`) from the folder pip runs in.
 */
interface Folders {
  readonly files: string | undefined;
  readonly cwd: string | undefined;
}

interface Place {
  readonly file: string;
  readonly line: number;
  readonly column: number | null;
}

function applyOption(
  install: PipInstall,
  name: string,
  value: string | undefined,
  place: Place,
  folders: Folders,
  workdir: WorkdirView,
  jobDir: string,
  constraint: boolean,
  depth: number,
): void {
  if (value === undefined) {
    if (name === '--no-index') install.noIndex = true;
    return;
  }
  if (depth > 0 && isIndexOption(name)) install.indexPlaces?.push({ url: value, ...place });
  // uv's --torch-backend picks PyTorch's index for the machine's CUDA itself.
  if ((/\$/.test(value) && isIndexOption(name)) || name === '--torch-backend') install.unseenIndex = true;
  else if (['-i', '--index-url', '--extra-index-url', '--index', '--default-index'].includes(name))
    install.indexes.push(value);
  else if (name === '-f' || name === '--find-links') install.findLinks.push(value);
  else if (name === '-e' || name === '--editable')
    install.items.push(item(install, value, place, folders.cwd, true, constraint));
  else if (['-r', '--requirement', '-c', '--constraint', '--constraints'].includes(name))
    readFile(
      install,
      value,
      folders,
      workdir,
      jobDir,
      constraint || name.startsWith('-c') || name.startsWith('--constraint'),
      depth,
    );
}

function item(
  install: PipInstall,
  text: string,
  place: Place,
  directory: string | undefined,
  editable: boolean,
  constraint: boolean,
): PipItem {
  return { ...readRequirement(text), text, ...place, editable, constraint, directory, install };
}

/** A requirements or constraints file, read as pip reads it; files it names are read relative to it. */
function readFile(
  install: PipInstall,
  file: string,
  folders: Folders,
  workdir: WorkdirView,
  jobDir: string,
  constraint: boolean,
  depth: number,
): void {
  const directory = folders.files;
  if (
    depth > 10 ||
    directory === undefined ||
    /^[a-z+]+:\/\//i.test(file) ||
    file.startsWith('/') ||
    file.includes('$')
  )
    return;
  const relative = normalise(path.posix.join(directory, file));
  if (relative === undefined) return;
  // A file that is missing or not a regular file is missing-input's finding, or noted once by the validator.
  const read = workdir.read(relative, { maxBytes: MAX_SCRIPT_BYTES });
  if (
    !read.ok ||
    (read.bytes.includes(0) && !/^(\xff\xfe|\xfe\xff)/.test(read.bytes.subarray(0, 2).toString('latin1')))
  )
    return;
  const shown = path.relative(jobDir, workdir.absolute(relative)!);
  const folder = path.posix.dirname(relative) === '.' ? '' : path.posix.dirname(relative);
  for (const line of logicalLines(decodeRequirements(read.bytes))) {
    const place = { file: shown, line: line.line, column: line.column };
    const inFile = { files: folder, cwd: folders.cwd };
    const split = splitLine(line.text);
    for (const option of split.options) {
      install.flags.add(option.name);
      applyOption(install, option.name, option.value, place, inFile, workdir, jobDir, constraint, depth + 1);
    }
    if (split.requirement !== '')
      install.items.push({
        ...item(install, split.requirement, place, folders.cwd, false, constraint),
        fileFolder: folder,
      });
  }
}

/** A local folder install (`.`, `-e .[train]`, `./pkg`): pip installs what its pyproject.toml declares, too. */
function readProjects(install: PipInstall, workdir: WorkdirView, jobDir: string): void {
  for (const project of [...install.items]) {
    if (project.kind !== 'path' || project.constraint || project.directory === undefined) continue;
    const written = project.path!.replace(/^file:/, '');
    const extras = /\[([^\]]*)\]$/.exec(written)?.[1];
    const folderText = written.replace(/\[[^\]]*\]$/, '');
    if (/\.(whl|zip|gz|tgz|bz2|xz|tar)$/i.test(folderText) || folderText.startsWith('/') || folderText.includes('$'))
      continue;
    const folder = normalise(path.posix.join(project.directory, folderText));
    if (folder === undefined || !workdir.isFolder(folder)) continue;
    const file = folder === '' ? 'pyproject.toml' : `${folder}/pyproject.toml`;
    if (workdir.state(file) !== 'shipped') continue;
    const read = workdir.read(file, { maxBytes: MAX_SCRIPT_BYTES });
    if (!read.ok || read.bytes.includes(0)) continue;
    const declared = pyprojectDependencies(read.bytes.toString('utf8'));
    if (!declared) continue;
    const shown = path.relative(jobDir, workdir.absolute(file)!);
    for (const entry of projectEntries(declared, extras)) {
      const place = { file: shown, line: entry.line, column: entry.column };
      install.items.push({
        ...item(install, entry.text, place, project.directory, false, false),
        fileFolder: folder,
        fromProject: folder,
      });
    }
  }
}

/** The dependencies and those of the extras asked for, following `pkg[all]`-style extras of the project itself. */
function projectEntries(declared: PyprojectDependencies, extras: string | undefined) {
  const wanted = (extras ?? '')
    .split(',')
    .map((extra) => normaliseExtra(extra.trim()))
    .filter(Boolean);
  const entries = [...(declared.dependencies ?? [])];
  const done = new Set<string>();
  while (wanted.length) {
    const extra = wanted.shift()!;
    if (done.has(extra)) continue;
    done.add(extra);
    for (const entry of declared.optional.get(extra) ?? []) {
      const own = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*\[([^\]]*)\]/.exec(entry.text);
      if (own && declared.name !== undefined && normaliseExtra(own[1]!) === declared.name)
        wanted.push(...own[2]!.split(',').map((name) => normaliseExtra(name.trim())));
      else entries.push(entry);
    }
  }
  return entries;
}

/** `conda env create -f F`, `mamba env update --file=F`, `micromamba create -f F.yml`: the environment file given. */
function environmentFileOf(command: SimpleCommand): string | undefined {
  const effective = effectiveCommand(command);
  if (!effective) return undefined;
  const tool = path.posix.basename(effective.name);
  if (!/^(conda|mamba|micromamba)$/.test(tool)) return undefined;
  const args = effective.args.map((arg) => arg.literal);
  let rest: (string | undefined)[];
  let envCommand = false;
  if (args[0] === 'env' && (args[1] === 'create' || args[1] === 'update')) {
    rest = args.slice(2);
    envCommand = true;
  } else if (['create', 'install', 'update'].includes(args[0] ?? '')) rest = args.slice(1);
  else return undefined;
  for (let index = 0; index < rest.length; index++) {
    const value = rest[index];
    if (value === undefined) continue;
    const file =
      value === '-f' || value === '--file'
        ? rest[index + 1]
        : value.startsWith('--file=')
          ? value.slice('--file='.length)
          : undefined;
    if (file === undefined && (value === '-f' || value === '--file')) return undefined;
    if (file !== undefined) return /\.ya?ml$/i.test(file) && !file.includes('$') ? file : undefined;
  }
  // `conda env create` alone reads environment.yml of the folder it runs in.
  return envCommand && tool !== 'micromamba' ? 'environment.yml' : undefined;
}

/**
 * The `pip:` entries of a conda environment file: conda writes them to a requirements file next to the environment
 * file and runs `pip install -r` on it from that folder, so they are requirements-file lines (options included:
 * `-r file` and `-e .` from the environment file's folder, `--extra-index-url` for every entry).
 */
function readEnvironmentFile(
  command: SimpleCommand,
  script: ScriptInput,
  order: number,
  file: string,
  directory: string | undefined,
  workdir: WorkdirView,
  jobDir: string,
): PipInstall | undefined {
  if (directory === undefined || file.startsWith('/')) return undefined;
  const relative = normalise(path.posix.join(directory, file));
  if (relative === undefined) return undefined;
  const read = workdir.read(relative, { maxBytes: MAX_SCRIPT_BYTES });
  if (!read.ok || read.bytes.includes(0)) return undefined;
  const lineCounter = new LineCounter();
  const document = parseDocument(read.bytes.toString('utf8'), { lineCounter });
  if (document.errors.length) return undefined;
  const dependencies = document.get('dependencies');
  if (!isSeq(dependencies)) return undefined;
  const install = newInstall(script, command, order, { byPath: true, environmentFile: relative });
  const shown = path.relative(jobDir, workdir.absolute(relative)!);
  const folder = path.posix.dirname(relative) === '.' ? '' : path.posix.dirname(relative);
  const inFile = { files: folder, cwd: folder };
  for (const entry of dependencies.items) {
    if (!isMap(entry)) continue;
    const pip = entry.get('pip', true);
    if (!isSeq(pip)) continue;
    for (const node of pip.items) {
      if (!isScalar(node) || node.value === null || node.value === undefined) continue;
      const text = String(node.value).trim();
      const start = lineCounter.linePos(node.range?.[0] ?? 0);
      const place = { file: shown, line: start.line, column: start.col };
      const split = splitLine(text);
      for (const option of split.options) {
        install.flags.add(option.name);
        applyOption(install, option.name, option.value, place, inFile, workdir, jobDir, false, 1);
      }
      if (split.requirement !== '')
        install.items.push({ ...item(install, split.requirement, place, folder, false, false), fileFolder: folder });
    }
  }
  if (!install.flags.has('--no-deps')) readProjects(install, workdir, jobDir);
  return install;
}
