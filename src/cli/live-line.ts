import { visibleText } from './visible-text.js';

/**
 * One status line on stderr that rewrites itself on a terminal, with the job's output printed above it;
 * without a terminal (CI logs, pipes) it prints a plain line whenever the status text changes.
 */
export class LiveLine {
  private shown = '';
  private lastPrinted = '';
  private partialOutput = '';

  constructor(
    private readonly write: (text: string) => void,
    private readonly terminal: boolean,
  ) {}

  /** Show a new status. */
  update(status: string): void {
    if (this.terminal) {
      this.shown = visibleText(status).replace(/\n/g, ' ');
      this.write(`\r\u001b[K${this.shown}`);
    } else if (status !== this.lastPrinted) {
      this.write(`${status}\n`);
    }
    this.lastPrinted = status;
  }

  /** Print output above the status line; whole lines only, so the status line never splits one. */
  output(text: string): void {
    const lines = (this.partialOutput + text).split('\n');
    this.partialOutput = lines.pop() ?? '';
    if (lines.length === 0) return;
    this.clear();
    // On a terminal, the job's output (and a provider's words in dlrun's warnings) is shown, never obeyed.
    const shown = `${lines.join('\n')}\n`;
    this.write(this.terminal ? visibleText(shown, { keepCarriageReturns: true }) : shown);
    this.redraw();
  }

  /** Flush output that did not end with a newline, and leave the status line as the last line. */
  finish(): void {
    if (this.partialOutput) this.output('\n');
    if (this.terminal && this.shown) this.write('\n');
    this.shown = '';
  }

  private clear(): void {
    if (this.terminal && this.shown) this.write('\r\u001b[K');
  }

  private redraw(): void {
    if (this.terminal && this.shown) this.write(this.shown);
  }
}
