import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DlrunError } from '../base/errors.js';
import type { Config } from '../config.js';
import { checkDbUrl } from './db-url.js';

/** Where a shared ledger's URL came from, for messages. */
export interface LedgerUrl {
  readonly url: string;
  readonly source: string;
}

/** `$DLRUN_HOME/config.yaml`: settings a team shares by file rather than by environment. */
export function configFile(config: Config): string {
  return path.join(config.home, 'config.yaml');
}

/**
 * The PostgreSQL ledger's URL: DLRUN_DB_URL, else `ledger: {url: ...}` in `$DLRUN_HOME/config.yaml` (the environment
 * wins, so one command can point elsewhere), else undefined for the SQLite ledger. Read only when a ledger is opened,
 * so `--help` and commands without a ledger never read the file (nor load the YAML parser). A URL that is not
 * postgres:// is refused here.
 */
export async function ledgerUrl(config: Config): Promise<LedgerUrl | undefined> {
  const found = config.dbUrl
    ? { url: config.dbUrl, source: 'DLRUN_DB_URL' }
    : await urlInConfigFile(configFile(config));
  if (found) checkDbUrl(found.url, found.source);
  return found;
}

async function urlInConfigFile(file: string): Promise<LedgerUrl | undefined> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DlrunError(`cannot read ${file}: ${(error as Error).message}`, {
      hint: 'make it readable for you, or remove it to keep the ledger in SQLite',
    });
  }
  // The YAML parser only when there is a file: `status` on a SQLite ledger never loads it.
  // Bundled, yaml's CommonJS build arrives as a default export; in tsc's output as named ones.
  const loaded = await import('yaml');
  const { isMap, parseDocument } =
    typeof loaded.parseDocument === 'function' ? loaded : (loaded as unknown as { default: typeof loaded }).default;
  const document = parseDocument(text, { prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line ?? lineOf(text, error.pos[0]);
    throw brokenFile(file, line, error.message.split('\n')[0] ?? error.message);
  }
  const root = document.contents;
  if (root === null) return undefined;
  if (!isMap(root)) throw brokenFile(file, lineOf(text, root.range?.[0]), 'expected a mapping (ledger: {url: ...})');
  const ledger = root.get('ledger', true);
  if (ledger === undefined || ledger === null) return undefined;
  if (!isMap(ledger)) throw brokenFile(file, lineOf(text, rangeStart(ledger)), "'ledger' must be a mapping with a url");
  const url = ledger.get('url', true);
  if (url === undefined || url === null) return undefined;
  const value = (url as { value?: unknown }).value;
  if (typeof value !== 'string' || value === '') {
    throw brokenFile(file, lineOf(text, rangeStart(url)), "'ledger.url' must be a postgres:// URL");
  }
  const line = lineOf(text, rangeStart(url));
  return { url: value, source: `ledger.url in ${file}${line === undefined ? '' : ` line ${line}`}` };
}

function brokenFile(file: string, line: number | undefined, why: string): DlrunError {
  return new DlrunError(`${file}${line === undefined ? '' : ` line ${line}`}: ${why}`, {
    hint: `fix the file (it holds, for a shared ledger, ledger: {url: postgres://...}) or remove it`,
  });
}

function rangeStart(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] }).range?.[0];
}

function lineOf(text: string, offset: number | undefined): number | undefined {
  return offset === undefined ? undefined : text.slice(0, offset).split('\n').length;
}
