import type { Scanner } from './scanner.js';
import type { ScriptPosition, SimpleCommand, VariableUse, Word, WordPart } from './script-model.js';

/** Deeper than any script a person writes; a limit keeps a generated or hostile file from exhausting the stack. */
export const MAX_NESTING = 200;

/** Raised to stop parsing at the first syntax error, as bash does. */
export class SyntaxStop extends Error {
  constructor(
    message: string,
    readonly position: ScriptPosition,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Characters that end an unquoted word. */
export const METACHARACTERS = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);
const NAME_START = /[A-Za-z_]/;
const NAME_CHARACTER = /[A-Za-z0-9_]/;
const EXPANSION_OPERATOR = /(:[-=?+]|[-=?+]|##|#|%%|%|\/\/|\/#|\/%|\/|\^\^|\^|,,|,|:|\[|@)/y;
const SPECIAL_PARAMETERS = new Set([
  '@',
  '*',
  '#',
  '?',
  '$',
  '!',
  '-',
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
]);

/** What the word reader needs from the command parser: parsing `$( ... )` and backquoted commands. */
export interface NestedParser {
  /** Parse commands until an unmatched `)`, which is left unread. */
  parseUntilCloseParen(): SimpleCommand[];
  /** Parse a backquoted command's text, found at `position`. */
  parseBackquoted(text: string, position: ScriptPosition): SimpleCommand[];
}

/** Reads one shell word at the scanner: quotes, escapes, and every kind of `$` expansion, with their positions. */
export class WordReader {
  /** Quoted strings that ran over a line end, for finding where a quote that is never closed went wrong. */
  private readonly multiLineQuotes: { readonly start: ScriptPosition; readonly endLine: number }[] = [];
  /** Expansions inside expansions (`${a:-${b:-...}}`, quotes in `$( )`), bounded like the parser's nesting. */
  private nesting = 0;

  constructor(
    private readonly scanner: Scanner,
    private readonly nested: NestedParser,
  ) {}

  read(): Word {
    const scanner = this.scanner;
    const position = scanner.position;
    const start = scanner.offset;
    const parts: WordPart[] = [];
    let literal = '';
    let quotedLiteral = false;
    const flush = (): void => {
      if (literal) parts.push({ kind: 'literal', text: literal, quoted: quotedLiteral });
      literal = '';
      quotedLiteral = false;
    };
    const addLiteral = (text: string, quoted: boolean): void => {
      if (quoted !== quotedLiteral) flush();
      quotedLiteral = quoted;
      literal += text;
    };
    for (;;) {
      const character = scanner.peek();
      if (character === '' || (METACHARACTERS.has(character) && !this.isProcessSubstitution(scanner.offset === start)))
        break;
      if (character === '\\') {
        if (scanner.skipContinuation()) continue;
        scanner.next();
        addLiteral(scanner.next(), true);
      } else if (character === "'") {
        addLiteral(this.singleQuoted(), true);
      } else if (character === '"') {
        flush();
        parts.push(...this.doubleQuoted());
      } else if (character === '$') {
        flush();
        const part = this.dollar(false);
        if (part.kind === 'literal') addLiteral(part.text, part.quoted);
        else parts.push(part);
      } else if (character === '`') {
        flush();
        parts.push(this.backquoted());
      } else if (character === '<' || character === '>') {
        flush();
        parts.push(this.processSubstitution());
      } else {
        addLiteral(scanner.next(), false);
      }
    }
    flush();
    // Every caller expects a word here; standing on an operator instead is a syntax error, and returning an empty
    // word would leave the caller's loop where it was for ever.
    if (scanner.offset === start) {
      const character = scanner.peek();
      throw new SyntaxStop(
        character === ''
          ? 'the script ends where a word was expected'
          : `unexpected '${character === '\n' ? 'newline' : character}' here`,
        position,
      );
    }
    const raw = scanner.text.slice(start, scanner.offset);
    const literalValue = parts.every((part) => part.kind === 'literal')
      ? parts.map((part) => (part.kind === 'literal' ? part.text : '')).join('')
      : undefined;
    return { raw, parts, position, literal: literalValue };
  }

  /** `<(cmd)` or `>(cmd)` at the start of a word. */
  private isProcessSubstitution(atWordStart: boolean): boolean {
    const character = this.scanner.peek();
    return atWordStart && (character === '<' || character === '>') && this.scanner.peek(1) === '(';
  }

  private processSubstitution(): WordPart {
    const position = this.scanner.position;
    this.scanner.skip(2);
    const commands = this.nested.parseUntilCloseParen();
    if (this.scanner.peek() !== ')')
      throw new SyntaxStop("this process substitution is never closed with ')'", position);
    this.scanner.next();
    return { kind: 'substitution', commands, position };
  }

  private singleQuoted(): string {
    const position = this.scanner.position;
    this.scanner.next();
    let text = '';
    for (;;) {
      if (this.scanner.atEnd())
        throw new SyntaxStop(
          'this single quote is never closed',
          this.unpairedQuote(position),
          "add the closing ' (inside single quotes, nothing is special, not even a backslash)",
        );
      const character = this.scanner.next();
      if (character === "'") return this.closed(position, text);
      text += character;
    }
  }

  private closed<T>(start: ScriptPosition, value: T): T {
    if (this.scanner.position.line > start.line)
      this.multiLineQuotes.push({ start, endLine: this.scanner.position.line });
    return value;
  }

  /**
   * Where a quote left open at the end of the script really went wrong. One missing quote makes every quote after
   * it pair with the wrong partner: each string then ends on the line where the next one starts. Following that
   * chain back leads to the first of them, the line with the missing quote, not the last quote in the file.
   */
  private unpairedQuote(position: ScriptPosition): ScriptPosition {
    let start = position;
    for (;;) {
      const previous = [...this.multiLineQuotes]
        .reverse()
        .find((quote) => quote.endLine === start.line && quote.start.line < start.line);
      if (!previous) return start;
      start = previous.start;
    }
  }

  /** The parts of a "double-quoted" string: literal text and the expansions it holds. */
  doubleQuoted(): WordPart[] {
    const position = this.scanner.position;
    this.scanner.next();
    const parts: WordPart[] = [];
    let text = '';
    const flush = (): void => {
      if (text) parts.push({ kind: 'literal', text, quoted: true });
      text = '';
    };
    for (;;) {
      if (this.scanner.atEnd())
        throw new SyntaxStop('this double quote is never closed', this.unpairedQuote(position), 'add the closing "');
      const character = this.scanner.peek();
      if (character === '"') {
        this.scanner.next();
        this.closed(position, undefined);
        flush();
        // `""` is still a (empty) word.
        if (parts.length === 0) parts.push({ kind: 'literal', text: '', quoted: true });
        return parts;
      }
      if (character === '\\') {
        if (this.scanner.skipContinuation()) continue;
        this.scanner.next();
        const escaped = this.scanner.next();
        text += '$`"\\'.includes(escaped) ? escaped : `\\${escaped}`;
      } else if (character === '$') {
        flush();
        const part = this.dollar(true);
        if (part.kind === 'literal') text += part.text;
        else parts.push(part);
      } else if (character === '`') {
        flush();
        parts.push(this.backquoted());
      } else {
        text += this.scanner.next();
      }
    }
  }

  /** One `$...` expansion or backquoted command at the scanner (for text such as heredoc bodies). */
  expansion(): WordPart {
    return this.scanner.peek() === '`' ? this.backquoted() : this.dollar(true);
  }

  private dollar(quoted: boolean): WordPart {
    const scanner = this.scanner;
    const position = scanner.position;
    if (++this.nesting > MAX_NESTING)
      throw new SyntaxStop(`expansions nest more than ${MAX_NESTING} levels deep here`, position);
    try {
      return this.dollarAt(quoted, position);
    } finally {
      this.nesting -= 1;
    }
  }

  private dollarAt(quoted: boolean, position: ScriptPosition): WordPart {
    const scanner = this.scanner;
    const next = scanner.peek(1);
    if (next === "'" && !quoted) {
      scanner.next();
      return { kind: 'literal', text: this.ansiQuoted(position), quoted: true };
    }
    if (next === '(' && scanner.peek(2) === '(') {
      scanner.skip(3);
      return { kind: 'arithmetic', text: this.arithmetic(position, '$(('), position };
    }
    if (next === '(') {
      scanner.skip(2);
      const commands = this.nested.parseUntilCloseParen();
      if (scanner.peek() !== ')')
        throw new SyntaxStop("this $( is never closed with ')'", position, 'close the command substitution with )');
      scanner.next();
      return { kind: 'substitution', commands, position };
    }
    if (next === '{') return this.braced(position, quoted);
    if (NAME_START.test(next)) {
      scanner.next();
      let name = '';
      while (NAME_CHARACTER.test(scanner.peek())) name += scanner.next();
      return { kind: 'variable', use: { name, operator: undefined, position }, quoted };
    }
    if (SPECIAL_PARAMETERS.has(next)) {
      scanner.skip(2);
      return { kind: 'variable', use: { name: next, operator: undefined, position }, quoted };
    }
    scanner.next();
    return { kind: 'literal', text: '$', quoted };
  }

  private ansiQuoted(position: ScriptPosition): string {
    this.scanner.next();
    let text = '';
    for (;;) {
      if (this.scanner.atEnd()) throw new SyntaxStop("this $' string is never closed", position, "add the closing '");
      const character = this.scanner.next();
      if (character === "'") return text;
      if (character === '\\') text += this.scanner.next();
      else text += character;
    }
  }

  /** `${...}`: the variable, its operator, and the variables used in what follows the operator. */
  private braced(position: ScriptPosition, quoted: boolean): WordPart {
    const scanner = this.scanner;
    scanner.skip(2);
    let prefix = '';
    if (scanner.peek() === '#' || scanner.peek() === '!') {
      if (scanner.peek(1) !== '}') prefix = scanner.next();
    }
    let name = '';
    if (NAME_START.test(scanner.peek())) while (NAME_CHARACTER.test(scanner.peek())) name += scanner.next();
    else if (/[0-9]/.test(scanner.peek())) while (/[0-9]/.test(scanner.peek())) name += scanner.next();
    else if (SPECIAL_PARAMETERS.has(scanner.peek())) name = scanner.next();
    let operator = prefix === '#' ? '#length' : prefix === '!' ? '!indirect' : undefined;
    const rest = scanner.match(EXPANSION_OPERATOR);
    if (rest && operator === undefined) operator = rest[1];
    let depth = 0;
    for (;;) {
      if (scanner.atEnd())
        throw new SyntaxStop('this ${ is never closed with }', position, 'close the parameter expansion with }');
      const character = scanner.peek();
      if (character === '}' && depth === 0) {
        scanner.next();
        break;
      }
      if (character === '\\') {
        scanner.skip(2);
      } else if (character === "'" && !quoted) {
        this.singleQuoted();
      } else if (character === '"') {
        this.doubleQuoted();
      } else if (character === '$') {
        this.dollar(quoted);
      } else if (character === '`') {
        this.backquoted();
      } else {
        if (character === '{') depth += 1;
        if (character === '}') depth -= 1;
        scanner.next();
      }
    }
    return { kind: 'variable', use: { name, operator, position }, quoted };
  }

  /** The text of an arithmetic expansion up to its closing `))`. */
  arithmetic(position: ScriptPosition, opener: string): string {
    let depth = 0;
    let text = '';
    for (;;) {
      if (this.scanner.atEnd()) throw new SyntaxStop(`this ${opener} is never closed with '))'`, position);
      const character = this.scanner.peek();
      if (character === ')' && depth === 0 && this.scanner.peek(1) === ')') {
        this.scanner.skip(2);
        return text;
      }
      if (character === '(') depth += 1;
      if (character === ')') depth -= 1;
      text += this.scanner.next();
    }
  }

  private backquoted(): WordPart {
    const position = this.scanner.position;
    this.scanner.next();
    let text = '';
    for (;;) {
      if (this.scanner.atEnd())
        throw new SyntaxStop('this backquote is never closed', position, 'add the closing `, or use $( ... ) instead');
      const character = this.scanner.next();
      if (character === '`') break;
      if (character === '\\' && '`$\\'.includes(this.scanner.peek())) text += this.scanner.next();
      else text += character;
    }
    return {
      kind: 'substitution',
      commands: this.nested.parseBackquoted(text, { line: position.line, column: position.column + 1 }),
      position,
    };
  }
}

/** The variables a heredoc body expands, with positions from `start` (the body's first line). */
export function variablesIn(
  body: string,
  start: ScriptPosition,
  reader: (scanner: Scanner) => WordReader,
  makeScanner: (text: string) => Scanner,
): VariableUse[] {
  const uses: VariableUse[] = [];
  const scanner = makeScanner(body);
  const words = reader(scanner);
  while (!scanner.atEnd()) {
    const character = scanner.peek();
    if (character === '\\') {
      scanner.skip(2);
      continue;
    }
    if (character !== '$' && character !== '`') {
      scanner.next();
      continue;
    }
    const at = scanner.offset;
    try {
      const part = words.expansion();
      if (part.kind === 'variable') uses.push(shift(part.use, start));
    } catch {
      // A heredoc body is text: a stray brace or backquote in it is not a syntax error.
      if (scanner.offset === at) scanner.next();
    }
  }
  return uses;
}

function shift(use: VariableUse, start: ScriptPosition): VariableUse {
  const line = start.line + use.position.line - 1;
  const column = use.position.line === 1 ? start.column + use.position.column - 1 : use.position.column;
  return { ...use, position: { line, column } };
}

/** The variables an arithmetic expression assigns: `i = 0`, `total += n`, `i++`, `--left`. */
export function arithmeticAssignments(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(
    /([A-Za-z_][A-Za-z0-9_]*)\s*(?:(?:[-+*/%&|^]|<<|>>)?=(?!=)|\+\+|--)|(?:\+\+|--)\s*([A-Za-z_][A-Za-z0-9_]*)/g,
  )) {
    names.push((match[1] ?? match[2])!);
  }
  return names;
}
