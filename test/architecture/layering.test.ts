import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { checkLayering, cyclesOf, type LayerRow, layerOf, readLayerTable } from '../support/layering.js';
import { REPO_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const ROWS = readLayerTable(readFileSync(path.join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8'));

function describe(report: ReturnType<typeof checkLayering>): string {
  return [
    ...report.problems.map(({ file, line, problem }) => `${file}:${line}: ${problem}`),
    ...report.cycles.map((cycle) => `import cycle: ${cycle.join(' -> ')}`),
  ].join('\n');
}

test('every import of src/ and adapters/ follows the layers table of docs/architecture.md, with no cycle', () => {
  const report = checkLayering(REPO_ROOT, ROWS);
  assert.ok(report.filesChecked > 150, `only ${report.filesChecked} files were checked`);
  assert.equal(describe(report), '');
});

test('the table names every layer it allows, and the contract sits below validate, adapters and core', () => {
  const layers = new Set(ROWS.map((row) => row.layer));
  for (const row of ROWS)
    for (const allowed of row.mayImport) assert.ok(layers.has(allowed), `${row.layer}: ${allowed}`);
  const may = (from: string, to: string): boolean => ROWS.find((row) => row.layer === from)!.mayImport.includes(to);
  assert.ok(may('adapters/*', 'src/backend'));
  assert.ok(!may('src/backend', 'adapters/*'));
  assert.ok(!may('src/validate', 'adapters/*'), 'the validator gets backend rules from its caller, never by import');
  assert.ok(!may('src/cli', 'adapters/*'), 'only the registry reaches an adapter');
  assert.ok(!may('adapters/*', 'src/core'));
  assert.equal(layerOf('src/core/backends.ts', ROWS), 'src/core/backends.ts');
  assert.equal(layerOf('src/core/submit-job.ts', ROWS), 'src/core');
  assert.equal(layerOf('src/cost/catalogs/gpus.ts', ROWS), 'src/cost');
  assert.equal(layerOf('adapters/ec2/ec2-plan.ts', ROWS), 'adapters/*');
});

/** A small tree with one of each mistake the check must catch, beside imports that are fine. */
function plantedTree(root: string): void {
  const files: Record<string, string> = {
    'src/base/errors.ts': "export class E {}\n// import { x } from '../cli/main.js'; a comment is no import\n",
    'src/base/finding.ts': "import type { Job } from '../spec/job.js';\nexport type F = Job;\n",
    'src/spec/job.ts':
      "import { E } from '../base/errors.js';\nexport type Job = { e: E; text: 'from \\'../cli/main.js\\'' };\n",
    'src/cli/main.ts': [
      "import { E } from '../base/errors.js';",
      "import { EC2Client } from '@aws-sdk/client-ec2';",
      "const template = `import('../../adapters/ec2/ec2-backend.js') ${'x'}`;",
      "export const load = () => import('../../adapters/ec2/ec2-backend.js');",
      'export { E, EC2Client, template };',
    ].join('\n'),
    'src/core/backends.ts': [
      "import { backend } from '../../adapters/local/local-backend.js';",
      "export const ec2 = () => import('../../adapters/ec2/ec2-backend.js');",
      'export { backend };',
    ].join('\n'),
    'src/core/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
    'src/core/b.ts': "import type { a } from './a.js';\nexport const b = 1 as unknown as typeof a;\n",
    'adapters/ec2/ec2-backend.ts': "import { backend } from '../local/local-backend.js';\nexport { backend };\n",
    'adapters/local/local-backend.ts': "import { E } from '../../src/base/errors.js';\nexport const backend = E;\n",
    'src/newfolder/x.ts': "import { gone } from '../base/gone.js';\nexport { gone };\n",
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

test('positive control: each planted mistake is reported, and nothing written in a comment or a string is', (t) => {
  const root = tempDir(t);
  plantedTree(root);
  const rows: LayerRow[] = [
    { layer: 'src/base', mayImport: [] },
    { layer: 'src/spec', mayImport: ['src/base'] },
    { layer: 'adapters/*', mayImport: ['src/base'] },
    { layer: 'src/core/backends.ts', mayImport: ['adapters/*'] },
    { layer: 'src/core', mayImport: ['src/base', 'src/core/backends.ts'] },
    { layer: 'src/cli', mayImport: ['src/base', 'src/core'] },
  ];
  const report = checkLayering(root, rows);
  assert.deepEqual(
    report.problems.map(({ file, line, problem }) => `${file}:${line}: ${problem}`),
    [
      "adapters/ec2/ec2-backend.ts:1: imports '../local/local-backend.js': another backend’s folder",
      "src/base/finding.ts:1: imports '../spec/job.js': src/base may not import src/spec",
      "src/cli/main.ts:2: imports '@aws-sdk/client-ec2': a cloud client, which only adapters/* may load",
      "src/cli/main.ts:4: imports '../../adapters/ec2/ec2-backend.js': src/cli may not import adapters/*",
      "src/core/backends.ts:1: imports '../../adapters/local/local-backend.js': " +
        'an adapter is loaded only with `await import`, so commands that do not need it never pay for it',
      'src/newfolder/x.ts:1: no row of the layers table covers this file',
      "src/newfolder/x.ts:1: imports '../base/gone.js': no such file under src/ or adapters/",
    ],
  );
  // A cycle through a type-only import counts.
  assert.deepEqual(report.cycles, [['src/core/a.ts', 'src/core/b.ts']]);
});

test('cycles: a loop of three files and a file importing itself are found; a diamond is not a cycle', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['d']],
    ['e', ['f', 'g']],
    ['f', ['h']],
    ['g', ['h']],
    ['h', []],
  ]);
  assert.deepEqual(cyclesOf(graph), [['a', 'b', 'c'], ['d']]);
});
