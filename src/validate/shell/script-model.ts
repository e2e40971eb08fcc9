/** Positions in a script are 1-based lines and columns of the script's own text; ScriptSource maps them to files. */
export interface ScriptPosition {
  readonly line: number;
  readonly column: number;
}

/** A `$NAME` or `${NAME...}` in a word or a heredoc. */
export interface VariableUse {
  readonly name: string;
  /**
   * The expansion operator of `${NAME<op>...}` (`:-`, `-`, `:=`,
   * `=`, `:?`, `?`, `:+`, `+`, `#`, `%`, `/`, ...), or undefined.
   */
  readonly operator: string | undefined;
  readonly position: ScriptPosition;
}

export type WordPart =
  | { readonly kind: 'literal'; readonly text: string; readonly quoted: boolean }
  | { readonly kind: 'variable'; readonly use: VariableUse; readonly quoted: boolean }
  | { readonly kind: 'substitution'; readonly commands: readonly SimpleCommand[]; readonly position: ScriptPosition }
  | { readonly kind: 'arithmetic'; readonly text: string; readonly position: ScriptPosition };

/** A shell word as written, and what it is made of. */
export interface Word {
  readonly raw: string;
  readonly parts: readonly WordPart[];
  readonly position: ScriptPosition;
  /** The word's value when it has no expansion (quotes removed), else undefined. */
  readonly literal: string | undefined;
}

export interface Assignment {
  readonly name: string;
  readonly value: Word | undefined;
  readonly position: ScriptPosition;
}

export interface Heredoc {
  readonly delimiter: string;
  /** A quoted delimiter (`<<'EOF'`) turns expansion off in the body. */
  readonly quoted: boolean;
  readonly body: string;
  /** Where the body's first line is. */
  readonly bodyStart: ScriptPosition;
  /** Variables the body expands (none when the delimiter is quoted). */
  readonly variables: readonly VariableUse[];
  readonly position: ScriptPosition;
}

export interface Redirect {
  readonly operator: string;
  readonly target: Word | undefined;
  readonly heredoc: Heredoc | undefined;
  readonly position: ScriptPosition;
}

/** One simple command: `VAR=x cmd arg > file`. Compound commands are flattened into the simple commands they hold. */
export interface SimpleCommand {
  readonly assignments: readonly Assignment[];
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
  readonly position: ScriptPosition;
  /** Ended with `&`. */
  readonly background: boolean;
  /** Inside a condition, loop or function body, or a substitution: not always run. */
  readonly nested: boolean;
  /** Its output goes into a pipe (`cmd | tee log`): without pipefail, the pipeline's status is the last command's. */
  readonly pipesInto?: boolean;
  /** Followed by `||`: its failure runs the other side instead of failing the script (`cmd || true`). */
  readonly orElse?: boolean;
  /** Followed by `&&`: under `set -e` its failure does not stop the script, it only skips the other side. */
  readonly andThen?: boolean;
  /** The last command of its and-or list (`a && b || c`: c), where its status is the list's. */
  readonly endsList?: boolean;
  /** In the test of an `if`, `elif`, `while` or `until`, where `set -e` is ignored. */
  readonly condition?: boolean;
  /** Its pipeline starts with `!`, where `set -e` is ignored. */
  readonly negated?: boolean;
  /** How many constructs (compound commands, function bodies, substitutions) it is inside; 0 at the top. */
  readonly depth?: number;
}

/**
 * A compound command run as one: a `{ ...; }` group, a `( ... )` subshell, or the body of a function definition, as a
 * range of the script's commands (`commands.slice(bodyStart, bodyEnd)`), with how its status is used (as a simple
 * command's flags say: `{ a; b; } || c` has `orElse`).
 */
export interface CompoundCommand {
  readonly kind: '{' | '(' | 'function';
  /** The function's name, for a function body. */
  readonly name?: string;
  readonly position: ScriptPosition;
  readonly bodyStart: number;
  readonly bodyEnd: number;
  readonly andThen?: boolean;
  readonly orElse?: boolean;
  readonly condition?: boolean;
  readonly negated?: boolean;
}

export interface SyntaxProblem {
  readonly message: string;
  readonly position: ScriptPosition;
  readonly hint?: string;
}

/** A `for NAME in WORDS; do ...; done` loop: its words, and its body as a range of the script's commands. */
export interface ForList {
  readonly variable: string | undefined;
  readonly words: readonly Word[];
  /** Where the `for` is. */
  readonly position: ScriptPosition;
  /** The body's commands: `commands.slice(bodyStart, bodyEnd)`. */
  readonly bodyStart: number;
  readonly bodyEnd: number;
}

/** What a script is made of, in source order. */
export interface ParsedScript {
  readonly commands: readonly SimpleCommand[];
  /** Variables set by `for NAME in`, `select`, `(( NAME = ... ))` and `for (( NAME = ... ))`. */
  readonly loopVariables: readonly { readonly name: string; readonly position: ScriptPosition }[];
  readonly functions: readonly { readonly name: string; readonly position: ScriptPosition }[];
  /** `(( ... ))` commands (not `for ((` headers): their expression, and where the `((` is. */
  readonly arithmeticCommands?: readonly { readonly text: string; readonly position: ScriptPosition }[];
  /** `for NAME in WORDS` loops, in the order their bodies end. */
  readonly forLists?: readonly ForList[];
  /** Groups, subshells and function bodies, in the order their bodies end. */
  readonly compounds?: readonly CompoundCommand[];
  /** The first syntax error; parsing stops there, as bash does. */
  readonly syntaxError: SyntaxProblem | undefined;
}
