import { isScalar, isSeq, isMap, type Node as YamlNode } from 'yaml';
import { collectPairs } from './object-type.js';
import { describeNode } from './scalar-types.js';
import { INVALID, type Parsed, type SchemaType, type FieldPath } from './schema-type.js';

export interface ListOptions {
  description: string;
  /** Report an item that appears twice. */
  unique?: boolean;
}

export function list<T>(item: SchemaType<T>, options: ListOptions): SchemaType<T[]> {
  const expected = `a list of ${item.expected}`;
  return {
    expected,
    jsonSchema: () => ({
      type: 'array',
      description: options.description,
      items: item.jsonSchema(),
      ...(options.unique ? { uniqueItems: true } : {}),
    }),
    parse(node, path, context): Parsed<T[]> {
      if (!isSeq(node)) {
        context.problem(node, path, `expected ${expected}, found ${describeNode(node)}`, { rule: 'invalid-type' });
        return INVALID;
      }
      const values: T[] = [];
      let valid = true;
      for (const [index, raw] of node.items.entries()) {
        const itemPath = [...path, index];
        const itemNode = context.resolve(raw as YamlNode | null, itemPath);
        if (itemNode === undefined) {
          valid = false;
          continue;
        }
        if (itemNode === null) {
          context.problem(node, itemPath, `empty list item; expected ${item.expected}`, { rule: 'invalid-value' });
          valid = false;
          continue;
        }
        const value = item.parse(itemNode, itemPath, context);
        if (value === INVALID) {
          valid = false;
          continue;
        }
        if (options.unique && values.includes(value)) {
          context.problem(itemNode, itemPath, `'${String(value)}' is listed twice`, { rule: 'duplicate-value' });
          valid = false;
          continue;
        }
        context.record(itemPath, itemNode);
        values.push(value);
      }
      return valid ? values : INVALID;
    },
  };
}

export interface TextMapOptions {
  description: string;
  keyPattern: RegExp;
  keyExpected: string;
  /** A reason a key may not be used (a reserved name), or undefined. */
  forbidKey?: (key: string) => string | undefined;
}

/**
 * A mapping of names to scalar values kept exactly as written (`EPOCHS: 10` stays "10", `LR: 1e-3` stays
 * "1e-3", `DEBUG: true` stays "true"): these become environment variables, and YAML's idea of a number would
 * otherwise rewrite them ("1.10" would become "1.1").
 */
export function textMap(options: TextMapOptions): SchemaType<Record<string, string>> {
  const expected = `a mapping of ${options.keyExpected} to values`;
  return {
    expected,
    jsonSchema: () => ({
      type: 'object',
      description: options.description,
      propertyNames: { pattern: options.keyPattern.source },
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    }),
    parse(node, path, context): Parsed<Record<string, string>> {
      if (!isMap(node)) {
        context.problem(node, path, `expected ${expected}, found ${describeNode(node)}`, { rule: 'invalid-type' });
        return INVALID;
      }
      const values: Record<string, string> = {};
      let valid = true;
      // Merge keys (`<<: *common`) are expanded like in any other mapping.
      for (const [key, { keyNode, valueNode: pairValue }] of collectPairs(node, path, context)) {
        if (!options.keyPattern.test(key)) {
          context.problem(keyNode ?? node, path, `'${key}' is not ${options.keyExpected}`, { rule: 'invalid-key' });
          valid = false;
          continue;
        }
        const entryPath: FieldPath = [...path, key];
        const forbidden = options.forbidKey?.(key);
        if (forbidden) {
          context.problem(keyNode, entryPath, forbidden, { rule: 'invalid-key' });
          valid = false;
          continue;
        }
        const valueNode = context.resolve(pairValue, entryPath);
        if (valueNode === undefined) {
          valid = false;
          continue;
        }
        if (!isScalar(valueNode) || valueNode.value === null) {
          context.problem(
            valueNode ?? keyNode,
            entryPath,
            `expected a single value, found ${describeNode(valueNode)}`,
            {
              rule: 'invalid-type',
              hint:
                valueNode === null || isScalar(valueNode)
                  ? `write ${key}: "" for an empty value`
                  : 'environment values are single lines of text',
            },
          );
          valid = false;
          continue;
        }
        // A plain scalar keeps its source text; a quoted or block scalar's value is already the text written.
        const value =
          valueNode.type === 'PLAIN' && valueNode.source !== undefined ? valueNode.source : String(valueNode.value);
        // Defined, not assigned: assigning a variable named __proto__ would set the object's prototype instead.
        Object.defineProperty(values, key, { value, enumerable: true, writable: true, configurable: true });
        context.record(entryPath, valueNode);
      }
      return valid ? values : INVALID;
    },
  };
}
