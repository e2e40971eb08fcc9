import { visibleText } from './visible-text.js';

/** Where a command prints: data on stdout, progress and diagnostics on stderr (JOB-SPEC.md section 2). */
export interface CliIo {
  readonly cwd: string;
  /** Whether stdout / stderr are terminals (live lines and prompts need one). */
  readonly stdoutIsTerminal: boolean;
  readonly stderrIsTerminal: boolean;
  /** Colour per stream: only on a terminal, and never under NO_COLOR (https://no-color.org). */
  readonly colorOut: boolean;
  readonly colorErr: boolean;
  out(text: string): void;
  err(text: string): void;
}

export function processIo(noColor: boolean): CliIo {
  const colorful = (terminal: boolean): boolean => !noColor && terminal && process.env.TERM !== 'dumb';
  // Whatever a command prints may hold words dlrun did not write (a provider's message, a job's end reason):
  // no control character reaches the terminal raw (visible-text.ts).
  const line = (text: string): string => visibleText(text.endsWith('\n') ? text : `${text}\n`);
  const stdoutIsTerminal = process.stdout.isTTY === true;
  const stderrIsTerminal = process.stderr.isTTY === true;
  return {
    cwd: process.cwd(),
    stdoutIsTerminal,
    stderrIsTerminal,
    colorOut: colorful(stdoutIsTerminal),
    colorErr: colorful(stderrIsTerminal),
    out: (text) => void process.stdout.write(line(text)),
    err: (text) => void process.stderr.write(line(text)),
  };
}
