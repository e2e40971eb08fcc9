import { statSync } from 'node:fs';
import path from 'node:path';
import { DlrunError } from '../base/errors.js';

/**
 * Run a write to a place the user chose (`init DIR`, `pull --to DIR`): one that cannot be written (permissions, a
 * file where a folder should be, a full disk) is the user's to fix, a DlrunError with `elsewhere` as the hint, never
 * an errno with a stack.
 */
export function writing<T>(target: string, elsewhere: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM')
      throw new DlrunError(`cannot write ${target}: permission denied`, { hint: elsewhere });
    if (code === 'EROFS')
      throw new DlrunError(`cannot write ${target}: the filesystem is read-only`, { hint: elsewhere });
    if (code === 'ENOSPC')
      throw new DlrunError(`cannot write ${target}: the disk is full`, { hint: 'free some space and try again' });
    if (code === 'EISDIR') throw new DlrunError(`cannot write ${target}: it is a folder`, { hint: elsewhere });
    if (code === 'ENOTDIR' || code === 'EEXIST') {
      const file = fileInTheWay(target);
      throw new DlrunError(`cannot make ${target}${file ? `: ${file} is a file, not a folder` : ''}`, {
        hint: elsewhere,
      });
    }
    throw error;
  }
}

/** The first part of a path that exists and is not a folder, if any. */
function fileInTheWay(target: string): string | undefined {
  const parts: string[] = [];
  for (let folder = target; path.dirname(folder) !== folder; folder = path.dirname(folder)) parts.unshift(folder);
  for (const part of parts) {
    try {
      if (!statSync(part).isDirectory()) return part;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
