import {
  closeSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { DlrunError } from '../base/errors.js';
import { crypto } from '../util/lazy-crypto.js';

/** The file, in the shell's DLRUN_HOME, that lists the folders whose `.env` the user allowed. */
export const TRUST_LIST_NAME = 'allowed-folders.json';

/** One allowed folder: its real path and the hash of the `.env` the user allowed; a changed `.env` is not allowed. */
export interface AllowedFolder {
  readonly folder: string;
  readonly dotenv_sha256: string;
  readonly allowed_at: string;
}

/** The trust list as read: the allowed folders, or why the file cannot be believed (then no folder is allowed). */
export type TrustList =
  | { readonly folders: readonly AllowedFolder[]; readonly problem?: undefined }
  | { readonly folders: readonly []; readonly problem: string };

interface TrustListFile {
  readonly about: string;
  readonly version: 1;
  readonly folders: readonly AllowedFolder[];
}

const ABOUT =
  'Folders whose .env dlrun reads in full (dlrun allow / dlrun deny). ' +
  'A folder counts only while its .env has the hash recorded here.';

/**
 * Read the trust list. A missing file is an empty list. A file that is not dlrun's own format, or that someone else
 * could have written (another owner, or writable by group or others), allows nothing: a list anyone can edit is
 * no list.
 */
export function readTrustList(file: string): TrustList {
  let text: string;
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, 'r');
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) return refused(file, 'it is not a regular file');
    const uid = process.getuid?.();
    if (uid !== undefined && stats.uid !== uid) return refused(file, 'it belongs to another user');
    if ((stats.mode & 0o022) !== 0) return refused(file, 'others can write it');
    text = readFileSync(descriptor, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { folders: [] };
    return refused(file, (error as Error).message);
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
  const folders = parseFolders(text);
  return folders ? { folders } : refused(file, 'it is not a list dlrun wrote');
}

function refused(file: string, reason: string): TrustList {
  return { folders: [], problem: `the trust list ${file} is not used (${reason}), so no folder is allowed` };
}

function parseFolders(text: string): AllowedFolder[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const folders = (data as Partial<TrustListFile> | null)?.folders;
  if (!Array.isArray(folders)) return undefined;
  const valid = (entry: unknown): entry is AllowedFolder => {
    const candidate = entry as Partial<AllowedFolder> | null;
    return (
      typeof candidate?.folder === 'string' &&
      typeof candidate.dotenv_sha256 === 'string' &&
      typeof candidate.allowed_at === 'string'
    );
  };
  return folders.every(valid) ? folders : undefined;
}

/** The trust list for changing: refuses one dlrun cannot read rather than overwrite the user's file. */
export function trustListForChange(file: string): readonly AllowedFolder[] {
  const list = readTrustList(file);
  if (list.problem !== undefined) {
    throw new DlrunError(list.problem, {
      hint: `look at it, then delete it (that denies every folder) and allow again the folders you trust`,
    });
  }
  return list.folders;
}

/**
 * Write the trust list whole, mode 0600, through a file renamed into place: a dlrun reading it at the same moment
 * sees the old list or the new one, never half of one, and a crash leaves the old list.
 */
export function writeTrustList(file: string, folders: readonly AllowedFolder[]): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const random = crypto().randomBytes(6).toString('hex');
  const partial = path.join(path.dirname(file), `.${TRUST_LIST_NAME}.${process.pid}.${random}`);
  const content: TrustListFile = { about: ABOUT, version: 1, folders };
  const descriptor = openSync(partial, 'wx', 0o600);
  try {
    writeSync(descriptor, `${JSON.stringify(content, null, 2)}\n`);
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    rmSync(partial, { force: true });
    throw error;
  }
  closeSync(descriptor);
  try {
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
