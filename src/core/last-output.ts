import type { LedgerId } from '../backend/job-id.js';
import type { JobHandle, TrainingBackend } from '../backend/training-backend.js';
import type { Config } from '../config.js';
import type { StoredJob } from '../ledger/ledger.js';
import { backendContext } from './backend-context.js';
import { handleOf } from './job-handle.js';

/** What is read from the end of a log: enough for the last lines of a traceback, never a whole log. */
const TAIL_BYTES = 16 * 1024;
export const LAST_LINES = 15;

/**
 * The last lines a job printed, to say why it failed without a second command. Empty when the backend keeps no
 * output or it cannot be read now: this is help on top of the state, never a reason for the command to fail.
 */
export async function lastOutputLines(
  job: StoredJob,
  backend: TrainingBackend,
  config: Config,
  ledgerId: LedgerId,
  count = LAST_LINES,
): Promise<string[]> {
  if (!backend.logs) return [];
  const handle: JobHandle = handleOf(job, backend);
  let text = '';
  try {
    for await (const chunk of backend.logs(
      handle,
      { follow: false, tailBytes: TAIL_BYTES },
      backendContext(config, ledgerId),
    )) {
      text = (text + chunk.text).slice(-TAIL_BYTES);
    }
  } catch {
    return [];
  }
  const lines = text.replace(/\n+$/, '').split('\n');
  // A read that began mid-line shows no broken first line.
  if (text.length >= TAIL_BYTES) lines.shift();
  return lines.filter((line, index) => line !== '' || index > 0).slice(-count);
}
