import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { WorkdirManifest } from './workdir-files.js';

/**
 * The hash of what a workdir holds (paths, modes, contents; a symbolic link by its path), in hex: the name of its
 * archive in a backend's staging bucket, so that an unchanged workdir is found there and not uploaded again.
 */
export function workdirContentHash(manifest: WorkdirManifest): string {
  const hash = createHash('sha256');
  for (const file of manifest.files) {
    const absolute = path.join(manifest.root, file.path);
    hash.update(`${file.path}\0${statSync(absolute, { throwIfNoEntry: false })?.mode ?? 0}\0`);
    hash.update(file.symlink ? `link:${file.path}` : readFileSync(absolute));
  }
  return hash.digest('hex');
}

/**
 * The workdir's files as a portable tar.gz at `archive` (the manifest's files only, relative to its root), and its
 * size in bytes.
 */
export async function createWorkdirArchive(manifest: WorkdirManifest, archive: string): Promise<number> {
  const { create } = await import('tar');
  await create(
    { gzip: true, cwd: manifest.root, file: archive, portable: true, noDirRecurse: true },
    manifest.files.map((file) => file.path),
  );
  return statSync(archive).size;
}
