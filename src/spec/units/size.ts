import { INVALID, type Parsed, type SchemaType } from '../schema/schema-type.js';
import { describeNode, expectScalar } from '../schema/scalar-types.js';

/**
 * Sizes in GiB. The clouds' catalogs count memory and disks in GiB while calling them "GB", so GB and GiB
 * (and G, Gi) all mean 2^30 bytes here; MB/MiB and TB/TiB scale by 1024.
 */
const GIB_PER_UNIT: Readonly<Record<string, number>> = {
  M: 1 / 1024,
  Mi: 1 / 1024,
  MB: 1 / 1024,
  MiB: 1 / 1024,
  G: 1,
  Gi: 1,
  GB: 1,
  GiB: 1,
  T: 1024,
  Ti: 1024,
  TB: 1024,
  TiB: 1024,
};
const SIZE = /^([0-9]+(?:\.[0-9]+)?) ?(M|Mi|MB|MiB|G|Gi|GB|GiB|T|Ti|TB|TiB)$/;

export type SizeParse = { ok: true; gib: number } | { ok: false; message: string; suggestion?: string };

export function parseSize(text: string): SizeParse {
  const match = SIZE.exec(text.trim());
  if (match) {
    const gib = Number(match[1]) * GIB_PER_UNIT[match[2]!]!;
    if (gib <= 0) return { ok: false, message: `'${text}' is zero` };
    return { ok: true, gib };
  }
  const number = /^([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)$/.exec(text.trim());
  if (number && number[2] === '') return { ok: false, message: `'${text}' has no unit`, suggestion: `${number[1]}GB` };
  const unit = number?.[2];
  const canonical = unit
    ? Object.keys(GIB_PER_UNIT).find((name) => name.toLowerCase() === unit.toLowerCase())
    : undefined;
  return {
    ok: false,
    message: `'${text}' is not a size`,
    ...(number && canonical ? { suggestion: `${number[1]}${canonical}` } : {}),
  };
}

const EXPECTED = 'a size like 16GB, 512MB or 1TB';

export function size(description: string): SchemaType<number> {
  return {
    expected: EXPECTED,
    jsonSchema: () => ({ type: 'string', description, pattern: SIZE.source, examples: ['16GB', '100GB'] }),
    parse(node, path, context): Parsed<number> {
      const scalar = expectScalar(node, path, context, EXPECTED);
      if (!scalar) return INVALID;
      if (typeof scalar.value !== 'string' && typeof scalar.value !== 'number') {
        context.problem(node, path, `expected ${EXPECTED}, found ${describeNode(node)}`, { rule: 'invalid-type' });
        return INVALID;
      }
      const result = parseSize(String(scalar.source ?? scalar.value));
      if (result.ok) return result.gib;
      context.problem(node, path, `${result.message}; expected ${EXPECTED} (GB and GiB both mean GiB)`, {
        rule: 'invalid-value',
        ...(result.suggestion ? { suggestion: result.suggestion } : {}),
      });
      return INVALID;
    },
  };
}
