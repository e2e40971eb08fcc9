import type { Node as YamlNode } from 'yaml';

/** A fragment of JSON Schema (draft 2020-12), as the generator emits it. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** Where a value sits in the job file, e.g. `['resources', 'gpu']`. */
export type FieldPath = readonly (string | number)[];

export function formatPath(path: FieldPath): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : part))
    .join('.')
    .replaceAll('.[', '[');
}

/** Returned by a parse that reported a problem; the caller drops the value. */
export const INVALID: unique symbol = Symbol('invalid');
export type Parsed<T> = T | typeof INVALID;

export interface ProblemOptions {
  rule?: string;
  suggestion?: string;
  hint?: string;
}

/** What a type needs from the walk over the YAML document: aliases resolved, problems and positions recorded. */
export interface ParseContext {
  /** Follow aliases (`*name`) to the node they stand for; reports a problem and returns undefined when it cannot. */
  resolve(node: YamlNode | null | undefined, path: FieldPath): YamlNode | null | undefined;
  /** Record an error at a node (or, when it has no position, at the nearest parent that has one). */
  problem(node: YamlNode | null | undefined, path: FieldPath, message: string, options?: ProblemOptions): void;
  /** Remember where a field was written, so later checks (validator rules) can point at it. */
  record(path: FieldPath, node: YamlNode | null | undefined): void;
}

/**
 * One type of the job file schema. The same object validates a YAML node (keeping positions) and emits its
 * JSON Schema, so the loader and the published schema cannot drift apart.
 */
export interface SchemaType<T> {
  /** A short phrase for messages: "a duration like 4h or 1h30m". */
  readonly expected: string;
  jsonSchema(): JsonSchema;
  parse(node: YamlNode, path: FieldPath, context: ParseContext): Parsed<T>;
}

export type Infer<S> = S extends SchemaType<infer T> ? T : never;
