import { Scanner } from './scanner.js';
import type {
  Assignment,
  CompoundCommand,
  ForList,
  Heredoc,
  ParsedScript,
  Redirect,
  ScriptPosition,
  SimpleCommand,
  VariableUse,
  Word,
} from './script-model.js';
import {
  MAX_NESTING,
  METACHARACTERS,
  SyntaxStop,
  WordReader,
  arithmeticAssignments,
  variablesIn,
  type NestedParser,
} from './words.js';

/** Words that open or close a construct when they stand where a command would. */
const OPENERS = new Set(['if', 'while', 'until', 'for', 'select', 'case', '{', 'function', '[[']);
const CLOSERS: Readonly<Record<string, string>> = {
  then: "'then' with no 'if' or 'elif' before it",
  elif: "'elif' with no 'if' open",
  else: "'else' with no 'if' open",
  fi: "'fi' with no 'if' open",
  do: "'do' with no 'for', 'while' or 'until' before it",
  done: "'done' with no loop open",
  esac: "'esac' with no 'case' open",
  '}': "'}' with no '{' open",
  in: "'in' outside 'for' or 'case'",
};
const DECLARATIONS = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);
/** Deeper than any script a person writes; past it the parse stops with a finding instead of overflowing the stack. */
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/;
const REDIRECT = /(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})?(<<<|<<-|<<|<>|<&|>&|>>|>\||&>>|&>|<|>)/y;

interface PendingHeredoc {
  readonly delimiter: string;
  readonly quoted: boolean;
  readonly stripTabs: boolean;
  readonly position: ScriptPosition;
  readonly redirect: { heredoc: Heredoc | undefined };
}

type MutableCommand = { -readonly [K in keyof SimpleCommand]: SimpleCommand[K] };
type MutableCompound = { -readonly [K in keyof CompoundCommand]: CompoundCommand[K] };

/**
 * Parse a bash script into its simple commands, assignments, redirects, heredocs and expansions, each with its
 * position. A syntax error stops the parse and is reported at the construct that was opened and never closed
 * (the `if`, the quote, the `$(`, the heredoc), where bash itself would only say "unexpected end of file".
 */
export function parseScript(text: string): ParsedScript {
  return new ShellParser(new Scanner(text)).parse();
}

class ShellParser implements NestedParser {
  private readonly commands: MutableCommand[] = [];
  private readonly loopVariables: { name: string; position: ScriptPosition }[] = [];
  private readonly arithmeticCommands: { text: string; position: ScriptPosition }[] = [];
  private readonly forLists: ForList[] = [];
  private readonly compounds: MutableCompound[] = [];
  /** The group or subshell the last command read was, for the operators after it; undefined after a simple one. */
  private justParsed: MutableCompound | undefined;
  /** How many `if`/`while`/`until` tests the parse is inside. */
  private conditionDepth = 0;
  private readonly functions: { name: string; position: ScriptPosition }[] = [];
  private readonly pendingHeredocs: PendingHeredoc[] = [];
  private readonly words: WordReader;
  private depth = 0;

  constructor(private readonly scanner: Scanner) {
    this.words = new WordReader(scanner, this);
  }

  parse(): ParsedScript {
    let syntaxError: ParsedScript['syntaxError'];
    try {
      const stop = this.parseList(new Set());
      if (stop !== undefined) this.unexpected(stop, this.scanner.position);
      this.readHeredocs();
    } catch (error) {
      if (!(error instanceof SyntaxStop)) throw error;
      syntaxError = { message: error.message, position: error.position, ...(error.hint ? { hint: error.hint } : {}) };
    }
    return {
      commands: this.commands,
      loopVariables: this.loopVariables,
      functions: this.functions,
      arithmeticCommands: this.arithmeticCommands,
      forLists: this.forLists,
      compounds: this.compounds,
      syntaxError,
    };
  }

  parseUntilCloseParen(): SimpleCommand[] {
    const before = this.commands.length;
    this.enter();
    this.parseList(new Set([')']));
    this.depth -= 1;
    return this.commands.slice(before);
  }

  parseBackquoted(text: string, position: ScriptPosition): SimpleCommand[] {
    const inner = new ShellParser(new Scanner(text));
    inner.depth = this.depth + 1;
    const parsed = inner.parse();
    if (parsed.syntaxError)
      throw new SyntaxStop(`inside backquotes: ${parsed.syntaxError.message}`, position, parsed.syntaxError.hint);
    const shifted = parsed.commands.map((command) => ({ ...command, position: offset(command.position, position) }));
    this.commands.push(...shifted);
    return shifted;
  }

  /**
   * Commands until one of `terminators` stands where a command would (returned, unread), or the end (undefined).
   * When `opened` is given, a closing word that does not belong here ('fi' where 'then' was due) is reported at
   * the construct that was opened, which is where the mistake is.
   */
  private parseList(
    terminators: ReadonlySet<string>,
    opened?: { message: string; position: ScriptPosition; caseBranch?: boolean },
  ): string | undefined {
    for (;;) {
      this.skipSeparators(terminators);
      if (this.scanner.atEnd()) return undefined;
      const ahead = this.tokenAhead();
      if (terminators.has(ahead)) return ahead;
      if (opened && (CLOSERS[ahead] !== undefined || ahead === ')' || ahead === ';;')) {
        if (opened.caseBranch && ahead === ')') this.missingCaseTerminator();
        throw new SyntaxStop(
          opened.message,
          opened.position,
          `found '${ahead}' at line ${this.scanner.position.line} first`,
        );
      }
      const before = this.scanner.offset;
      this.parseAndOr(terminators);
      // Every command reads at least one character; one that did not would repeat for ever.
      if (this.scanner.offset === before)
        throw new SyntaxStop(`unexpected '${this.scanner.peek()}' here`, this.scanner.position);
    }
  }

  private parseAndOr(terminators: ReadonlySet<string>): void {
    this.parsePipeline(terminators);
    for (;;) {
      this.skipBlanks();
      if (!(this.scanner.startsWith('&&') || this.scanner.startsWith('||'))) break;
      const last = this.commands.at(-1);
      if (last && this.scanner.startsWith('||')) last.orElse = true;
      else if (last) last.andThen = true;
      if (this.justParsed && this.scanner.startsWith('||')) this.justParsed.orElse = true;
      else if (this.justParsed) this.justParsed.andThen = true;
      this.scanner.skip(2);
      this.skipLineBreaks();
      this.parsePipeline(terminators);
    }
    this.skipBlanks();
    const ending = this.commands.at(-1);
    if (ending) ending.endsList = true;
    if (this.scanner.peek() === '&' && !this.scanner.startsWith('&&') && !this.scanner.startsWith('&>')) {
      this.scanner.next();
      const last = this.commands.at(-1);
      if (last) last.background = true;
    }
  }

  private parsePipeline(terminators: ReadonlySet<string>): void {
    this.skipBlanks();
    const negated = this.tokenAhead() === '!';
    if (negated) this.scanner.next();
    const start = this.commands.length;
    this.parseCommand(terminators);
    const first = this.justParsed;
    for (;;) {
      this.skipBlanks();
      if (this.scanner.peek() !== '|' || this.scanner.startsWith('||')) break;
      const last = this.commands.at(-1);
      if (last) last.pipesInto = true;
      this.scanner.skip(this.scanner.startsWith('|&') ? 2 : 1);
      this.skipLineBreaks();
      this.parseCommand(terminators);
    }
    if (negated) {
      for (const command of this.commands.slice(start)) command.negated = true;
      if (first) first.negated = true;
    }
  }

  private parseCommand(terminators: ReadonlySet<string>): void {
    this.skipBlanks();
    const position = this.scanner.position;
    const ahead = this.tokenAhead();
    if (ahead === '') throw new SyntaxStop('a command is missing here (the script ends after an operator)', position);
    if (
      CLOSERS[ahead] !== undefined ||
      ahead === ')' ||
      ahead === ';;' ||
      ahead === '&&' ||
      ahead === '||' ||
      ahead === '|' ||
      ahead === ';' ||
      ahead === '&'
    ) {
      this.unexpected(ahead, position);
    }
    if (OPENERS.has(ahead) || ahead === '(' || ahead === '((') {
      const bodyStart = this.commands.length;
      this.parseCompound(ahead, position);
      this.parseTrailingRedirects();
      this.justParsed = undefined;
      if (ahead === '{' || ahead === '(') {
        const compound: MutableCompound = { kind: ahead, position, bodyStart, bodyEnd: this.commands.length };
        if (this.conditionDepth > 0) compound.condition = true;
        this.compounds.push(compound);
        this.justParsed = compound;
      }
      return;
    }
    this.justParsed = undefined;
    this.parseSimpleCommand(terminators);
  }

  /** A test of `if`, `elif`, `while` or `until`: its commands are marked as a condition. */
  private parseCondition(
    terminators: ReadonlySet<string>,
    opened: { message: string; position: ScriptPosition },
  ): string | undefined {
    this.conditionDepth += 1;
    try {
      return this.parseList(terminators, opened);
    } finally {
      this.conditionDepth -= 1;
    }
  }

  private enter(): void {
    this.depth += 1;
    if (this.depth > MAX_NESTING)
      throw new SyntaxStop(
        `the script nests more than ${MAX_NESTING} levels deep here`,
        this.scanner.position,
        'this is not a script a person wrote; is it the right file?',
      );
  }

  private parseCompound(keyword: string, position: ScriptPosition): void {
    const scanner = this.scanner;
    this.enter();
    try {
      switch (keyword) {
        case 'if':
          return this.parseIf(position);
        case 'while':
        case 'until':
          scanner.skip(keyword.length);
          this.expect(
            this.parseCondition(new Set(['do']), { message: `this '${keyword}' has no 'do'`, position }),
            'do',
            `this '${keyword}' has no 'do'`,
            position,
          );
          return this.parseBody(keyword, position);
        case 'for':
        case 'select':
          return this.parseFor(keyword, position);
        case 'case':
          return this.parseCase(position);
        case '{':
          scanner.next();
          this.expect(
            this.parseList(new Set(['}']), { message: "this '{' is never closed with '}'", position }),
            '}',
            "this '{' is never closed with '}'",
            position,
          );
          scanner.next();
          return;
        case '(':
          scanner.next();
          this.expect(
            this.parseList(new Set([')']), { message: "this '(' is never closed with ')'", position }),
            ')',
            "this '(' is never closed with ')'",
            position,
          );
          scanner.next();
          return;
        case '((':
          scanner.skip(2);
          this.arithmeticCommand(position, '((');
          return;
        case '[[':
          return this.parseDoubleBracket(position);
        case 'function':
          return this.parseFunctionKeyword(position);
      }
    } finally {
      this.depth -= 1;
    }
  }

  private parseIf(position: ScriptPosition): void {
    this.scanner.skip(2);
    this.expect(
      this.parseCondition(new Set(['then']), { message: "this 'if' has no 'then'", position }),
      'then',
      "this 'if' has no 'then'",
      position,
    );
    for (;;) {
      this.scanner.skip(4);
      const next = this.parseList(new Set(['elif', 'else', 'fi']), {
        message: "this 'if' is never closed with 'fi'",
        position,
      });
      this.expect(next, next ?? 'fi', "this 'if' is never closed with 'fi'", position);
      if (next === 'fi') {
        this.scanner.skip(2);
        return;
      }
      if (next === 'else') {
        this.scanner.skip(4);
        this.expect(
          this.parseList(new Set(['fi']), { message: "this 'if' is never closed with 'fi'", position }),
          'fi',
          "this 'if' is never closed with 'fi'",
          position,
        );
        this.scanner.skip(2);
        return;
      }
      this.scanner.skip(4);
      this.expect(
        this.parseCondition(new Set(['then']), { message: "this 'elif' has no 'then'", position }),
        'then',
        "this 'elif' has no 'then'",
        position,
      );
    }
  }

  /** `do ... done` of a loop opened at `position`. */
  private parseBody(keyword: string, position: ScriptPosition): void {
    this.scanner.skip(2);
    const message = `this '${keyword}' loop is never closed with 'done'`;
    this.expect(this.parseList(new Set(['done']), { message, position }), 'done', message, position);
    this.scanner.skip(4);
  }

  private parseFor(keyword: string, position: ScriptPosition): void {
    let list: ForList | undefined;
    this.scanner.skip(keyword.length);
    this.skipBlanks();
    if (this.scanner.startsWith('((')) {
      this.scanner.skip(2);
      this.arithmeticCommand(position, 'for ((');
    } else {
      const name = this.words.read();
      if (name.literal !== undefined) this.loopVariables.push({ name: name.literal, position: name.position });
      this.skipBlanks();
      if (this.tokenAhead() === 'in') {
        this.scanner.skip(2);
        list = { variable: name.literal, words: this.parseWordsToEndOfLine(), position, bodyStart: 0, bodyEnd: 0 };
      }
    }
    const next = this.parseList(new Set(['do', '{']), { message: `this '${keyword}' has no 'do'`, position });
    const bodyStart = this.commands.length;
    if (next === '{') this.parseCompound('{', this.scanner.position);
    else {
      this.expect(next, 'do', `this '${keyword}' has no 'do'`, position);
      this.parseBody(keyword, position);
    }
    if (list && keyword === 'for') this.forLists.push({ ...list, bodyStart, bodyEnd: this.commands.length });
  }

  private parseCase(position: ScriptPosition): void {
    this.scanner.skip(4);
    this.skipBlanks();
    this.words.read();
    this.skipLineBreaks();
    if (this.tokenAhead() !== 'in')
      throw new SyntaxStop("this 'case' has no 'in'", position, 'write: case WORD in PATTERN) ...;; esac');
    this.scanner.skip(2);
    for (;;) {
      this.skipLineBreaks();
      if (this.scanner.atEnd()) throw new SyntaxStop("this 'case' is never closed with 'esac'", position);
      if (this.tokenAhead() === 'esac') {
        this.scanner.skip(4);
        return;
      }
      if (this.scanner.peek() === '(') this.scanner.next();
      for (;;) {
        this.skipBlanks();
        if (this.scanner.atEnd()) throw new SyntaxStop("this 'case' is never closed with 'esac'", position);
        this.words.read();
        this.skipBlanks();
        if (this.scanner.peek() === '|') {
          this.scanner.next();
          continue;
        }
        if (this.scanner.peek() !== ')') {
          // A line with no ')' and no ';;' is no pattern at all but a command after the case: the 'esac' is missing.
          const line = this.scanner.text
            .slice(this.scanner.text.lastIndexOf('\n', this.scanner.offset - 1) + 1)
            .split('\n', 1)[0]!;
          if (!line.includes(')') && !line.includes(';;'))
            throw new SyntaxStop(
              "this 'case' is never closed with 'esac'",
              position,
              `line ${this.scanner.position.line} is a command, not a pattern: put 'esac' before it`,
            );
          throw new SyntaxStop("a 'case' pattern must end with ')'", this.scanner.position);
        }
        this.scanner.next();
        break;
      }
      const end = this.parseList(new Set([';;', ';&', ';;&', 'esac']), {
        message: "this 'case' is never closed with 'esac'",
        position,
        caseBranch: true,
      });
      if (end === undefined) throw new SyntaxStop("this 'case' is never closed with 'esac'", position);
      if (end !== 'esac') this.scanner.skip(end.length);
    }
  }

  /** `(( ... ))` and `for (( ... ))`: the variables they assign are set from here on, as a loop's are. */
  private arithmeticCommand(position: ScriptPosition, opener: string): void {
    const text = this.words.arithmetic(position, opener);
    if (opener === '((') this.arithmeticCommands.push({ text, position });
    for (const name of arithmeticAssignments(text)) this.loopVariables.push({ name, position });
  }

  /**
   * A pattern (`b)`) alone at the start of a line inside a 'case' branch: the branch above it lacks its ';;', which
   * belongs at the end of the line before.
   */
  private missingCaseTerminator(): void {
    const pattern = this.commands.at(-1);
    const text = this.scanner.text;
    const lines = text.slice(0, this.scanner.offset).split('\n');
    const current = lines.at(-1) ?? '';
    if (
      pattern?.words.length !== 1 ||
      pattern.position.line !== lines.length ||
      current.slice(0, pattern.position.column - 1).trim() !== ''
    )
      return;
    let above = lines.length - 1;
    while (above > 1 && /^\s*(#.*)?$/.test(lines[above - 1] ?? '')) above -= 1;
    if (above < 1) return;
    const end = (lines[above - 1] ?? '').replace(/\s+$/, '').length + 1;
    throw new SyntaxStop(
      "this 'case' branch is missing its ';;'",
      { line: above, column: end },
      `line ${lines.length} starts the next pattern ('${current.trim()})')`,
    );
  }

  /** `[[ ... ]]` is one command whose words follow their own rules (`<`, `&&` and `(` are part of the test). */
  private parseDoubleBracket(position: ScriptPosition): void {
    this.scanner.skip(2);
    const words: Word[] = [
      { raw: '[[', parts: [{ kind: 'literal', text: '[[', quoted: false }], position, literal: '[[' },
    ];
    for (;;) {
      this.skipBlanks();
      if (this.scanner.atEnd()) throw new SyntaxStop("this '[[' is never closed with ']]'", position);
      if (this.scanner.peek() === '\n') {
        this.scanner.next();
        continue;
      }
      if (this.scanner.startsWith(']]')) {
        const closer = this.scanner.position;
        this.scanner.skip(2);
        words.push({
          raw: ']]',
          parts: [{ kind: 'literal', text: ']]', quoted: false }],
          position: closer,
          literal: ']]',
        });
        this.recordTestCommand(words, position);
        return;
      }
      // Operators are part of the test; a ';' (as in `[[ -n $a]]; then`, whose ']]' is glued to a word) is skipped,
      // so the search for ']]' goes on to the end rather than reading empty words at the same place forever.
      if ('()<>!&|;'.includes(this.scanner.peek())) {
        this.scanner.next();
        continue;
      }
      const word = this.words.read();
      words.push(word);
      // `[[ -n $a]]`: the closing brackets glued to a word still close the test (the test-brackets rule says so).
      if (word.raw.endsWith(']]')) {
        this.recordTestCommand(words, position);
        return;
      }
    }
  }

  private parseFunctionKeyword(position: ScriptPosition): void {
    this.scanner.skip(8);
    this.skipBlanks();
    const name = this.words.read();
    this.functions.push({ name: name.literal ?? name.raw, position });
    this.skipBlanks();
    if (this.scanner.startsWith('()')) this.scanner.skip(2);
    this.skipLineBreaks();
    this.parseFunctionBody(name.literal ?? name.raw, position);
  }

  /** A function's body: its commands run where it is called, not where it is defined. */
  private parseFunctionBody(name: string, position: ScriptPosition): void {
    const bodyStart = this.commands.length;
    const outerCondition = this.conditionDepth;
    this.conditionDepth = 0;
    try {
      this.parseCommand(new Set());
    } finally {
      this.conditionDepth = outerCondition;
    }
    this.compounds.push({ kind: 'function', name, position, bodyStart, bodyEnd: this.commands.length });
    this.justParsed = undefined;
  }

  private parseSimpleCommand(terminators: ReadonlySet<string>): void {
    const scanner = this.scanner;
    const command: MutableCommand = {
      assignments: [],
      words: [],
      redirects: [],
      position: scanner.position,
      background: false,
      nested: this.depth > 0,
      depth: this.depth,
      ...(this.conditionDepth > 0 ? { condition: true } : {}),
    };
    for (;;) {
      this.skipBlanks();
      const character = scanner.peek();
      if (
        character === '' ||
        character === '\n' ||
        character === ';' ||
        character === '|' ||
        (character === '&' && !scanner.startsWith('&>'))
      )
        break;
      if (character === ')') {
        if (terminators.has(')') || this.depth > 0) break;
        this.unexpected(')', scanner.position);
      }
      // A '#' that starts a word starts a comment (`python train.py  # it's quick`), after words as before them.
      if (character === '#') break;
      if (character === '(') {
        if (command.words.length === 1 && command.assignments.length === 0 && scanner.startsWith('()'))
          return this.parseFunction(command);
        throw new SyntaxStop(
          "unexpected '(' here",
          scanner.position,
          'quote it, or put the command in $( ... ) to use its output',
        );
      }
      const redirect = scanner.match(REDIRECT);
      if (redirect && (character !== '<' && character !== '>' ? true : scanner.peek(1) !== '(')) {
        (command.redirects as Redirect[]).push(this.parseRedirect(redirect[0], redirect[2]!));
        continue;
      }
      const word = this.words.read();
      const assignment = command.words.length === 0 ? ASSIGNMENT.exec(word.raw) : null;
      if (assignment) {
        (command.assignments as Assignment[]).push({ name: assignment[1]!, value: word, position: word.position });
        if (word.raw.endsWith('=') && scanner.peek() === '(') this.parseArray(word.position);
      } else {
        (command.words as Word[]).push(word);
        // `declare -A map=([a]=1)`, `local list=(a b)`: an array value as an argument of a declaration builtin.
        if (
          DECLARATIONS.has(command.words[0]!.raw) &&
          ASSIGNMENT.test(word.raw) &&
          word.raw.endsWith('=') &&
          scanner.peek() === '('
        )
          this.parseArray(word.position);
      }
    }
    this.recordCommand(command, true);
  }

  private parseFunction(command: MutableCommand): void {
    const name = command.words[0]!;
    this.functions.push({ name: name.literal ?? name.raw, position: name.position });
    this.scanner.skip(2);
    this.skipLineBreaks();
    this.enter();
    try {
      this.parseFunctionBody(name.literal ?? name.raw, name.position);
    } finally {
      this.depth -= 1;
    }
  }

  private parseArray(position: ScriptPosition): void {
    this.scanner.next();
    for (;;) {
      this.skipLineBreaks();
      if (this.scanner.atEnd()) throw new SyntaxStop("this array's '(' is never closed with ')'", position);
      if (this.scanner.peek() === ')') {
        this.scanner.next();
        return;
      }
      this.words.read(); // a list word: standing on an operator there is a syntax error, as in bash
    }
  }

  private parseRedirect(text: string, operator: string): Redirect {
    const position = this.scanner.position;
    this.scanner.skip(text.length);
    this.skipBlanks();
    if (this.scanner.atEnd() || '\n;|&'.includes(this.scanner.peek()))
      throw new SyntaxStop(`'${operator}' needs a file name after it`, position);
    const target = this.words.read();
    if (operator !== '<<' && operator !== '<<-') return { operator, target, heredoc: undefined, position };
    const holder: { heredoc: Heredoc | undefined } = { heredoc: undefined };
    this.pendingHeredocs.push({
      delimiter: target.literal ?? target.raw,
      quoted: /['"\\]/.test(target.raw),
      stripTabs: operator === '<<-',
      position,
      redirect: holder,
    });
    return {
      operator,
      target,
      get heredoc() {
        return holder.heredoc;
      },
      position,
    };
  }

  private parseTrailingRedirects(): void {
    for (;;) {
      this.skipBlanks();
      const redirect = this.scanner.match(REDIRECT);
      if (!redirect) return;
      this.parseRedirect(redirect[0], redirect[2]!);
    }
  }

  private parseWordsToEndOfLine(): Word[] {
    const words: Word[] = [];
    for (;;) {
      this.skipBlanks();
      const character = this.scanner.peek();
      if (character === '' || character === '\n' || character === ';' || character === '#') return words;
      words.push(this.words.read()); // a list word: standing on an operator there is a syntax error, as in bash
    }
  }

  /** A `[[ ... ]]` test, recorded as a command of its own (a compound command to bash, never a simple one). */
  private recordTestCommand(words: Word[], position: ScriptPosition): void {
    this.recordCommand(
      {
        assignments: [],
        words,
        redirects: [],
        position,
        background: false,
        nested: this.depth > 1,
        depth: this.depth - 1,
        ...(this.conditionDepth > 0 ? { condition: true } : {}),
      },
      false,
    );
  }

  private recordCommand(command: MutableCommand, simple: boolean): void {
    if (simple && command.words.length + command.assignments.length + command.redirects.length === 0) return;
    this.commands.push(command);
  }

  /** Blanks, line continuations, newlines (reading any heredocs they end), `;` separators and comments. */
  private skipSeparators(terminators: ReadonlySet<string>): void {
    for (;;) {
      this.skipBlanks();
      const character = this.scanner.peek();
      if (character === '\n') this.newline();
      else if (character === ';' && !this.scanner.startsWith(';;') && !this.scanner.startsWith(';&'))
        this.scanner.next();
      else if (character === '#') this.scanner.readLine();
      else if (character === ';' && !terminators.has(';;'))
        this.unexpected(this.scanner.startsWith(';;') ? ';;' : ';&', this.scanner.position);
      else return;
    }
  }

  /** After `&&`, `||` and `|` a command may continue on the next line. */
  private skipLineBreaks(): void {
    for (;;) {
      this.skipBlanks();
      if (this.scanner.peek() === '\n') this.newline();
      else if (this.scanner.peek() === '#') this.scanner.readLine();
      else return;
    }
  }

  private skipBlanks(): void {
    for (;;) {
      const character = this.scanner.peek();
      if (character === ' ' || character === '\t' || character === '\r') this.scanner.next();
      else if (!this.scanner.skipContinuation()) return;
    }
  }

  private newline(): void {
    this.scanner.next();
    this.readHeredocs();
  }

  /**
   * Heredoc bodies start on the line after their `<<`; a body whose closing line never comes is an error at the `<<`.
   */
  private readHeredocs(): void {
    while (this.pendingHeredocs.length) {
      const pending = this.pendingHeredocs.shift()!;
      const bodyStart = this.scanner.position;
      let body = '';
      for (;;) {
        if (this.scanner.atEnd()) {
          throw new SyntaxStop(
            `this heredoc is never closed: no line reads '${pending.delimiter}' after it`,
            pending.position,
            `end the heredoc with a line holding only ${pending.delimiter}` +
              (pending.stripTabs
                ? ' (tabs may precede it with <<-)'
                : ' at the start of the line (spaces before it do not count)'),
          );
        }
        const line = this.scanner.readLine();
        if (this.scanner.peek() === '\n') this.scanner.next();
        const candidate = (pending.stripTabs ? line.replace(/^\t+/, '') : line).replace(/\r$/, '');
        if (candidate === pending.delimiter) break;
        body += `${line}\n`;
      }
      const variables: VariableUse[] = pending.quoted
        ? []
        : variablesIn(
            body,
            bodyStart,
            (scanner) => new WordReader(scanner, this.bodyParser()),
            (text) => new Scanner(text),
          );
      pending.redirect.heredoc = {
        delimiter: pending.delimiter,
        quoted: pending.quoted,
        body,
        bodyStart,
        variables,
        position: pending.position,
      };
    }
  }

  /** Substitutions inside a heredoc body are not parsed as commands here; their variables still count. */
  private bodyParser(): NestedParser {
    return { parseUntilCloseParen: () => [], parseBackquoted: () => [] };
  }

  /** What stands next where a command would: a reserved word, an operator, or '' at the end. */
  private tokenAhead(): string {
    const rest = this.scanner.text.slice(this.scanner.offset, this.scanner.offset + 12);
    // A redirect may come first in a command (`> log.txt` empties a file; `2>/dev/null cmd`).
    if (/^(&>|[<>])/.test(rest)) return 'word';
    const operator = /^(;;&|;;|;&|&&|\|\||\(\(|[;&|()])/.exec(rest);
    if (operator) return operator[1]!;
    const word = /^[^\s;&|<>()]+/.exec(rest)?.[0] ?? '';
    const boundary = METACHARACTERS.has(rest[word.length] ?? ' ') || rest[word.length] === undefined;
    if (boundary && (OPENERS.has(word) || CLOSERS[word] !== undefined || word === '!' || word === '((')) return word;
    return word === '' ? '' : 'word';
  }

  private expect(found: string | undefined, wanted: string, message: string, position: ScriptPosition): void {
    if (found === wanted) return;
    const hint =
      found === undefined
        ? `the script ends before any '${wanted}'`
        : `found '${found}' at line ${this.scanner.position.line} first`;
    throw new SyntaxStop(message, position, hint);
  }

  private unexpected(token: string, position: ScriptPosition): never {
    const reason = CLOSERS[token];
    if (reason) throw new SyntaxStop(`unexpected ${reason}`, position);
    throw new SyntaxStop(
      `unexpected '${token}' here`,
      position,
      token === ')'
        ? "no '(' is open"
        : token === ';;'
          ? "';;' ends a 'case' branch, and no 'case' is open"
          : 'a command is missing before it',
    );
  }
}

function offset(position: ScriptPosition, base: ScriptPosition): ScriptPosition {
  return position.line === 1
    ? { line: base.line, column: base.column + position.column - 1 }
    : { line: base.line + position.line - 1, column: position.column };
}
