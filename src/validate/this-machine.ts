import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { regionOf } from '../../adapters/ec2/aws-region.js';
import { localGpus, type LocalGpus } from './local-gpus.js';
import type { ThisMachine } from './rule.js';

/**
 * Facts about this machine; the PATH scan and the GPU query run only when asked for, since only local jobs need them.
 * `env` is what a local job inherits; `settings` what dlrun itself goes by (the AWS region a submit would use).
 */
export function thisMachine(
  env: Readonly<Record<string, string | undefined>>,
  settings: Readonly<Record<string, string | undefined>> = env,
): ThisMachine {
  let commands: ReadonlySet<string> | undefined;
  let gpus: { value: LocalGpus | undefined } | undefined;
  return {
    get awsRegion() {
      return awsRegionOf(settings);
    },
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
  };
}

/** The region AWS tools would use here without a region in the job file, and where it is set. */
function awsRegionOf(env: Readonly<Record<string, string | undefined>>): ThisMachine['awsRegion'] {
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const region = env[name];
    if (region) return { region, from: name };
  }
  const region = regionOf(undefined, env);
  return region ? { region, from: `the AWS profile ${env.AWS_PROFILE ?? 'default'}` } : undefined;
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
