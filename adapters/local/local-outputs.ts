import { cpSync, existsSync, statSync } from 'node:fs';
import { DlrunError } from '../../src/backend/errors.js';
import type { PulledOutputs } from '../../src/backend/training-backend.js';
import { listWorkdir } from '../../src/util/workdir-files.js';

/** Copy a local job's outputs folder (kept in its job folder after the run) to `destination`. */
export function pullLocalOutputs(outputDir: string, destination: string): PulledOutputs {
  if (!existsSync(outputDir) || !statSync(outputDir).isDirectory()) {
    throw new DlrunError(`the job has no outputs folder (${outputDir})`, { hint: 'did the job write to $DLRUN_OUTPUT_DIR?' });
  }
  const outputs = listWorkdir(outputDir, { useIgnoreRules: false });
  cpSync(outputDir, destination, { recursive: true, force: true, preserveTimestamps: true, verbatimSymlinks: true });
  return { files: outputs.files.length, bytes: outputs.bytes };
}
