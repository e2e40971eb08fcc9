import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';

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
  /** The environment with `.env` values added where the shell did not set them (the shell wins). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const merged = { ...readDotenv(cwd), ...definedOnly(env) };
  const timeout = Number(merged['DLRUN_LEDGER_TIMEOUT_MS']);
  return {
    home: path.resolve(cwd, merged['DLRUN_HOME'] || path.join(os.homedir(), '.dlrun')),
    dbUrl: merged['DLRUN_DB_URL'] || undefined,
    ledgerTimeoutMs: Number.isFinite(timeout) && timeout >= 0 ? timeout : 10_000,
    noColor: merged['NO_COLOR'] !== undefined && merged['NO_COLOR'] !== '',
    env: merged,
  };
}

function readDotenv(cwd: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(path.join(cwd, '.env')));
  } catch {
    return {};
  }
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
