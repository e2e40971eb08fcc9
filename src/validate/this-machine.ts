import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localGpus, type LocalGpus } from './local-gpus.js';
import type { ThisMachine } from './rule.js';

/**
 * Facts about this machine; the PATH scan and the GPU query run only when asked for, since only jobs that run here
 * need them. `env` is what a job on this machine inherits; `settings` what dlrun itself goes by (where a backend's
 * rules read the provider settings a submit would use, such as its region).
 */
export function thisMachine(
  env: Readonly<Record<string, string | undefined>>,
  settings: Readonly<Record<string, string | undefined>> = env,
): ThisMachine {
  let commands: ReadonlySet<string> | undefined;
  let gpus: { value: LocalGpus | undefined } | undefined;
  return {
    get gpus(): LocalGpus | undefined {
      gpus ??= { value: localGpus(env.PATH ?? '') };
      return gpus.value;
    },
    homeDirectory: os.homedir(),
    userName: os.userInfo().username,
    get commandsOnPath(): ReadonlySet<string> {
      commands ??= commandsOn(env.PATH ?? '');
      return commands;
    },
    environment: new Set(Object.keys(env)),
    settings,
  };
}

/**
 * The user's home folders: $HOME of the submitting environment and the account's own (they differ under sudo or a
 * HOME set for one program). A workdir that is or holds either is refused.
 */
export function homeFolders(env: Readonly<Record<string, string | undefined>>): string[] {
  const homes = new Set<string>();
  const fromEnv = env.HOME;
  if (fromEnv && path.isAbsolute(fromEnv)) homes.add(fromEnv);
  try {
    homes.add(os.userInfo().homedir);
  } catch {
    // An account with no entry in the password database (a container run with an arbitrary uid) has no home of its own.
  }
  return [...homes];
}

function commandsOn(searchPath: string): Set<string> {
  const found = new Set<string>();
  for (const folder of searchPath.split(path.delimiter)) {
    if (!folder) continue;
    try {
      for (const entry of readdirSync(folder)) found.add(entry);
    } catch {
      // A folder on PATH that does not exist is common and harmless.
    }
  }
  return found;
}
