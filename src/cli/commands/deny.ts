import path from 'node:path';
import { DlrunError } from '../../base/errors.js';
import { realFolder } from '../../config.js';
import { readTrustList, writeTrustList } from '../../trust/trust-list.js';
import { booleanFlag, type CommandInput } from '../command.js';

/** `dlrun deny [DIR]`: the folder's `.env` gives harmless settings and declared secrets only again. */
export async function run(input: CommandInput): Promise<number> {
  const { io, config } = input;
  const folder = realFolder(path.resolve(io.cwd, input.positionals[0] ?? '.'));
  const list = readTrustList(config.trustList);
  // A trust list dlrun cannot believe allows nothing already; it is the user's to look at, not dlrun's to rewrite.
  if (list.problem !== undefined) io.err(`dlrun: ${list.problem}`);
  const wasAllowed = list.folders.some((entry) => entry.folder === folder);
  if (wasAllowed) {
    try {
      writeTrustList(
        config.trustList,
        list.folders.filter((entry) => entry.folder !== folder),
      );
    } catch (error) {
      throw new DlrunError(`could not write the trust list ${config.trustList}: ${(error as Error).message}`, {
        hint: 'check that DLRUN_HOME is yours and writable',
        cause: error,
      });
    }
  }
  if (booleanFlag(input, 'json')) {
    io.out(JSON.stringify({ folder, allowed: false, was_allowed: wasAllowed, trust_list: config.trustList }));
    return 0;
  }
  io.out(folder);
  io.err(
    wasAllowed
      ? "denied: dlrun reads only harmless settings and a job's declared secrets from its .env again"
      : "it was not allowed: dlrun reads only harmless settings and a job's declared secrets from its .env",
  );
  return 0;
}
