import { constants, copyFileSync, mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { WorkdirManifest } from '../../src/util/workdir-files.js';

/** Copy the shipped files into the job's folder (a reflink where the filesystem has them), keeping their modes. */
export function copyWorkdir(manifest: WorkdirManifest, destination: string): void {
  mkdirSync(destination, { recursive: true });
  const made = new Set<string>();
  for (const file of manifest.files) {
    const target = path.join(destination, file.path);
    const parent = path.dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    const source = path.join(manifest.root, file.path);
    if (file.symlink) symlinkSync(readlinkSync(source), target);
    else copyFileSync(source, target, constants.COPYFILE_FICLONE);
  }
}
