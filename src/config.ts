import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useDotenv, type DotenvUse } from './trust/dotenv-use.js';
import { TRUST_LIST_NAME } from './trust/trust-list.js';

type Environment = Readonly<Record<string, string | undefined>>;

/** Settings dlrun reads from the environment (and `.env` in the working folder), once per process. */
export interface Config {
  /** `DLRUN_HOME`, default `~/.dlrun`: the ledger and job folders live here. */
  readonly home: string;
  /** `DLRUN_DB_URL`: `postgres://...` for a shared team ledger; unset for the SQLite ledger under `home`. */
  readonly dbUrl: string | undefined;
  /** `DLRUN_LEDGER_TIMEOUT_MS`: how long a ledger write waits for another process's write (default 10 s). */
  readonly ledgerTimeoutMs: number;
  /** Colour is off under `NO_COLOR` (https://no-color.org) and when output is not a terminal. */
  readonly noColor: boolean;
  /**
   * The shell's environment with what `.env` may add where the shell did not set a name (the shell wins): every
   * value in an allowed folder, only harmless settings otherwise (src/trust/dotenv-rules.ts).
   */
  readonly env: Environment;
  /** The shell's own environment, without `.env`: what a job running on this machine inherits comes from here only. */
  readonly shell: Environment;
  /** What was made of `.env`: its values (a job's declared secrets are read from them), what was taken and ignored. */
  readonly dotenv: DotenvUse;
  /**
   * The trust list (`dlrun allow`): always in the shell's DLRUN_HOME (or ~/.dlrun), never where `.env` says, or a
   * `.env` could point DLRUN_HOME at a folder holding a list that allows it.
   */
  readonly trustList: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const shell = definedOnly(env);
  const trustList = path.join(
    path.resolve(cwd, shell.DLRUN_HOME || path.join(os.homedir(), '.dlrun')),
    TRUST_LIST_NAME,
  );
  const dotenv = useDotenv(realFolder(cwd), shell, trustList);
  const merged = { ...dotenv.taken, ...shell };
  const timeout = Number(merged.DLRUN_LEDGER_TIMEOUT_MS);
  return {
    home: path.resolve(cwd, merged.DLRUN_HOME || path.join(os.homedir(), '.dlrun')),
    dbUrl: merged.DLRUN_DB_URL || undefined,
    ledgerTimeoutMs: Number.isFinite(timeout) && timeout >= 0 ? timeout : 10_000,
    noColor: merged.NO_COLOR !== undefined && merged.NO_COLOR !== '',
    env: merged,
    shell,
    dotenv,
    trustList,
  };
}

/** A folder as the trust list records it: its real path, so a symlink or `..` cannot stand for another folder. */
export function realFolder(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
