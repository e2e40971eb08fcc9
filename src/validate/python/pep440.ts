/**
 * PEP 440 versions and PEP 508 version specifiers, as `packaging` (which pip vendors) accepts them: strict, so a
 * specifier pip refuses is refused here, and one it takes is taken.
 */

/** A PEP 440 public version, with an optional local label (`2.3.1+cu121`); case-insensitive, `v` prefix allowed. */
const VERSION = new RegExp(
  [
    '^v?(?:\\d+!)?\\d+(?:\\.\\d+)*',
    '(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?\\d*)?',
    '(?:-\\d+|[-_.]?(?:post|rev|r)[-_.]?\\d*)?',
    '(?:[-_.]?dev[-_.]?\\d*)?',
    '(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$',
  ].join(''),
  'i',
);

export const OPERATORS = ['~=', '===', '==', '!=', '<=', '>=', '<', '>'] as const;

export interface Specifier {
  readonly operator: string;
  readonly version: string;
}

export function isVersion(text: string): boolean {
  return VERSION.test(text);
}

/** Why one clause (`>=2.0`) is not a valid specifier, or undefined when it is. */
export function specifierProblem(clause: string): string | undefined {
  const match = /^\s*(~=|===|==|!=|<=|>=|<|>|=>|=<|=)?\s*(.*?)\s*$/.exec(clause)!;
  const operator = match[1];
  const version = match[2]!;
  if (operator === undefined)
    return version === '' ? 'an empty version specifier' : `'${version}' has no comparison operator (==, >=, ~= ...)`;
  if (operator === '=') return `'=' is not a version operator; use '==' (${clause.trim().replace(/^=/, '==')})`;
  if (operator === '=>' || operator === '=<')
    return `'${operator}' is not a version operator; use '${operator[1]}${operator[0]}'`;
  if (operator === '===') return version === '' ? 'a version is missing after ===' : undefined;
  if (version === '') return `a version is missing after ${operator}`;
  const wildcard = version.endsWith('.*');
  if (wildcard) {
    if (operator !== '==' && operator !== '!=') return `'.*' only goes with == and != ('${operator}${version}')`;
    const base = version.slice(0, -2);
    return isVersion(base) && !base.includes('+') ? undefined : `'${version}' is not a valid version`;
  }
  if (!isVersion(version)) return `'${version}' is not a valid version`;
  if (version.includes('+') && operator !== '==' && operator !== '!=')
    return `a local version label ('${version}') only goes with == and !=`;
  if (operator === '~=' && !/^v?(?:\d+!)?\d+\.\d+/i.test(version))
    return `'~=${version}' needs at least two release numbers (~=${version}.0)`;
  return undefined;
}

/** The clauses of `>=1.0,<2.0` (or `(>=1.0, <2.0)`), each checked; the first problem found. */
export function specifierSetProblem(text: string): string | undefined {
  // packaging takes one trailing comma (`==1.0 ,`).
  const inner = text
    .trim()
    .replace(/^\((.*)\)$/s, '$1')
    .replace(/,\s*$/, '');
  if (inner.trim() === '') return undefined;
  for (const clause of inner.split(',')) {
    const problem = specifierProblem(clause);
    if (problem) return problem;
  }
  return undefined;
}

export function parseSpecifiers(text: string): Specifier[] {
  const inner = text
    .trim()
    .replace(/^\((.*)\)$/s, '$1')
    .replace(/,\s*$/, '');
  if (inner.trim() === '') return [];
  return inner.split(',').map((clause) => {
    const match = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*(.*?)\s*$/.exec(clause);
    return { operator: match?.[1] ?? '', version: match?.[2] ?? clause.trim() };
  });
}

/** The exact version a specifier set pins (`==2.3.1`, `===2.3.1`), or undefined for a range or a wildcard. */
export function pinnedVersion(specifiers: readonly Specifier[]): string | undefined {
  const exact = specifiers.find(
    (spec) => (spec.operator === '==' || spec.operator === '===') && !spec.version.endsWith('*'),
  );
  return exact?.version.replace(/^v/i, '');
}

/** Release numbers (`2.3.1+cu121` -> [2, 3, 1]), or undefined. */
export function releaseOf(version: string): number[] | undefined {
  const match = /^v?(?:\d+!)?(\d+(?:\.\d+)*)/i.exec(version.trim());
  return match ? match[1]!.split('.').map(Number) : undefined;
}

/** The local label of a version (`2.3.1+cu121` -> `cu121`), lower-case, or undefined. */
export function localLabel(version: string): string | undefined {
  const plus = version.indexOf('+');
  return plus < 0 ? undefined : version.slice(plus + 1).toLowerCase();
}

/** PEP 503 normal form of a project name: `Torch_Scatter` -> `torch-scatter`. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
