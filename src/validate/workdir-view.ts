import { statSync } from 'node:fs';
import path from 'node:path';
import { listWorkdir, type WorkdirManifest } from '../util/workdir-files.js';

export type PathState = 'shipped' | 'left-home' | 'missing';

/**
 * The workdir as the machine will see it: only what is shipped exists there. A file on this laptop that
 * .dlrunignore leaves home is as missing on the machine as a file that never existed.
 */
export class WorkdirView {
  private readonly shipped: Set<string>;
  private readonly folders = new Set<string>(['']);
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
