import { INVALID, type Parsed, type SchemaType } from '../schema/schema-type.js';
import { describeNode, expectScalar } from '../schema/scalar-types.js';
import { DURATION, parseDuration } from './duration-text.js';

export { parseDuration, type DurationParse } from './duration-text.js';

const EXAMPLES = 'like 90s, 45m, 4h, 2d or 1h30m';

/** A duration in seconds; with `allowUnlimited`, the word `unlimited` gives null (no limit). */
export function duration(description: string, options: { allowUnlimited?: boolean } = {}): SchemaType<number | null> {
  const expected = `a duration ${EXAMPLES}${options.allowUnlimited ? ", or 'unlimited'" : ''}`;
  const pattern = options.allowUnlimited ? `^(?:unlimited|${DURATION.source.slice(1, -1)})$` : DURATION.source;
  return {
    expected,
    jsonSchema: () => ({ type: 'string', description, pattern, examples: ['45m', '4h', '1h30m'] }),
    parse(node, path, context): Parsed<number | null> {
      const scalar = expectScalar(node, path, context, expected);
      if (!scalar) return INVALID;
      if (options.allowUnlimited && scalar.value === 'unlimited') return null;
      if (typeof scalar.value !== 'string' && typeof scalar.value !== 'number') {
        context.problem(node, path, `expected ${expected}, found ${describeNode(node)}`, { rule: 'invalid-type' });
        return INVALID;
      }
      const result = parseDuration(String(scalar.source ?? scalar.value));
      if (result.ok) return result.seconds;
      context.problem(node, path, `${result.message}; expected ${expected}`, {
        rule: 'invalid-value',
        ...(result.suggestion ? { suggestion: result.suggestion } : {}),
      });
      return INVALID;
    },
  };
}
