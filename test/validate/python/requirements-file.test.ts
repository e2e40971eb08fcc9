import assert from 'node:assert/strict';
import { test } from 'vitest';
import { readRequirement } from '../../../src/validate/python/requirement-line.js';
import { decodeRequirements, logicalLines, splitLine } from '../../../src/validate/python/requirements-file.js';

test('requirements files are decoded as pip decodes them: UTF-8, or UTF-16/32 by their byte-order mark', () => {
  const text = 'numpy==1.26.4\r\ntorch\r\n';
  assert.equal(decodeRequirements(Buffer.from(`\ufeff${text}`, 'utf8')), text);
  assert.equal(decodeRequirements(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])), text);
  const bigEndian = Buffer.from(text, 'utf16le').swap16();
  assert.equal(decodeRequirements(Buffer.concat([Buffer.from([0xfe, 0xff]), bigEndian])), text);
  assert.equal(decodeRequirements(Buffer.from(text, 'utf8')), text);
});

test('logical lines: continuations joined, comments dropped, each at the line it starts on', () => {
  const lines = logicalLines(
    ['# a comment', 'numpy==1.26.4 \\', '    --hash=sha256:abc', '', 'torch  # pinned below', 'url#frag'].join('\n'),
  );
  assert.deepEqual(
    lines.map((line) => [line.line, line.text]),
    [
      [2, 'numpy==1.26.4     --hash=sha256:abc'],
      [5, 'torch'],
      [6, 'url#frag'],
    ],
  );
});

test('a line splits into its requirement and its options, as pip splits it', () => {
  assert.deepEqual(splitLine('torch==2.3.1 --hash=sha256:abc'), {
    requirement: 'torch==2.3.1',
    options: [{ name: '--hash', value: 'sha256:abc' }],
  });
  assert.deepEqual(splitLine('-rbase.txt'), { requirement: '', options: [{ name: '-r', value: 'base.txt' }] });
  assert.deepEqual(splitLine('-e ./pkg[dev]'), { requirement: '', options: [{ name: '-e', value: './pkg[dev]' }] });
});

test('requirements are told apart as pip tells them: URL, path or archive, PEP 508', () => {
  assert.equal(readRequirement('git+https://github.com/a/b.git#egg=b').kind, 'url');
  assert.equal(readRequirement('./libs/x').kind, 'path');
  assert.equal(readRequirement('dist/x-1.0-py3-none-any.whl').kind, 'path');
  assert.equal(readRequirement('x-1.0.tar.gz').kind, 'path');
  const at = readRequirement('pkg[a] @ https://example.com/pkg.zip ; python_version >= "3.9"');
  assert.deepEqual(
    [at.kind, at.name, at.url, at.marker],
    ['requirement', 'pkg', 'https://example.com/pkg.zip', 'python_version >= "3.9"'],
  );
  const pinned = readRequirement('Torch_Vision == 0.18.1+cu121; sys_platform == "linux"');
  assert.equal(pinned.name, 'torch-vision');
  assert.deepEqual(pinned.specifiers, [{ operator: '==', version: '0.18.1+cu121' }]);
  assert.match(readRequirement('torch=2.3.1').problem ?? '', /use '==' \(torch==2\.3\.1\)/);
  assert.equal(readRequirement('thop==0.1.1-2209072238').problem, undefined);
  assert.equal(readRequirement('scipy (>=1.10, <2)').problem, undefined);
});
