import { lstatSync } from 'node:fs';
import { DlrunError } from '../../src/base/errors.js';
import type { PulledOutputs } from '../../src/backend/training-backend.js';
import { copyTreeInto } from '../../src/util/copy-tree.js';

/**
 * Copy a local job's outputs folder (kept in its job folder after the run) to `destination`. The job wrote that
 * folder: links in it are copied as links, never followed, and none in `destination` is written through.
 */
export function pullLocalOutputs(outputDir: string, destination: string): PulledOutputs {
  const stats = lstatSync(outputDir, { throwIfNoEntry: false });
  if (!stats || !(stats.isDirectory() || stats.isSymbolicLink())) {
    throw new DlrunError(`the job has no outputs folder (${outputDir})`, {
      hint: 'did the job write to $DLRUN_OUTPUT_DIR?',
    });
  }
  if (stats.isSymbolicLink()) {
    throw new DlrunError(
      `the job replaced its outputs folder with a link (${outputDir}); dlrun does not follow it, so nothing was pulled`,
      {
        hint: 'have the job write its outputs into $DLRUN_OUTPUT_DIR itself',
      },
    );
  }
  const copied = copyTreeInto(outputDir, destination);
  return { files: copied.files, bytes: copied.bytes, ...(copied.skipped.length ? { skipped: copied.skipped } : {}) };
}
