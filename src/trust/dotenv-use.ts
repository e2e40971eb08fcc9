import { actedOnByDlrun, takenFromAnyDotenv } from './dotenv-rules.js';
import { readDotenvFile } from './read-dotenv.js';
import { readTrustList } from './trust-list.js';

/**
 * How far dlrun trusts the folder's `.env`: there is none; it cannot be read; the folder is allowed (with this very
 * content); it was allowed but `.env` changed since; or it was never allowed.
 */
export type DotenvTrust = 'absent' | 'unreadable' | 'allowed' | 'changed' | 'not-allowed';

/** What dlrun made of the working folder's `.env`, for the configuration, the job's secrets and the notice. */
export interface DotenvUse {
  readonly file: string;
  readonly trust: DotenvTrust;
  /** Every value the file holds: only a job's declared `secrets` are read from here when the folder is not allowed. */
  readonly values: Readonly<Record<string, string>>;
  /** The values taken into the configuration (where the shell did not set the name). */
  readonly taken: Readonly<Record<string, string>>;
  /** Names dlrun would act on that were not taken (the folder is not allowed, or `.env` changed), sorted. */
  readonly ignored: readonly string[];
  /** Why `.env` or the trust list was not used, when that is the case. */
  readonly problems: readonly string[];
}

/**
 * Read `<folder>/.env` and decide what of it counts: all of it in a folder the user allowed with this content,
 * otherwise only the harmless settings of dotenv-rules.ts. The shell always wins. `folder` is a real path.
 */
export function useDotenv(folder: string, shell: Readonly<Record<string, string>>, trustListFile: string): DotenvUse {
  const dotenv = readDotenvFile(folder);
  if (dotenv.kind === 'absent')
    return { file: dotenv.file, trust: 'absent', values: {}, taken: {}, ignored: [], problems: [] };
  if (dotenv.kind === 'unreadable') {
    return {
      file: dotenv.file,
      trust: 'unreadable',
      values: {},
      taken: {},
      ignored: [],
      problems: [`${dotenv.file} was not read: ${dotenv.reason}`],
    };
  }
  const list = readTrustList(trustListFile);
  const entry = list.folders.find((allowed) => allowed.folder === folder);
  const trust: DotenvTrust = !entry ? 'not-allowed' : entry.dotenv_sha256 === dotenv.sha256 ? 'allowed' : 'changed';
  const taken: Record<string, string> = {};
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(dotenv.values)) {
    if (Object.hasOwn(shell, name)) continue;
    if (trust === 'allowed' || takenFromAnyDotenv(name, value)) taken[name] = value;
    else if (actedOnByDlrun(name)) ignored.push(name);
  }
  return {
    file: dotenv.file,
    trust,
    values: dotenv.values,
    taken,
    ignored: ignored.sort(),
    problems: list.problem !== undefined ? [list.problem] : [],
  };
}

/** Names shown in the notice at most; a `.env` with thousands of names must not flood the terminal. */
const SHOWN_NAMES = 12;

/**
 * What the user is told once per command about `.env`, or undefined when nothing was left out: the names (never the
 * values) and the fix.
 */
export function dotenvNotice(use: DotenvUse): string | undefined {
  const lines = use.problems.map((problem) => `dlrun: ${problem}`);
  if (use.ignored.length) {
    const names =
      use.ignored.length > SHOWN_NAMES
        ? `${use.ignored.slice(0, SHOWN_NAMES).join(', ')} and ${use.ignored.length - SHOWN_NAMES} more`
        : use.ignored.join(', ');
    lines.push(
      use.trust === 'changed'
        ? `dlrun: ignored from .env: ${names}; .env changed since you allowed this folder. ` +
            "Read it, then run 'dlrun allow' again to use them."
        : `dlrun: ignored from .env: ${names}; ` +
            'settings that choose credentials, endpoints or programs are read from .env only in folders you allow. ' +
            "Read it, then run 'dlrun allow' to use them (or set them in your shell).",
    );
  }
  return lines.length ? lines.join('\n') : undefined;
}
