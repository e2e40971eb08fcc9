import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { BACKEND_NAMES } from '../../src/spec/backend-names.js';
import { tokenize } from '../support/import-scanner.js';
import { sourceFiles } from '../support/layering.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * Generic code names no backend (docs/architecture.md, Layers): what one provider needs lives in its adapter folder
 * and is reached through the registry, or is data in a catalog. Comments may name providers; code may not.
 */
const GENERIC = ['src/cost', 'src/core', 'src/validate', 'src/cli'];
/** Data and the one table from names to adapters, which name backends by design. */
const NOT_GENERIC = ['src/cost/catalogs/', 'src/validate/catalogs/', 'src/core/backends.ts'];
/** Files where `'local'` is bash's `local` builtin, not the backend. */
const BASH_LOCAL = new Set([
  'src/validate/shell/parser.ts',
  'src/validate/script-variables.ts',
  'src/validate/rules/errexit-ignored.ts',
]);
/** Identifiers that carry a provider's name: `ec2Price`, `isEc2BillingFacts`, `vertexMachine`, `RESCALE_...`. */
const PROVIDER_WORD = /(^|[a-z_])(ec2|vertex|rescale)|Ec2|EC2|Vertex|VERTEX|Rescale|RESCALE/;

function backendNamesIn(file: string, text: string): string[] {
  const found: string[] = [];
  for (const token of tokenize(text)) {
    if (token.kind === 'string' && (BACKEND_NAMES as readonly string[]).includes(token.text)) {
      if (token.text === 'local' && BASH_LOCAL.has(file)) continue;
      found.push(`${file}:${token.line}: '${token.text}'`);
    } else if (token.kind === 'word' && PROVIDER_WORD.test(token.text)) {
      found.push(`${file}:${token.line}: ${token.text}`);
    }
  }
  return found;
}

test(
  'generic code (src/cost, src/core, src/validate, src/cli) names no backend ' + 'outside catalogs and the registry',
  () => {
    const files = sourceFiles(REPO_ROOT, GENERIC).filter((file) => !NOT_GENERIC.some((part) => file.startsWith(part)));
    assert.ok(files.length > 100, `only ${files.length} files were read`);
    const named = files.flatMap((file) => backendNamesIn(file, readFileSync(path.join(REPO_ROOT, file), 'utf8')));
    assert.deepEqual(named, []);
  },
);

test('positive control: a name test, a provider-named function and a table key are caught; comments are not', () => {
  const text = [
    "// EC2 bills per second: a comment may say so, and so may a 'string about ec2 prices'.",
    "if (backend === 'ec2') return ec2Price(job);",
    "const table = { vertex: 1, 'rescale': 2 };",
    'const { isEc2BillingFacts } = rules;',
    "const local = 'local';",
  ].join('\n');
  assert.deepEqual(backendNamesIn('src/core/x.ts', text), [
    "src/core/x.ts:2: 'ec2'",
    'src/core/x.ts:2: ec2Price',
    'src/core/x.ts:3: vertex',
    "src/core/x.ts:3: 'rescale'",
    'src/core/x.ts:4: isEc2BillingFacts',
    "src/core/x.ts:5: 'local'",
  ]);
  assert.deepEqual(backendNamesIn('src/validate/shell/parser.ts', "const words = ['local', 'export'];"), []);
});
