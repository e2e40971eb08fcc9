import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ThisMachine } from './rule.js';

/** Facts about this machine; the PATH scan runs only when asked for, since only local jobs need it. */
export function thisMachine(env: Readonly<Record<string, string | undefined>>): ThisMachine {
  let commands: ReadonlySet<string> | undefined;
  return {
    homeDirectory: os.homedir(),
    userName: os.userInfo().username,
    get commandsOnPath(): ReadonlySet<string> {
      commands ??= commandsOn(env['PATH'] ?? '');
      return commands;
    },
    environment: new Set(Object.keys(env)),
  };
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
