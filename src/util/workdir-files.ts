import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ignore, default as ignoreFactory } from 'ignore';

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
  /** The topmost paths left out (a left-out folder is listed once, not file by file). */
  readonly leftOut: readonly string[];
}

/** Above this, submit warns: shipping is slow, and data usually belongs in a bucket the job downloads from. */
export const LARGE_WORKDIR_BYTES = 100 * 1024 * 1024;

/** Never shipped, whatever the ignore file says: version control history is not part of a training job. */
const ALWAYS_LEFT_OUT = ['.git/'];

/**
 * The files of a workdir that a job ships, following `.dlrunignore` (gitignore syntax) when present, else
 * `.gitignore` (the root one; rules in nested .gitignore files are not read). Symbolic links are shipped as links
 * and never followed, so a link to a large folder outside the workdir cannot drag it along.
 */
export function listWorkdir(root: string, options: { useIgnoreRules?: boolean } = {}): WorkdirManifest {
  const { rules, ignoreFile } = options.useIgnoreRules === false ? { rules: ignore(), ignoreFile: null } : ignoreRules(root);
  const files: ShippedFile[] = [];
  const leftOut: string[] = [];
  let bytes = 0;
  const walk = (relativeDir: string): void => {
    const entries = readdirSync(path.join(root, relativeDir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      const isDirectory = entry.isDirectory();
      if (rules.ignores(isDirectory ? `${relative}/` : relative)) {
        leftOut.push(isDirectory ? `${relative}/` : relative);
        continue;
      }
      if (isDirectory) {
        walk(relative);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        const size = entry.isFile() ? lstatSync(path.join(root, relative)).size : 0;
        files.push({ path: relative, bytes: size, symlink: entry.isSymbolicLink() });
        bytes += size;
      }
    }
  };
  walk('');
  return { root, files, bytes, ignoreFile, leftOut };
}

function ignoreRules(root: string): { rules: Ignore; ignoreFile: WorkdirManifest['ignoreFile'] } {
  for (const name of ['.dlrunignore', '.gitignore'] as const) {
    let text: string;
    try {
      text = readFileSync(path.join(root, name), 'utf8');
    } catch {
      continue; // No such file: try the next one.
    }
    // The fixed rules go last, so that no rule in the file (`!.git/`) can ship what is never shipped.
    return { rules: ignore().add(text).add(ALWAYS_LEFT_OUT), ignoreFile: name };
  }
  return { rules: ignore().add(ALWAYS_LEFT_OUT), ignoreFile: null };
}
