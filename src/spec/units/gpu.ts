import { INVALID, type Parsed, type SchemaType } from '../schema/schema-type.js';
import { describeNode, expectScalar } from '../schema/scalar-types.js';

/** A GPU request: model name (as the catalogs spell it, upper case) and how many per machine. */
export interface GpuRequest {
  readonly model: string;
  readonly count: number;
}

/** The most GPUs one machine of any of the clouds carries (16 on the largest A100 shapes). */
export const MAX_GPUS_PER_MACHINE = 16;
const GPU = /^([A-Za-z][A-Za-z0-9-]*)(?::([1-9][0-9]*))?$/;
const EXPECTED = 'a GPU like T4, V100:4 or A100:8 (NAME or NAME:COUNT)';

export type GpuParse = { ok: true; gpu: GpuRequest } | { ok: false; message: string; suggestion?: string };

export function parseGpu(text: string): GpuParse {
  const trimmed = text.trim();
  const match = GPU.exec(trimmed);
  if (!match) return { ok: false, message: `'${text}' is not a GPU request`, ...looseSuggestion(trimmed) };
  const count = match[2] === undefined ? 1 : Number(match[2]);
  if (count > MAX_GPUS_PER_MACHINE) {
    return {
      ok: false,
      message:
        `${count} GPUs on one machine is more than any cloud offers (at most ${MAX_GPUS_PER_MACHINE}); ` +
        "use 'nodes' for more machines",
    };
  }
  return { ok: true, gpu: { model: match[1]!.toUpperCase(), count } };
}

/** The request people meant with the common slips "T4 x 2", "T4*2", "2xT4" and "2 T4". */
function looseSuggestion(text: string): { suggestion?: string } {
  const nameFirst = /^([A-Za-z][A-Za-z0-9-]*?)\s*[x*, ]\s*([1-9][0-9]*)$/i.exec(text);
  if (nameFirst) return { suggestion: `${nameFirst[1]!.toUpperCase()}:${nameFirst[2]}` };
  const countFirst = /^([1-9][0-9]*)\s*[x* ]\s*([A-Za-z][A-Za-z0-9-]*)$/i.exec(text);
  if (countFirst) return { suggestion: `${countFirst[2]!.toUpperCase()}:${countFirst[1]}` };
  return {};
}

export function gpu(description: string): SchemaType<GpuRequest> {
  return {
    expected: EXPECTED,
    jsonSchema: () => ({ type: 'string', description, pattern: GPU.source, examples: ['T4', 'V100:4', 'A100:8'] }),
    parse(node, path, context): Parsed<GpuRequest> {
      const scalar = expectScalar(node, path, context, EXPECTED);
      if (!scalar) return INVALID;
      if (typeof scalar.value !== 'string') {
        context.problem(node, path, `expected ${EXPECTED}, found ${describeNode(node)}`, { rule: 'invalid-type' });
        return INVALID;
      }
      const result = parseGpu(scalar.value);
      if (result.ok) return result.gpu;
      context.problem(node, path, result.message, {
        rule: 'invalid-value',
        ...(result.suggestion ? { suggestion: result.suggestion } : {}),
      });
      return INVALID;
    },
  };
}
