import { statSync } from 'node:fs';
import path from 'node:path';
import { readRegularFile, type ReadLimit, type RegularFileRead } from '../util/read-regular-file.js';
import { reincludeRule } from '../util/sensitive-files.js';
import { listWorkdir, type WorkdirManifest } from '../util/workdir-files.js';

export type PathState = 'shipped' | 'left-home' | 'missing';

/** Why a file this machine has is not shipped. */
export type LeftHomeReason =
  | { readonly kind: 'ignore-file' }
  | { readonly kind: 'sensitive'; readonly why: string; readonly reinclude: string }
  | { readonly kind: 'special'; readonly what: string };

/**
 * The workdir as the machine will see it: only what is shipped exists there. A file on this laptop that
 * .dlrunignore leaves home is as missing on the machine as a file that never existed.
 */
export class WorkdirView {
  private readonly shipped: Set<string>;
  private readonly folders = new Set<string>(['']);
  private readonly reads = new Map<string, RegularFileRead>();
  readonly manifest: WorkdirManifest;

  constructor(readonly root: string) {
    this.manifest = listWorkdir(root);
    this.shipped = new Set(this.manifest.files.map((file) => file.path));
    for (const file of this.manifest.files) {
      let folder = path.posix.dirname(file.path);
      while (folder !== '.' && !this.folders.has(folder)) {
        this.folders.add(folder);
        folder = path.posix.dirname(folder);
      }
    }
  }

  /** Whether a path (relative to the workdir) is shipped, exists here but stays home, or does not exist. */
  state(relative: string): PathState {
    const normal = normalise(relative);
    if (normal === undefined) return 'missing';
    if (this.shipped.has(normal) || this.folders.has(normal)) return 'shipped';
    try {
      statSync(path.join(this.root, normal));
      return 'left-home';
    } catch {
      return 'missing';
    }
  }

  /** Why a path that exists here stays home: the ignore file, a sensitive name (or folder), or a special file. */
  whyLeftHome(relative: string): LeftHomeReason {
    const normal = normalise(relative) ?? relative;
    const sensitive = this.manifest.keptHome.find(
      (kept) => kept.path === normal || (kept.path.endsWith('/') && `${normal}/`.startsWith(kept.path)),
    );
    if (sensitive) return { kind: 'sensitive', why: sensitive.why, reinclude: reincludeRule(sensitive) };
    const special = this.manifest.notShipped.find((file) => file.path === normal);
    if (special) return { kind: 'special', what: special.kind };
    return { kind: 'ignore-file' };
  }

  /**
   * A shipped file's bytes, read at most once per limit, only when it is a regular file (after following links)
   * and within the limit: a script that is a link to /dev/zero or a FIFO is noted (notRegular), never read.
   */
  read(relative: string, limit: ReadLimit): RegularFileRead {
    const file = this.absolute(relative);
    if (file === undefined) return { ok: false, reason: 'unreadable', detail: `${relative} is outside the workdir` };
    const key = `${limit.maxBytes}${limit.prefix ? 'p' : ''}:${file}`;
    let read = this.reads.get(key);
    if (!read) {
      read = readRegularFile(file, limit);
      this.reads.set(key, read);
    }
    return read;
  }

  /**
   * Shipped paths the validator was asked to read that are not
   * regular files (path relative to the workdir -> what it is).
   */
  notRegular(): Map<string, string> {
    const found = new Map<string, string>();
    for (const [key, read] of this.reads) {
      if (!read.ok && read.reason === 'not-regular')
        found.set(path.relative(this.root, key.slice(key.indexOf(':') + 1)), read.detail);
    }
    return found;
  }

  isFolder(relative: string): boolean {
    const normal = normalise(relative);
    return normal !== undefined && this.folders.has(normal);
  }

  /** The file's text when it is shipped and a regular file, else undefined. */
  absolute(relative: string): string | undefined {
    const normal = normalise(relative);
    return normal === undefined ? undefined : path.join(this.root, normal);
  }

  isExecutable(relative: string): boolean {
    const file = this.absolute(relative);
    try {
      return file !== undefined && (statSync(file).mode & 0o111) !== 0;
    } catch {
      return false;
    }
  }
}

/** A workdir-relative path in normal form (no `./`, no trailing `/`), or undefined when it leaves the workdir. */
export function normalise(relative: string): string | undefined {
  const normal = path.posix.normalize(relative.replace(/\/+$/, '') || '.');
  if (normal === '.') return '';
  if (normal.startsWith('../') || normal === '..' || normal.startsWith('/')) return undefined;
  return normal.replace(/^\.\//, '');
}
