import type { ScriptPosition } from './script-model.js';

/** Characters of a script with the line and column of each, for a parser that reads them one at a time. */
export class Scanner {
  private index = 0;
  private lineNumber = 1;
  private columnNumber = 1;

  constructor(readonly text: string) {}

  get position(): ScriptPosition {
    return { line: this.lineNumber, column: this.columnNumber };
  }

  get offset(): number {
    return this.index;
  }

  atEnd(): boolean {
    return this.index >= this.text.length;
  }

  peek(ahead = 0): string {
    return this.text[this.index + ahead] ?? '';
  }

  /** Match a sticky (`y`) expression at the current offset, without copying the rest of the text. */
  match(sticky: RegExp): RegExpExecArray | null {
    sticky.lastIndex = this.index;
    return sticky.exec(this.text);
  }

  startsWith(prefix: string): boolean {
    return this.text.startsWith(prefix, this.index);
  }

  next(): string {
    const character = this.text[this.index] ?? '';
    this.index += 1;
    if (character === '\n') {
      this.lineNumber += 1;
      this.columnNumber = 1;
    } else {
      this.columnNumber += 1;
    }
    return character;
  }

  skip(count: number): void {
    for (let i = 0; i < count; i++) this.next();
  }

  /** Skip a backslash-newline (line continuation); true when one was there. */
  skipContinuation(): boolean {
    if (this.peek() === '\\' && this.peek(1) === '\n') {
      this.skip(2);
      return true;
    }
    return false;
  }

  /** The rest of the current line (without its newline), consumed. */
  readLine(): string {
    const end = this.text.indexOf('\n', this.index);
    const stop = end === -1 ? this.text.length : end;
    const line = this.text.slice(this.index, stop);
    this.skip(stop - this.index);
    return line;
  }
}
