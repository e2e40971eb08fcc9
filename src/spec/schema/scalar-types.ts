import { isMap, isScalar, isSeq, type Node as YamlNode, type Scalar } from 'yaml';
import { didYouMean } from '../../util/did-you-mean.js';
import { INVALID, type FieldPath, type ParseContext, type Parsed, type SchemaType } from './schema-type.js';

/** How a node reads in a message: "a list", "the number 10", "the text 'abc'". */
export function describeNode(node: YamlNode | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) return 'nothing (an empty value)';
    if (typeof value === 'number') return `the number ${String(node.source ?? value)}`;
    if (typeof value === 'boolean') return `${String(value)}`;
    if (typeof value === 'string') return `the text '${truncate(value)}'`;
  }
  return 'a value of another kind';
}

function truncate(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 40 || text.includes('\n') ? `${line.slice(0, 40)}...` : line;
}

/** The scalar node, or a reported problem when the node is a list or mapping. */
export function expectScalar(
  node: YamlNode,
  path: FieldPath,
  context: ParseContext,
  expected: string,
): Scalar | undefined {
  if (isScalar(node)) return node;
  context.problem(node, path, `expected ${expected}, found ${describeNode(node)}`, { rule: 'invalid-type' });
  return undefined;
}

export interface CheckFailure {
  message: string;
  suggestion?: string;
  hint?: string;
}

export interface TextOptions {
  description: string;
  expected?: string;
  /** JSON Schema `pattern`; the loader tests the same expression. */
  pattern?: RegExp;
  maxLength?: number;
  examples?: string[];
  /** A friendlier explanation than "does not match the pattern", with a suggestion when one can be made. */
  explain?: (value: string) => CheckFailure | undefined;
}

export function text(options: TextOptions): SchemaType<string> {
  const expected = options.expected ?? 'text';
  return {
    expected,
    jsonSchema: () => ({
      type: 'string',
      description: options.description,
      ...(options.pattern ? { pattern: options.pattern.source } : {}),
      ...(options.maxLength ? { maxLength: options.maxLength } : {}),
      ...(options.examples ? { examples: options.examples } : {}),
    }),
    parse(node, path, context): Parsed<string> {
      const scalar = expectScalar(node, path, context, expected);
      if (!scalar) return INVALID;
      if (typeof scalar.value !== 'string') {
        const hint =
          scalar.value === null
            ? undefined
            : `put it in quotes if it is meant as text: "${String(scalar.source ?? scalar.value)}"`;
        context.problem(node, path, `expected ${expected}, found ${describeNode(node)}`, {
          rule: 'invalid-type',
          ...(hint ? { hint } : {}),
        });
        return INVALID;
      }
      const value = scalar.value;
      const failure =
        options.explain?.(value) ??
        (options.maxLength !== undefined && value.length > options.maxLength
          ? { message: `is ${value.length} characters long; at most ${options.maxLength} are allowed` }
          : undefined) ??
        (options.pattern && !options.pattern.test(value)
          ? { message: `'${truncate(value)}' is not ${expected}` }
          : undefined);
      if (failure) {
        context.problem(node, path, failure.message, { rule: 'invalid-value', ...withoutUndefined(failure) });
        return INVALID;
      }
      return value;
    },
  };
}

function withoutUndefined(failure: CheckFailure): { suggestion?: string; hint?: string } {
  return {
    ...(failure.suggestion !== undefined ? { suggestion: failure.suggestion } : {}),
    ...(failure.hint !== undefined ? { hint: failure.hint } : {}),
  };
}

export interface NumberOptions {
  description: string;
  integer?: boolean;
  minimum?: number;
  /** Smallest value allowed, exclusive (a price may be 0; a lifetime may not). */
  exclusiveMinimum?: number;
  maximum?: number;
  examples?: number[];
}

export function numeric(options: NumberOptions): SchemaType<number> {
  const kind = options.integer ? 'a whole number' : 'a number';
  const bounds = [
    options.minimum !== undefined ? `at least ${options.minimum}` : undefined,
    options.exclusiveMinimum !== undefined ? `more than ${options.exclusiveMinimum}` : undefined,
    options.maximum !== undefined ? `at most ${options.maximum}` : undefined,
  ].filter((bound): bound is string => bound !== undefined);
  const expected = bounds.length ? `${kind} ${bounds.join(' and ')}` : kind;
  return {
    expected,
    jsonSchema: () => ({
      type: options.integer ? 'integer' : 'number',
      description: options.description,
      ...(options.minimum !== undefined ? { minimum: options.minimum } : {}),
      ...(options.exclusiveMinimum !== undefined ? { exclusiveMinimum: options.exclusiveMinimum } : {}),
      ...(options.maximum !== undefined ? { maximum: options.maximum } : {}),
      ...(options.examples ? { examples: options.examples } : {}),
    }),
    parse(node, path, context): Parsed<number> {
      const scalar = expectScalar(node, path, context, expected);
      if (!scalar) return INVALID;
      const value = scalar.value;
      const isNumber = typeof value === 'number' && Number.isFinite(value);
      if (!isNumber || (options.integer && !Number.isInteger(value))) {
        const quoted = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
        context.problem(node, path, `expected ${expected}, found ${describeNode(node)}`, {
          rule: 'invalid-type',
          ...(quoted ? { hint: `remove the quotes: ${value.trim()}` } : {}),
        });
        return INVALID;
      }
      const outOfBounds =
        (options.minimum !== undefined && value < options.minimum) ||
        (options.exclusiveMinimum !== undefined && value <= options.exclusiveMinimum) ||
        (options.maximum !== undefined && value > options.maximum);
      if (outOfBounds) {
        context.problem(node, path, `${String(scalar.source ?? value)} is out of range: expected ${expected}`, {
          rule: 'invalid-value',
        });
        return INVALID;
      }
      return value;
    },
  };
}

export function boolean(description: string): SchemaType<boolean> {
  const expected = 'true or false';
  return {
    expected,
    jsonSchema: () => ({ type: 'boolean', description }),
    parse(node, path, context): Parsed<boolean> {
      const scalar = expectScalar(node, path, context, expected);
      if (!scalar) return INVALID;
      if (typeof scalar.value === 'boolean') return scalar.value;
      // YAML 1.1 spelled booleans yes/no/on/off; YAML 1.2 (what dlrun reads) treats those as text.
      const word = String(scalar.value).toLowerCase();
      const meant = ['yes', 'on', 'y', 'true'].includes(word)
        ? 'true'
        : ['no', 'off', 'n', 'false'].includes(word)
          ? 'false'
          : undefined;
      context.problem(node, path, `expected ${expected}, found ${describeNode(node)}`, {
        rule: 'invalid-type',
        ...(meant ? { suggestion: meant } : {}),
      });
      return INVALID;
    },
  };
}

export function oneOf<const Values extends readonly string[]>(
  values: Values,
  description: string,
): SchemaType<Values[number]> {
  const expected = `one of ${values.join(', ')}`;
  return {
    expected,
    jsonSchema: () => ({ type: 'string', enum: [...values], description }),
    parse(node, path, context): Parsed<Values[number]> {
      const scalar = expectScalar(node, path, context, expected);
      if (!scalar) return INVALID;
      const value = scalar.value;
      if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value;
      const suggestion = typeof value === 'string' ? didYouMean(value, values) : undefined;
      context.problem(node, path, `'${String(scalar.source ?? value)}' is not ${expected}`, {
        rule: 'invalid-value',
        ...(suggestion ? { suggestion } : {}),
      });
      return INVALID;
    },
  };
}
