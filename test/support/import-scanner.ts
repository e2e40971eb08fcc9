/**
 * Every module a TypeScript file names, found by a small tokenizer rather than by regular expressions over the
 * text, so that a `from './x.js'` inside a comment, a string or a template is not taken for an import. TypeScript 7
 * (the compiler here) has no JavaScript API to ask, and type-only imports vanish from the compiled output, so the
 * source is read. What counts as an import: `import ... from 'm'`, `export ... from 'm'`, `import 'm'`,
 * `import('m')` (also in a type), `require('m')`, and `import type` of all these.
 */
export interface ImportSite {
  readonly specifier: string;
  /** `import('m')`, which a module loads when it runs that line, not when it is loaded itself. */
  readonly dynamic: boolean;
  readonly line: number;
}

/** A token of TypeScript source, as far as finding imports and names needs: words, string literals, the rest. */
export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly line: number }
  | { readonly kind: 'string'; readonly text: string; readonly line: number }
  | { readonly kind: 'punct'; readonly text: string; readonly line: number };

/** Words after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'throw', 'void', 'yield']);

export function scanImports(source: string): ImportSite[] {
  const tokens = tokenize(source);
  const sites: ImportSite[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    const next = tokens[index + 1];
    const afterNext = tokens[index + 2];
    const previous = tokens[index - 1];
    // `x.import(...)` or `{ import: ... }` are not imports.
    const memberOrKey = previous?.kind === 'punct' && previous.text === '.';
    if (token.kind === 'word' && token.text === 'from' && next?.kind === 'string') {
      sites.push({ specifier: next.text, dynamic: false, line: next.line });
    } else if (token.kind === 'word' && token.text === 'import' && !memberOrKey && next?.kind === 'string') {
      sites.push({ specifier: next.text, dynamic: false, line: next.line });
    } else if (
      token.kind === 'word' &&
      (token.text === 'import' || token.text === 'require') &&
      !memberOrKey &&
      next?.kind === 'punct' &&
      next.text === '(' &&
      afterNext?.kind === 'string'
    ) {
      sites.push({ specifier: afterNext.text, dynamic: token.text === 'import', line: afterNext.line });
    }
  }
  return sites;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  // Open template literals' `${` braces: each entry counts the braces opened inside that substitution.
  const templateDepths: number[] = [];
  let line = 1;
  let index = 0;
  const length = source.length;
  const lastSignificant = (): Token | undefined => tokens[tokens.length - 1];

  const readTemplate = (): void => {
    // At the character after "`" or after the "}" that closes a substitution: read to "`" or "${".
    while (index < length) {
      const char = source[index]!;
      if (char === '\\') {
        index += 2;
        continue;
      }
      if (char === '\n') line += 1;
      if (char === '`') {
        index += 1;
        tokens.push({ kind: 'punct', text: '`', line });
        return;
      }
      if (char === '$' && source[index + 1] === '{') {
        index += 2;
        templateDepths.push(0);
        tokens.push({ kind: 'punct', text: '${', line });
        return;
      }
      index += 1;
    }
  };

  while (index < length) {
    const char = source[index]!;
    if (char === '\n') {
      line += 1;
      index += 1;
    } else if (char === ' ' || char === '\t' || char === '\r') {
      index += 1;
    } else if (char === '/' && source[index + 1] === '/') {
      while (index < length && source[index] !== '\n') index += 1;
    } else if (char === '/' && source[index + 1] === '*') {
      const end = source.indexOf('*/', index + 2);
      const stop = end === -1 ? length : end + 2;
      for (let at = index; at < stop; at += 1) if (source[at] === '\n') line += 1;
      index = stop;
    } else if (char === "'" || char === '"') {
      const start = line;
      let text = '';
      index += 1;
      while (index < length && source[index] !== char && source[index] !== '\n') {
        if (source[index] === '\\') {
          text += source[index + 1] ?? '';
          index += 2;
        } else {
          text += source[index];
          index += 1;
        }
      }
      index += 1;
      tokens.push({ kind: 'string', text, line: start });
    } else if (char === '`') {
      index += 1;
      readTemplate();
    } else if (char === '/' && startsRegex(lastSignificant())) {
      // A regular expression literal: skip it whole, classes included (a `/` or a quote inside `[...]`).
      let inClass = false;
      index += 1;
      while (index < length && source[index] !== '\n') {
        const inner = source[index]!;
        if (inner === '\\') {
          index += 2;
          continue;
        }
        if (inner === '[') inClass = true;
        else if (inner === ']') inClass = false;
        else if (inner === '/' && !inClass) break;
        index += 1;
      }
      index += 1;
      while (index < length && /[a-z]/i.test(source[index]!)) index += 1;
      tokens.push({ kind: 'punct', text: '/regex/', line });
    } else if (/[A-Za-z_$]/.test(char)) {
      const start = index;
      while (index < length && /[\w$]/.test(source[index]!)) index += 1;
      tokens.push({ kind: 'word', text: source.slice(start, index), line });
    } else if (/[0-9]/.test(char)) {
      while (index < length && /[\w.]/.test(source[index]!)) index += 1;
      tokens.push({ kind: 'word', text: '0', line });
    } else if (char === '{') {
      if (templateDepths.length > 0) templateDepths[templateDepths.length - 1]! += 1;
      tokens.push({ kind: 'punct', text: char, line });
      index += 1;
    } else if (char === '}') {
      index += 1;
      const depth = templateDepths.at(-1);
      if (depth === 0) {
        // The end of a template substitution: back inside the template's text.
        templateDepths.pop();
        readTemplate();
      } else {
        if (depth !== undefined) templateDepths[templateDepths.length - 1] = depth - 1;
        tokens.push({ kind: 'punct', text: char, line });
      }
    } else {
      tokens.push({ kind: 'punct', text: char, line });
      index += 1;
    }
  }
  return tokens;
}

/** Whether a `/` after this token begins a regular expression (after an operator or a keyword) or divides. */
function startsRegex(previous: Token | undefined): boolean {
  if (!previous) return true;
  if (previous.kind === 'string') return false;
  if (previous.kind === 'word') return REGEX_AFTER_WORDS.has(previous.text);
  return ![')', ']', '}', '`', '/regex/'].includes(previous.text);
}
