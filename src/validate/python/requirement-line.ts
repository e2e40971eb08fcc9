import { normaliseName, parseSpecifiers, type Specifier, specifierSetProblem } from './pep440.js';

/** What one requirement (a line of a requirements file, or an argument of `pip install`) is, as pip tells. */
export interface RequirementText {
  readonly kind: 'requirement' | 'url' | 'path';
  /** The project name in normal form, when the requirement names one. */
  readonly name?: string;
  readonly specifiers: readonly Specifier[];
  /** The URL of `name @ URL`, or the URL itself. */
  readonly url?: string;
  /** A file or folder path (`./pkg`, `dist/x.whl`). */
  readonly path?: string;
  readonly marker?: string;
  /** Why pip refuses it, when it does. */
  readonly problem?: string;
}

const NAME = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/s;
const URL_SCHEME = /^(?:[a-z][a-z0-9+.-]*:\/\/|(?:git|hg|svn|bzr)\+|file:)/i;
const ARCHIVE = /\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar|tar\.lz)$/i;

/**
 * Reads a requirement the way pip does (its order: a URL, then something that looks like a path or an archive,
 * then a PEP 508 requirement). URLs and paths carry their markers after `; `.
 */
export function readRequirement(text: string): RequirementText {
  const trimmed = text.trim();
  const atForm = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@/.test(trimmed);
  if (!atForm) {
    const [target, marker] = splitUrlMarker(trimmed);
    if (URL_SCHEME.test(target)) return { kind: 'url', url: target, specifiers: [], ...(marker ? { marker } : {}) };
    if (/[/\\]/.test(target) || target.startsWith('.') || ARCHIVE.test(target))
      return { kind: 'path', path: target, specifiers: [], ...(marker ? { marker } : {}) };
  }
  const match = NAME.exec(trimmed);
  if (!match) return { kind: 'requirement', specifiers: [], problem: `'${trimmed}' is not a requirement pip can read` };
  const name = normaliseName(match[1]!);
  const extras = match[2];
  const rest = match[3]!;
  if (extras && !/^\[\s*(?:[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:,\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*)*)?\]$/.test(extras))
    return { kind: 'requirement', name, specifiers: [], problem: `the extras ${extras} are not a list of names` };
  if (rest.startsWith('@')) {
    const [url, marker] = splitUrlMarker(rest.slice(1).trim());
    if (url === '') return { kind: 'requirement', name, specifiers: [], problem: `no URL after '${match[1]} @'` };
    return { kind: 'requirement', name, url, specifiers: [], ...(marker ? { marker } : {}) };
  }
  const semicolon = rest.indexOf(';');
  const specText = semicolon < 0 ? rest : rest.slice(0, semicolon);
  const marker = semicolon < 0 ? undefined : rest.slice(semicolon + 1).trim();
  if (marker === '')
    return { kind: 'requirement', name, specifiers: [], problem: "nothing follows ';' (an environment marker)" };
  const found = specifierSetProblem(specText);
  // `torch=2.3.1`: show the whole requirement as it should read.
  const problem =
    found && /^\s*=[^=<>]/.test(specText) && !specText.includes(',')
      ? `'=' is not a version operator; use '==' (${match[1]}${extras ?? ''}==${specText.trim().slice(1).trim()})`
      : found;
  if (problem) return { kind: 'requirement', name, specifiers: [], problem, ...(marker ? { marker } : {}) };
  return { kind: 'requirement', name, specifiers: parseSpecifiers(specText), ...(marker ? { marker } : {}) };
}

/** `URL ; marker`: for URLs and paths pip wants whitespace before the `;`, which a URL may itself hold. */
function splitUrlMarker(text: string): [string, string | undefined] {
  const match = /\s+;\s*(.*)$/s.exec(text);
  return match ? [text.slice(0, match.index).trim(), match[1]!.trim()] : [text, undefined];
}
