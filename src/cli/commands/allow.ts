import { statSync } from 'node:fs';
import path from 'node:path';
import { DlrunError } from '../../base/errors.js';
import { realFolder } from '../../config.js';
import { actedOnByDlrun } from '../../trust/dotenv-rules.js';
import { MAX_DOTENV_BYTES, readDotenvFile } from '../../trust/read-dotenv.js';
import { trustListForChange, writeTrustList } from '../../trust/trust-list.js';
import { booleanFlag, type CommandInput } from '../command.js';

/**
 * `dlrun allow [DIR]`: dlrun reads every setting of the folder's `.env`, as it is now. The trust list keeps the
 * folder's real path and the hash of this `.env`: once the file changes, its settings are ignored again until the
 * user has read it and allowed it again (as direnv does).
 */
export async function run(input: CommandInput): Promise<number> {
  const { io, config } = input;
  const folder = existingFolder(path.resolve(io.cwd, input.positionals[0] ?? '.'));
  const dotenv = readDotenvFile(folder);
  if (dotenv.kind === 'absent') {
    throw new DlrunError(`there is no .env in ${folder}`, {
      hint: "dlrun allow lets a folder's .env choose credentials and endpoints; write the .env first",
    });
  }
  if (dotenv.kind === 'unreadable') {
    throw new DlrunError(`${dotenv.file} cannot be allowed: ${dotenv.reason}`, {
      hint: `a .env must be a regular file of at most ${MAX_DOTENV_BYTES / 1024 / 1024} MiB`,
    });
  }
  const others = trustListForChange(config.trustList).filter((entry) => entry.folder !== folder);
  try {
    writeTrustList(config.trustList, [
      ...others,
      { folder, dotenv_sha256: dotenv.sha256, allowed_at: new Date().toISOString() },
    ]);
  } catch (error) {
    throw new DlrunError(`could not write the trust list ${config.trustList}: ${(error as Error).message}`, {
      hint: 'check that DLRUN_HOME is yours and writable',
      cause: error,
    });
  }
  const settings = Object.keys(dotenv.values).filter(actedOnByDlrun).sort();
  if (booleanFlag(input, 'json')) {
    io.out(
      JSON.stringify({ folder, allowed: true, dotenv_sha256: dotenv.sha256, settings, trust_list: config.trustList }),
    );
    return 0;
  }
  io.out(folder);
  const which = settings.length ? `, including ${settings.join(', ')}` : '';
  io.err(
    `allowed: dlrun now reads every setting of ${dotenv.file}${which}. ` +
      "When the file changes they are ignored again until you allow it again; 'dlrun deny' undoes this.",
  );
  return 0;
}

function existingFolder(folder: string): string {
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new DlrunError(`${folder} does not exist`, {
      hint: 'name the folder whose .env dlrun should read (default: this one)',
    });
  }
  if (!isFolder)
    throw new DlrunError(`${folder} is a file, not a folder`, {
      hint: 'name the folder that holds the .env, not the file',
    });
  return realFolder(folder);
}
