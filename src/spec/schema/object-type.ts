import { Document, isMap, isScalar, isSeq, type Node as YamlNode, type Pair, type Scalar } from 'yaml';
import { didYouMean } from '../../util/did-you-mean.js';
import { describeNode } from './scalar-types.js';
import {
  INVALID,
  formatPath,
  type FieldPath,
  type JsonSchema,
  type ParseContext,
  type Parsed,
  type SchemaType,
} from './schema-type.js';

/** A field of an object: its type, whether it must be present, and the default (written as in job.yaml). */
export interface Field<T, Presence extends 'required' | 'optional' | 'defaulted'> {
  readonly type: SchemaType<T>;
  readonly presence: Presence;
  /** The default as a user would write it (`24h`), so the JSON Schema shows it and the loader parses it. */
  readonly defaultInput?: unknown;
}
// biome-ignore lint/suspicious/noExplicitAny: a field of any value type, for the constraint of object schemas
type AnyField = Field<any, 'required' | 'optional' | 'defaulted'>;

export function required<T>(type: SchemaType<T>): Field<T, 'required'> {
  return { type, presence: 'required' };
}
export function optional<T>(type: SchemaType<T>): Field<T, 'optional'> {
  return { type, presence: 'optional' };
}
export function withDefault<T>(type: SchemaType<T>, defaultInput: unknown): Field<T, 'defaulted'> {
  return { type, presence: 'defaulted', defaultInput };
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
// biome-ignore lint/suspicious/noExplicitAny: matches a field of any presence
type FieldValue<F> = F extends Field<infer T, any> ? T : never;
export type ObjectValue<Fields extends Record<string, AnyField>> = Simplify<
  { [K in keyof Fields as Fields[K]['presence'] extends 'optional' ? never : K]: FieldValue<Fields[K]> } & {
    [K in keyof Fields as Fields[K]['presence'] extends 'optional' ? K : never]?: FieldValue<Fields[K]>;
  }
>;

/** Reports a problem about one field of an object (cross-field checks), at that field's place in the file. */
export type FieldReporter = (field: string, message: string, hint?: string) => void;

export interface ObjectOptions<Value> {
  description: string;
  expected?: string;
  /** Checks across fields ("give either hourly_rate or purchase_price"), run once every field parsed. */
  refine?: (value: Value, report: FieldReporter) => void;
  /** Where a key that belongs elsewhere should go ("gpu" at the top level belongs under "resources"). */
  elsewhere?: () => ReadonlyMap<string, string>;
}

const factory = new Document();

/** Parse a default written in job.yaml form into its value, through the same type as a user's input. */
// biome-ignore lint/suspicious/noExplicitAny: a default is parsed the same whatever the field's presence
function parseDefault<T>(field: Field<T, any>, path: FieldPath, context: ParseContext): Parsed<T> {
  return field.type.parse(factory.createNode(field.defaultInput) as YamlNode, path, context);
}

export function object<Fields extends Record<string, AnyField>>(
  fields: Fields,
  options: ObjectOptions<ObjectValue<Fields>>,
): SchemaType<ObjectValue<Fields>> & { readonly fields: Fields } {
  const names = Object.keys(fields);
  const expected = options.expected ?? 'a mapping';
  return {
    fields,
    expected,
    jsonSchema(): JsonSchema {
      const properties: Record<string, JsonSchema> = {};
      for (const [name, field] of Object.entries(fields)) {
        const schema = field.type.jsonSchema();
        properties[name] = field.presence === 'defaulted' ? { ...schema, default: field.defaultInput } : schema;
      }
      const requiredNames = names.filter((name) => fields[name]!.presence === 'required');
      return {
        type: 'object',
        description: options.description,
        properties,
        ...(requiredNames.length ? { required: requiredNames } : {}),
        additionalProperties: false,
      };
    },
    parse(node, path, context): Parsed<ObjectValue<Fields>> {
      if (!isMap(node)) {
        context.problem(node, path, `expected ${expected}, found ${describeNode(node)}`, {
          rule: 'invalid-type',
          ...(isScalar(node) && typeof node.value === 'string' && node.value.includes(':')
            ? { hint: "put a space after each ':' so that YAML reads 'key: value' pairs" }
            : {}),
        });
        return INVALID;
      }
      const pairs = collectPairs(node, path, context);
      const value: Record<string, unknown> = {};
      const fieldNodes = new Map<string, YamlNode | null>();
      const failed = new Set<string>();
      let valid = true;
      for (const [key, { keyNode, valueNode }] of pairs) {
        // Own fields only: a key named toString or __proto__ must be an unknown key, not Object.prototype's.
        const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
        if (!field) {
          reportUnknownKey(key, keyNode, path, names, options.elsewhere?.(), context);
          valid = false;
          continue;
        }
        fieldNodes.set(key, keyNode);
        const fieldPath = [...path, key];
        const resolved = context.resolve(valueNode, fieldPath);
        if (resolved === undefined) {
          failed.add(key);
          continue;
        }
        // An empty value (`setup:` with nothing after it) counts as absent, so defaults still apply.
        if (resolved === null || (isScalar(resolved) && resolved.value === null)) continue;
        const parsed = field.type.parse(resolved, fieldPath, context);
        if (parsed === INVALID) {
          failed.add(key);
          continue;
        }
        context.record(fieldPath, resolved);
        value[key] = parsed;
      }
      if (failed.size) valid = false;
      for (const name of names) {
        if (name in value || failed.has(name)) continue;
        const field = fields[name]!;
        if (field.presence === 'required') {
          const keyNode = fieldNodes.get(name);
          const message = keyNode
            ? `'${formatPath([...path, name])}' is empty: ${describeField(field)}`
            : `missing '${formatPath([...path, name])}': ${describeField(field)}`;
          context.problem(keyNode ?? node, [], message, { rule: 'missing-field' });
          valid = false;
        } else if (field.presence === 'defaulted') {
          const parsed = parseDefault(field, [...path, name], context);
          if (parsed === INVALID) valid = false;
          else value[name] = parsed;
        }
      }
      if (!valid) return INVALID;
      const result = value as ObjectValue<Fields>;
      options.refine?.(result, (field, message, hint) => {
        valid = false;
        const at = fieldNodes.get(field);
        context.problem(at ?? node, [...path, field], message, { rule: 'invalid-value', ...(hint ? { hint } : {}) });
      });
      return valid ? result : INVALID;
    },
  };
}

function describeField(field: AnyField): string {
  const description = field.type.jsonSchema().description;
  return typeof description === 'string' ? description : field.type.expected;
}

export interface PairNodes {
  keyNode: YamlNode | null;
  valueNode: YamlNode | null;
}

/**
 * The mapping's pairs by key, with YAML merge keys (`<<: *defaults`) expanded: keys written in the mapping
 * itself win over merged ones, as YAML specifies.
 */
export function collectPairs(node: YamlNode, path: FieldPath, context: ParseContext): Map<string, PairNodes> {
  const pairs = new Map<string, PairNodes>();
  const merged: Pair[] = [];
  if (!isMap(node)) return pairs;
  // Each mapping is merged once, so a mapping that merges itself (or anchors merged many times over) stays cheap.
  const expanded = new Set<YamlNode>([node]);
  const mergeFrom = (keyNode: YamlNode, value: YamlNode | null): void => {
    const source = context.resolve(value, path);
    const sources = isSeq(source) ? source.items.map((item) => context.resolve(item as YamlNode, path)) : [source];
    for (const mapNode of sources) {
      if (!isMap(mapNode)) {
        context.problem(keyNode, path, `a merge key '<<' needs a mapping, found ${describeNode(mapNode)}`, {
          rule: 'invalid-type',
        });
      } else if (!expanded.has(mapNode)) {
        expanded.add(mapNode);
        // A merged mapping's own keys win over what it merges in turn.
        const nested = mapNode.items.filter((pair) => isMergeKey(pair.key as YamlNode | null));
        merged.push(...mapNode.items.filter((pair) => !nested.includes(pair)));
        for (const pair of nested) mergeFrom(pair.key as YamlNode, pair.value as YamlNode | null);
      }
    }
  };
  for (const pair of node.items) {
    const keyNode = pair.key as YamlNode | null;
    if (isMergeKey(keyNode)) {
      mergeFrom(keyNode, pair.value as YamlNode | null);
      continue;
    }
    if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
      context.problem(keyNode ?? node, path, `a key must be a name, found ${describeNode(keyNode)}`, {
        rule: 'invalid-key',
      });
      continue;
    }
    pairs.set(String(keyNode.value), { keyNode, valueNode: pair.value as YamlNode | null });
  }
  for (const pair of merged) {
    const keyNode = pair.key as YamlNode | null;
    if (isScalar(keyNode) && !pairs.has(String(keyNode.value))) {
      pairs.set(String(keyNode.value), { keyNode, valueNode: pair.value as YamlNode | null });
    }
  }
  return pairs;
}

/** `<<` written plainly; with the merge option the yaml library turns it into a symbol, not the text '<<'. */
function isMergeKey(keyNode: YamlNode | null): keyNode is Scalar {
  if (!isScalar(keyNode) || keyNode.type !== 'PLAIN') return false;
  const value = keyNode.value;
  return value === '<<' || (typeof value === 'symbol' && value.description === '<<');
}

function reportUnknownKey(
  key: string,
  keyNode: YamlNode | null,
  path: FieldPath,
  names: readonly string[],
  elsewhere: ReadonlyMap<string, string> | undefined,
  context: ParseContext,
): void {
  const where = path.length ? `in '${formatPath(path)}'` : 'at the top level';
  const suggestion = didYouMean(key, names);
  const belongs = elsewhere?.get(key);
  const hint = suggestion
    ? undefined
    : belongs
      ? `'${key}' belongs under '${belongs}'`
      : `allowed here: ${names.join(', ')}`;
  context.problem(keyNode, [], `unknown key '${key}' ${where}`, {
    rule: 'unknown-key',
    ...(suggestion ? { suggestion } : {}),
    ...(hint ? { hint } : {}),
  });
}
