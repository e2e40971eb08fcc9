import type { ParsedScript, ScriptPosition, SimpleCommand } from './shell/script-model.js';

/** A script file a job runs, found in one of its scripts. */
export interface ScriptCall {
  /** The file relative to the workdir. */
  readonly path: string;
  readonly caller: ScriptInput;
  readonly command: SimpleCommand;
  readonly how: 'shell' | 'source' | 'executable';
}

/** Where a script is run from: the job file's inline `setup`/`run`, or a script file the job runs. */
export type ScriptOrigin = 'setup' | 'run' | 'file';

/** A place in a file, as findings report it. */
export interface FilePlace {
  readonly line: number;
  readonly column: number | null;
}

/** A script the validator checks: its text, what the parser made of it, and how its lines map into a file. */
export interface ScriptInput {
  /** The file the findings name, relative to the folder of job.yaml (`job.yaml` for inline scripts). */
  readonly file: string;
  readonly origin: ScriptOrigin;
  readonly text: string;
  readonly parsed: ParsedScript;
  /** The folder the script's relative paths start from, relative to the workdir ('' for the workdir itself). */
  readonly directory: string;
  /** Where a position of the script is in `file`. */
  place(position: ScriptPosition): FilePlace;
  /** For a script file: the command that first runs it (`bash x.sh`, `source x.sh`, `./x.sh`). */
  readonly calledBy?: ScriptCall;
}

/**
 * For a script written as a literal block (`run: |`) starting at `line`, indented to `column`: exact lines and columns.
 */
export function blockPlacer(line: number, column: number, exact: boolean): (position: ScriptPosition) => FilePlace {
  if (!exact) return () => ({ line, column: null });
  return (position) => ({ line: line + position.line - 1, column: column + position.column - 1 });
}

/** For a one-line script (`run: python train.py`) starting at `column`. */
export function inlinePlacer(line: number, column: number): (position: ScriptPosition) => FilePlace {
  return (position) => ({
    line: line + position.line - 1,
    column: position.line === 1 ? column + position.column - 1 : position.column,
  });
}

export function identityPlacer(position: ScriptPosition): FilePlace {
  return { line: position.line, column: position.column };
}
