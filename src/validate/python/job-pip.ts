import type { Finding } from '../../base/finding.js';
import type { FindingDetails, ValidationContext } from '../rule.js';
import { pipInstalls, type PipInstall, type PipItem } from './pip-installs.js';

/** The job's `pip install` commands (read once per validation). */
export function installsOf(context: Pick<ValidationContext, 'scripts' | 'workdir' | 'job'>): PipInstall[] {
  return pipInstalls(context.scripts, context.workdir, context.job.source.dir);
}

/** A finding at the place a requirement is written (a line of a requirements file, or a word of `pip install`). */
export function itemFinding(item: PipItem, details: FindingDetails): Finding {
  return { ...details, file: item.file, line: item.line, column: item.column };
}

/** Where an item is written, for messages that point from one item to another. */
export function placeOf(item: PipItem): string {
  return `${item.file}:${item.line}`;
}

/** Settings that give pip indexes dlrun cannot see: env vars, pip's config files, `pip config set`. */
const INDEX_VARIABLES = [
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL',
  'PIP_FIND_LINKS',
  'PIP_CONFIG_FILE',
  'UV_INDEX_URL',
  'UV_EXTRA_INDEX_URL',
  'UV_INDEX',
  'UV_FIND_LINKS',
  'UV_DEFAULT_INDEX',
];
const INDEX_SETTINGS = new RegExp(`\\b(?:${INDEX_VARIABLES.join('|')})\\b|\\bpip3? config\\b|pip\\.conf|uv\\.toml`);

/** True when the job may give pip an index or find-links dlrun cannot read (set by the environment or a config). */
export function jobHasUnseenIndex(context: Pick<ValidationContext, 'scripts' | 'job' | 'workdir'>): boolean {
  const env = Object.keys(context.job.env ?? {});
  if (env.some((name) => INDEX_SETTINGS.test(name))) return true;
  if ((context.job.secrets ?? []).some((name) => INDEX_SETTINGS.test(name))) return true;
  if (context.workdir.state('pip.conf') === 'shipped' || context.workdir.state('uv.toml') === 'shipped') return true;
  return context.scripts.some((script) => INDEX_SETTINGS.test(script.text));
}

/** An index other than PyPI itself (a mirror of PyPI would not hold local builds either, but cannot be told apart). */
export function isOtherIndex(url: string): boolean {
  return !/^https?:\/\/(?:pypi\.org|pypi\.python\.org)(?:\/|$)/i.test(url);
}
