import {
  constants,
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import { DlrunError } from '../base/errors.js';
import { compareNames } from './compare-names.js';
import { specialKind } from './workdir-files.js';

/** What a copy did. */
export interface CopiedTree {
  /** Files and links written. */
  readonly files: number;
  readonly bytes: number;
  /** Entries not copied, with why: FIFOs, sockets, devices (reading one may never end). */
  readonly skipped: readonly string[];
}

interface Entry {
  readonly relative: string;
  readonly type: 'folder' | 'file' | 'link' | 'special';
  readonly stats: Stats;
}

/**
 * Copy the contents of `source` into `destination` without ever following a link: links in `source` are copied as
 * links, and a link already in `destination` is never written through. Where a file goes, a link there is replaced
 * (the link, not what it points at); where a folder goes, a link there is refused before anything is written, as a
 * file where a folder goes (or a folder where a file goes) is. What `source` holds is untrusted (a job wrote it), and
 * so is what `destination` held before (an earlier pull of it). `source` itself must be a folder, not a link to one.
 */
export function copyTreeInto(source: string, destination: string): CopiedTree {
  const top = lstatSync(source);
  if (top.isSymbolicLink())
    throw new DlrunError(`${source} is a link (to ${readlinkSync(source)}), not a folder; nothing was copied`, {
      hint: "a job's outputs folder must be a folder of its own",
    });
  if (!top.isDirectory()) throw new DlrunError(`${source} is not a folder; nothing was copied`);
  const entries = walk(source);
  for (const entry of entries) checkPlace(destination, entry);
  let files = 0;
  let bytes = 0;
  const skipped: string[] = [];
  for (const entry of entries) {
    const from = path.join(source, entry.relative);
    const to = path.join(destination, entry.relative);
    if (entry.type === 'special') {
      skipped.push(`${entry.relative} (${specialKind(entry.stats)})`);
      continue;
    }
    if (entry.type === 'folder') {
      mkdirSync(to, { recursive: true });
      continue;
    }
    // A file or link already there is removed first, so the copy makes a new one rather than writing into
    // a link's target.
    if (lstatSync(to, { throwIfNoEntry: false })) unlinkSync(to);
    try {
      if (entry.type === 'link') symlinkSync(readlinkSync(from), to);
      else {
        copyFileSync(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
        utimesSync(to, entry.stats.atime, entry.stats.mtime);
        bytes += entry.stats.size;
      }
      files++;
    } catch (error) {
      // A running job may delete a file between the listing and the copy (a rotated checkpoint): it is simply gone.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || lstatSync(from, { throwIfNoEntry: false })) throw error;
    }
  }
  return { files, bytes, skipped };
}

/** Every entry under a folder, parents before children, never following a link. */
function walk(root: string): Entry[] {
  const entries: Entry[] = [];
  const visit = (relativeDir: string): void => {
    for (const dirent of readdirSync(path.join(root, relativeDir), { withFileTypes: true }).sort((a, b) =>
      compareNames(a.name, b.name),
    )) {
      const relative = relativeDir ? path.join(relativeDir, dirent.name) : dirent.name;
      const stats = lstatSync(path.join(root, relative));
      const type = stats.isDirectory()
        ? 'folder'
        : stats.isFile()
          ? 'file'
          : stats.isSymbolicLink()
            ? 'link'
            : 'special';
      entries.push({ relative, type, stats });
      if (type === 'folder') visit(relative);
    }
  };
  visit('');
  return entries;
}

/** Refuse, before anything is written, a place in `destination` the entry cannot go without following a link. */
function checkPlace(destination: string, entry: Entry): void {
  if (entry.type === 'special') return;
  const to = path.join(destination, entry.relative);
  // Parents come first in the walk and were checked, so this lstat never passes through a link.
  const there = lstatSync(to, { throwIfNoEntry: false });
  if (!there) return;
  const shown = path.join(path.basename(destination), entry.relative);
  if (there.isSymbolicLink()) {
    if (entry.type !== 'folder') return; // The link itself is replaced.
    throw new DlrunError(
      `${shown} is a link (to ${readlinkSync(to)}); dlrun does not write through links, so nothing was pulled`,
      {
        hint: `remove the link ${to}, or pull into an empty folder with --to`,
      },
    );
  }
  if (entry.type === 'folder' && !there.isDirectory()) {
    throw new DlrunError(
      `${shown} is ${there.isFile() ? 'a file' : specialKind(there)}, ` +
        'where the outputs have a folder; nothing was pulled',
      { hint: 'move it away, or pull into an empty folder with --to' },
    );
  }
  if (entry.type !== 'folder' && there.isDirectory()) {
    throw new DlrunError(`${shown} is a folder, where the outputs have a file; nothing was pulled`, {
      hint: 'move it away, or pull into an empty folder with --to',
    });
  }
}
