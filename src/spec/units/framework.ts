import { didYouMean } from '../../util/did-you-mean.js';
import { INVALID, type Parsed, type SchemaType } from '../schema/schema-type.js';
import { describeNode, expectScalar } from '../schema/scalar-types.js';

export const FRAMEWORKS = ['pytorch', 'tensorflow', 'jax'] as const;
export type FrameworkName = (typeof FRAMEWORKS)[number];

/** The framework a job trains with, pinned to one version, for GPU compatibility checks. */
export interface FrameworkPin {
  readonly name: FrameworkName;
  readonly version: string;
}

/** Names people write for the frameworks, as pip packages or nicknames. */
const ALIASES: Readonly<Record<string, FrameworkName>> = {
  torch: 'pytorch',
  'tensorflow-gpu': 'tensorflow',
  tf: 'tensorflow',
  'tensorflow-cpu': 'tensorflow',
  jaxlib: 'jax',
};
/** Versions used in suggestions only ("pytorch" alone gets "pytorch==2.3.1"). */
const EXAMPLE_VERSIONS: Readonly<Record<FrameworkName, string>> = {
  pytorch: '2.3.1',
  tensorflow: '2.16.1',
  jax: '0.4.30',
};
const VERSION = '[0-9]+(?:\\.[0-9]+){0,3}(?:[a-z0-9.+-]*)';
const FRAMEWORK = new RegExp(`^(${FRAMEWORKS.join('|')})==(${VERSION})$`);
const EXPECTED = `a framework pin like pytorch==2.3.1 (${FRAMEWORKS.join(', ')})`;

export type FrameworkParse =
  | { ok: true; framework: FrameworkPin }
  | { ok: false; message: string; suggestion?: string };

export function parseFramework(text: string): FrameworkParse {
  const trimmed = text.trim();
  const match = FRAMEWORK.exec(trimmed);
  if (match) return { ok: true, framework: { name: match[1] as FrameworkName, version: match[2]! } };
  const loose = /^([A-Za-z][A-Za-z0-9_-]*)\s*(==|=|>=|<=|~=|>|<|@|\s)?\s*(.*)$/.exec(trimmed);
  const rawName = (loose?.[1] ?? trimmed).toLowerCase();
  const name = (FRAMEWORKS as readonly string[]).includes(rawName)
    ? (rawName as FrameworkName)
    : ((Object.hasOwn(ALIASES, rawName) ? ALIASES[rawName] : undefined) ??
      (didYouMean(rawName, FRAMEWORKS) as FrameworkName | undefined));
  const version = loose?.[3]?.trim() ?? '';
  if (!name)
    return { ok: false, message: `'${rawName}' is not a framework dlrun knows; expected ${FRAMEWORKS.join(', ')}` };
  if (!version)
    return {
      ok: false,
      message: `'${text}' gives no version; pin one so GPU compatibility can be checked`,
      suggestion: `${name}==${EXAMPLE_VERSIONS[name]}`,
    };
  const operator = loose?.[2];
  if (operator && ['>=', '<=', '~=', '>', '<'].includes(operator)) {
    return {
      ok: false,
      message: `'${text}' is a range; pin the exact version with '=='`,
      suggestion: `${name}==${version}`,
    };
  }
  const written = loose?.[1] ?? trimmed;
  if (written !== name)
    return {
      ok: false,
      message: `'${written}' is not how dlrun names the framework; write '${name}'`,
      suggestion: `${name}==${version}`,
    };
  return { ok: false, message: `'${text}' is not written as NAME==VERSION`, suggestion: `${name}==${version}` };
}

export function framework(description: string): SchemaType<FrameworkPin> {
  return {
    expected: EXPECTED,
    jsonSchema: () => ({
      type: 'string',
      description,
      pattern: FRAMEWORK.source,
      examples: ['pytorch==2.3.1', 'tensorflow==2.16.1'],
    }),
    parse(node, path, context): Parsed<FrameworkPin> {
      const scalar = expectScalar(node, path, context, EXPECTED);
      if (!scalar) return INVALID;
      if (typeof scalar.value !== 'string') {
        context.problem(node, path, `expected ${EXPECTED}, found ${describeNode(node)}`, { rule: 'invalid-type' });
        return INVALID;
      }
      const result = parseFramework(scalar.value);
      if (result.ok) return result.framework;
      context.problem(node, path, result.message, {
        rule: 'invalid-value',
        ...(result.suggestion ? { suggestion: result.suggestion } : {}),
      });
      return INVALID;
    },
  };
}
