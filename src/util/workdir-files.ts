import { lstatSync, readdirSync, type Dirent } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ignore, default as ignoreFactory } from 'ignore';
import { DlrunError } from '../base/errors.js';
import { compareNames } from './compare-names.js';
import { readRegularFile } from './read-regular-file.js';
import { sensitiveReason, type SensitivePath } from './sensitive-files.js';

/**
 * The gitignore matcher, loaded on first use: the adapters that import this module are loaded by `status` and
 * `logs` too, which never list a workdir and should not pay for the package. `require` keeps listWorkdir synchronous.
 */
let loadedIgnore: typeof ignoreFactory | undefined;
function ignore(): Ignore {
  loadedIgnore ??= createRequire(import.meta.url)('ignore') as typeof ignoreFactory;
  return loadedIgnore();
}

/** One file (or symbolic link) that goes to the machine. */
export interface ShippedFile {
  /** Path relative to the workdir, with '/' separators. */
  readonly path: string;
  readonly bytes: number;
  readonly symlink: boolean;
}

/** What of the workdir is shipped, and what stays home. */
export interface WorkdirManifest {
  readonly root: string;
  readonly files: readonly ShippedFile[];
  readonly bytes: number;
  /** The rules used: `.dlrunignore` if present, else `.gitignore`, else none. */
  readonly ignoreFile: '.dlrunignore' | '.gitignore' | null;
  /**
   * The topmost paths the ignore file (or the fixed rules: `.git/`) leaves out; a folder is listed once,
   * with its '/'.
   */
  readonly leftOut: readonly string[];
  /** Sensitive files and folders (sensitive-files.ts) kept home because `.dlrunignore` does not re-include them. */
  readonly keptHome: readonly SensitivePath[];
  /** Sensitive files and folders shipped because a `!pattern` line of `.dlrunignore` re-includes them. */
  readonly reincluded: readonly ReincludedPath[];
  /**
   * What is neither a file, a folder nor a link (a FIFO, a socket, a device): never shipped, since reading one may
   * never end.
   */
  readonly notShipped: readonly SpecialFile[];
}

/** A sensitive path that `.dlrunignore` ships on purpose, and the line of the rule that does it. */
export interface ReincludedPath extends SensitivePath {
  /** 1-based line of the `!pattern` rule in `.dlrunignore`. */
  readonly line: number;
  readonly rule: string;
}

/** A workdir entry that is not a regular file, folder or link. */
export interface SpecialFile {
  readonly path: string;
  /** "a named pipe (FIFO)", "a socket", "a character device", "a block device". */
  readonly kind: string;
}

/** Above this, submit warns: shipping is slow, and data usually belongs in a bucket the job downloads from. */
export const LARGE_WORKDIR_BYTES = 100 * 1024 * 1024;

/** An ignore file is a page of patterns; one larger than this is not one. */
const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

/** Never shipped, whatever the ignore file says: version control history is not part of a training job. */
const ALWAYS_LEFT_OUT = ['.git/'];

/**
 * The files of a workdir that a job ships, following `.dlrunignore` (gitignore syntax) when present, else
 * `.gitignore` (the root one; rules in nested .gitignore files are not read). Symbolic links are shipped as links
 * and never followed, so a link to a large folder outside the workdir cannot drag it along. Sensitive files stay
 * home unless `.dlrunignore` re-includes them (sensitive-files.ts); FIFOs, sockets and devices are never shipped.
 * `useIgnoreRules: false` lists everything but special files (for outputs that come back).
 */
export function listWorkdir(root: string, options: { useIgnoreRules?: boolean } = {}): WorkdirManifest {
  const useRules = options.useIgnoreRules !== false;
  const { rules, ignoreFile, text } = useRules ? ignoreRules(root) : { rules: ignore(), ignoreFile: null, text: '' };
  // Only `.dlrunignore` is written to say what leaves this machine; a `!.env` in a .gitignore is about git.
  const reincludes = ignoreFile === '.dlrunignore' ? new Reincludes(text) : undefined;
  const files: ShippedFile[] = [];
  const leftOut: string[] = [];
  const keptHome: SensitivePath[] = [];
  const reincluded: ReincludedPath[] = [];
  const notShipped: SpecialFile[] = [];
  let bytes = 0;
  const walk = (relativeDir: string, insideReincluded: boolean): void => {
    for (const entry of readFolder(root, relativeDir)) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      const isDirectory = entry.isDirectory();
      const form = isDirectory ? `${relative}/` : relative;
      if (rules.ignores(form)) {
        leftOut.push(form);
        continue;
      }
      let reincludedHere = insideReincluded;
      const why =
        useRules && !insideReincluded
          ? sensitiveReason(relative, isDirectory ? 'folder' : entry.isSymbolicLink() ? 'link' : 'file')
          : undefined;
      if (why !== undefined) {
        const rule = reincludes?.ruleFor(form);
        if (!rule) {
          keptHome.push({ path: form, why });
          continue;
        }
        reincluded.push({ path: form, why, ...rule });
        reincludedHere = true;
      }
      if (isDirectory) {
        walk(relative, reincludedHere);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        const size = entry.isFile() ? lstatSync(path.join(root, relative)).size : 0;
        files.push({ path: relative, bytes: size, symlink: entry.isSymbolicLink() });
        bytes += size;
      } else {
        notShipped.push({ path: relative, kind: specialKind(entry) });
      }
    }
  };
  walk('', false);
  return { root, files, bytes, ignoreFile, leftOut, keptHome, reincluded, notShipped };
}

/** A folder's entries in name order; one dlrun may not read is the user's to fix (or to leave home), not a crash. */
function readFolder(root: string, relativeDir: string): Dirent[] {
  try {
    return readdirSync(path.join(root, relativeDir), { withFileTypes: true }).sort((a, b) =>
      compareNames(a.name, b.name),
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    throw new DlrunError(`cannot read the folder ${path.join(root, relativeDir)} of the workdir: permission denied`, {
      hint: relativeDir
        ? `make it readable, or leave it home with the line ${relativeDir}/ in .dlrunignore`
        : 'make it readable',
    });
  }
}

/** What a workdir entry that is not a file, folder or link is, in words. */
export function specialKind(
  entry: Pick<Dirent, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>,
): string {
  if (entry.isFIFO()) return 'a named pipe (FIFO)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * The `!pattern` lines of a `.dlrunignore`, one matcher each, to tell which one (if any) names a sensitive path:
 * only a negation that matches the path itself re-includes it, never a rule that merely does not leave it out.
 */
class Reincludes {
  private readonly negations: { line: number; rule: string; matcher: Ignore }[] = [];
  private readonly all: Ignore;

  constructor(text: string) {
    this.all = ignore().add(text);
    text.split(/\r?\n/).forEach((raw, index) => {
      const rule = raw.trim();
      if (rule.startsWith('!')) this.negations.push({ line: index + 1, rule, matcher: ignore().add(rule.slice(1)) });
    });
  }

  /** The last `!pattern` matching the path, when the rules as a whole re-include it. */
  ruleFor(form: string): { line: number; rule: string } | undefined {
    if (!this.all.test(form).unignored) return undefined;
    const last = this.negations.filter((negation) => negation.matcher.ignores(form)).at(-1);
    return last && { line: last.line, rule: last.rule };
  }
}

function ignoreRules(root: string): { rules: Ignore; ignoreFile: WorkdirManifest['ignoreFile']; text: string } {
  for (const name of ['.dlrunignore', '.gitignore'] as const) {
    const file = path.join(root, name);
    const read = readRegularFile(file, { maxBytes: MAX_IGNORE_FILE_BYTES });
    if (!read.ok && read.reason === 'absent') continue; // No such file: try the next one.
    if (!read.ok) {
      // Going on without the rules would ship what the user meant to keep home.
      const why =
        read.reason === 'too-large' ? `it is larger than ${MAX_IGNORE_FILE_BYTES / 1024 / 1024} MiB` : read.detail;
      throw new DlrunError(`${file} cannot be read as a list of rules: ${why}`, {
        hint: `make ${name} a text file of gitignore patterns, one a line`,
      });
    }
    const text = read.bytes.toString('utf8');
    // The fixed rules go last, so that no rule in the file (`!.git/`) can ship what is never shipped.
    return { rules: ignore().add(text).add(ALWAYS_LEFT_OUT), ignoreFile: name, text };
  }
  return { rules: ignore().add(ALWAYS_LEFT_OUT), ignoreFile: null, text: '' };
}
