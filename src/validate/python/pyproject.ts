/**
 * The dependencies of a pyproject.toml, read by a small TOML reader of the subset they use: `[project]`'s
 * `dependencies` and `[project.optional-dependencies]`'s arrays of strings (basic and literal, over several lines,
 * with comments and a trailing comma). The rest of the file is read only to skip it correctly (every kind of string,
 * arrays, inline tables, bare values); anything the reader does not understand makes the whole file unreadable, and
 * an unreadable file gives nothing: it is never guessed at. (No TOML parser is among dlrun's dependencies.)
 */

/** One dependency string, where it is written (1-based line and column of its opening quote). */
export interface PyprojectEntry {
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

export interface PyprojectDependencies {
  /** `[project].name`, in normal form, when it is given. */
  readonly name: string | undefined;
  /** `[project].dependencies`; undefined when the file has none (or declares them `dynamic`). */
  readonly dependencies: readonly PyprojectEntry[] | undefined;
  /** `[project.optional-dependencies]`, by extra name in normal form. */
  readonly optional: ReadonlyMap<string, readonly PyprojectEntry[]>;
}

class Unreadable extends Error {}

/** What a value read was: the strings of an array of strings, or something else. */
type Value = { readonly strings: PyprojectEntry[] | undefined; readonly string?: string };

/** The dependencies of a pyproject.toml, or undefined when the file cannot be read with certainty. */
export function pyprojectDependencies(text: string): PyprojectDependencies | undefined {
  try {
    return new Reader(text.replace(/^\uFEFF/, '')).read();
  } catch (error) {
    if (error instanceof Unreadable) return undefined;
    throw error;
  }
}

/** An extra's name as pip compares them (PEP 685). */
export function normaliseExtra(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

class Reader {
  private offset = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  read(): PyprojectDependencies {
    let table: string[] = [];
    let dependencies: PyprojectEntry[] | undefined;
    let name: string | undefined;
    const optional = new Map<string, PyprojectEntry[]>();
    const seen = new Set<string>();
    for (;;) {
      this.skipBlankLines();
      if (this.atEnd()) break;
      if (this.peek() === '[') {
        const array = this.text.startsWith('[[', this.offset);
        this.offset += array ? 2 : 1;
        table = this.keyPath(array ? ']]' : ']');
        this.endOfLine();
        continue;
      }
      const key = this.keyPath('=');
      const value = this.value();
      this.endOfLine();
      const full = [...table, ...key].join('\u0000');
      // A key given twice is an invalid file: pip's build backend refuses it, and it is not ours to pick one.
      if (seen.has(full)) throw new Unreadable();
      seen.add(full);
      if (table.length === 1 && table[0] === 'project' && key.length === 1 && key[0] === 'name')
        name = value.string?.toLowerCase().replace(/[-_.]+/g, '-');
      else if (table.length === 1 && table[0] === 'project' && key.length === 1 && key[0] === 'dependencies') {
        if (!value.strings) throw new Unreadable();
        dependencies = value.strings;
      } else if (table.join('.') === 'project.optional-dependencies' && key.length === 1) {
        if (!value.strings) throw new Unreadable();
        optional.set(normaliseExtra(key[0]!), value.strings);
      } else if (table.length === 1 && table[0] === 'project' && key[0] === 'optional-dependencies') {
        // `optional-dependencies = { ... }` or dotted keys inside [project]: a form this reader does not take apart.
        throw new Unreadable();
      } else if (table.length === 0 && key[0] === 'project') throw new Unreadable();
    }
    return { name, dependencies, optional };
  }

  /** Dotted keys (`a.b`, `"a.b".c`) up to `end` (`=`, `]` or `]]`), consumed. */
  private keyPath(end: string): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipSpaces();
      const character = this.peek();
      if (character === '"' || character === "'") {
        const text = this.string().text;
        parts.push(text);
      } else {
        const bare = /[A-Za-z0-9_-]+/y;
        bare.lastIndex = this.offset;
        const match = bare.exec(this.text);
        if (!match) throw new Unreadable();
        parts.push(match[0]);
        this.offset += match[0].length;
      }
      this.skipSpaces();
      if (this.peek() === '.') {
        this.offset += 1;
        continue;
      }
      if (!this.text.startsWith(end, this.offset)) throw new Unreadable();
      this.offset += end.length;
      return parts;
    }
  }

  private value(): Value {
    this.skipSpaces();
    const character = this.peek();
    if (character === '"' || character === "'") return { strings: undefined, string: this.string().text };
    if (character === '[') return this.array();
    if (character === '{') {
      this.inlineTable();
      return { strings: undefined };
    }
    // A number, a boolean, a date: up to what ends a value.
    const bare = /[A-Za-z0-9_:.+-]+(?: [0-9:.+Z-]+)?/y;
    bare.lastIndex = this.offset;
    const match = bare.exec(this.text);
    if (!match) throw new Unreadable();
    this.offset += match[0].length;
    return { strings: undefined };
  }

  private array(): Value {
    this.offset += 1;
    let strings: PyprojectEntry[] | undefined = [];
    for (;;) {
      this.skipBlankLines();
      if (this.peek() === ']') {
        this.offset += 1;
        return { strings };
      }
      const character = this.peek();
      if ((character === '"' || character === "'") && !this.text.startsWith(character.repeat(3), this.offset)) {
        const entry = this.string();
        strings?.push(entry);
      } else {
        this.value();
        strings = undefined;
      }
      this.skipBlankLines();
      if (this.peek() === ',') this.offset += 1;
      else if (this.peek() !== ']') throw new Unreadable();
    }
  }

  private inlineTable(): void {
    this.offset += 1;
    this.skipSpaces();
    if (this.peek() === '}') {
      this.offset += 1;
      return;
    }
    for (;;) {
      this.keyPath('=');
      this.value();
      this.skipSpaces();
      if (this.peek() === ',') {
        this.offset += 1;
        continue;
      }
      if (this.peek() !== '}') throw new Unreadable();
      this.offset += 1;
      return;
    }
  }

  /** A string of any of TOML's four kinds; single-line ones with their place. */
  private string(): PyprojectEntry {
    const quote = this.peek();
    const line = this.line;
    const column = this.offset - this.lineStart + 1;
    if (this.text.startsWith(quote.repeat(3), this.offset)) {
      const close = this.text.indexOf(quote.repeat(3), this.offset + 3);
      if (close < 0) throw new Unreadable();
      let end = close + 3;
      // `"""a""""`: up to two quotes right before the closing three belong to the string.
      while (this.text[end] === quote && end < close + 5) end += 1;
      this.advanceTo(end);
      return { text: '', line, column };
    }
    this.offset += 1;
    let text = '';
    for (;;) {
      const character = this.text[this.offset];
      if (character === undefined || character === '\n' || character === '\r') throw new Unreadable();
      this.offset += 1;
      if (character === quote) return { text, line, column };
      if (character === '\\' && quote === '"') {
        const escaped = this.text[this.offset];
        this.offset += 1;
        const simple: Record<string, string> = { '"': '"', '\\': '\\', b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' };
        if (escaped !== undefined && simple[escaped] !== undefined) text += simple[escaped];
        else if (escaped === 'u' || escaped === 'U') {
          const length = escaped === 'u' ? 4 : 8;
          const hex = this.text.slice(this.offset, this.offset + length);
          if (!new RegExp(`^[0-9A-Fa-f]{${length}}$`).test(hex)) throw new Unreadable();
          text += String.fromCodePoint(Number.parseInt(hex, 16));
          this.offset += length;
        } else throw new Unreadable();
      } else text += character;
    }
  }

  /** Spaces, tabs, newlines and comments. */
  private skipBlankLines(): void {
    for (;;) {
      this.skipSpaces();
      const character = this.peek();
      if (character === '#') {
        const end = this.text.indexOf('\n', this.offset);
        this.offset = end < 0 ? this.text.length : end;
      } else if (character === '\n' || character === '\r') this.advanceTo(this.offset + 1);
      else return;
    }
  }

  /** After a table header or a key's value: only a comment may follow on the line. */
  private endOfLine(): void {
    this.skipSpaces();
    if (this.peek() === '#') {
      const end = this.text.indexOf('\n', this.offset);
      this.offset = end < 0 ? this.text.length : end;
    }
    if (this.peek() === '\r') this.offset += 1;
    if (!this.atEnd() && this.peek() !== '\n') throw new Unreadable();
  }

  private skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.offset += 1;
  }

  /** Moves to `end`, counting the lines passed. */
  private advanceTo(end: number): void {
    for (let index = this.offset; index < end; index++) {
      if (this.text[index] === '\n') {
        this.line += 1;
        this.lineStart = index + 1;
      }
    }
    this.offset = end;
  }

  private peek(): string {
    return this.text[this.offset] ?? '';
  }

  private atEnd(): boolean {
    return this.offset >= this.text.length;
  }
}
