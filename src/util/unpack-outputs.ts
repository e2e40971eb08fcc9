import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyTreeInto } from './copy-tree.js';

/** What an outputs archive brought home: as PulledOutputs (src/backend/training-backend.ts). */
export interface UnpackedOutputs {
  readonly files: number;
  readonly bytes: number;
  /** Entries not unpacked, each with why: outside the folder, through a link, a FIFO or device. */
  readonly skipped?: readonly string[];
}

/**
 * A job's outputs archive (a tar.gz its machine uploaded), fetched by `download` into a file of a private temporary
 * folder and unpacked into `destination`. The archive comes from the machine, so it is untrusted: it is unpacked
 * into that private folder first (tar refuses entries that would land outside it, or go through a link, and says
 * which; links to absolute paths are refused too), and copied from there without following links, FIFOs and
 * devices left out (copy-tree.ts). The archive is never held in memory: `download` streams it to the file it is
 * given. The temporary folder is removed whatever happens.
 */
export async function pullOutputsArchive(
  download: (archiveFile: string) => Promise<void>,
  destination: string,
): Promise<UnpackedOutputs> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dlrun-outputs-'));
  try {
    const archive = path.join(folder, 'outputs.tar.gz');
    await download(archive);
    const unpacked = path.join(folder, 'outputs');
    mkdirSync(unpacked);
    const { extract } = await import('tar');
    const refused: string[] = [];
    await extract({
      file: archive,
      cwd: unpacked,
      // tar refuses a link whose relative target climbs out of the folder, but keeps one to an absolute path: a link
      // out of DIR all the same once copied there (a tool that later writes through it would write outside).
      filter: (entryPath, entry) => {
        const { type, linkpath } = entry as { type?: string; linkpath?: string };
        if (type !== 'SymbolicLink' || !path.isAbsolute(linkpath ?? '')) return true;
        refused.push(`${entryPath} (a link to an absolute path)`);
        return false;
      },
      onwarn: (code, message, data) => {
        // Notes such as "stripping / from absolute paths": the entry is unpacked inside.
        if (code === 'TAR_ENTRY_INFO') return;
        const entry = (data as { entry?: { path?: string } } | undefined)?.entry?.path;
        refused.push(`${entry ?? 'an entry of the archive'} (${message})`);
      },
    });
    const copied = copyTreeInto(unpacked, destination);
    const skipped = [...refused, ...copied.skipped];
    return { files: copied.files, bytes: copied.bytes, ...(skipped.length ? { skipped } : {}) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
