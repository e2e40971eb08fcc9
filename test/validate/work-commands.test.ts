import assert from 'node:assert/strict';
import { test } from 'vitest';
import { shellOperand, shellRun } from '../../src/validate/command-words.js';
import { parseScript } from '../../src/validate/shell/parser.js';
import { isWorkCommand } from '../../src/validate/work-commands.js';

const words = (line: string) =>
  parseScript(line)
    .commands[0]!.words.slice(1)
    .map((word) => word.literal);

test("bash's arguments read as bash reads them: the script file, or the command string of -c", () => {
  const cases: [string, ReturnType<typeof shellRun>][] = [
    ['bash train.sh --epochs 3', { kind: 'file', index: 0 }],
    ['bash -eo pipefail train.sh', { kind: 'file', index: 2 }],
    ['bash -O extglob -x -- run.sh', { kind: 'file', index: 4 }],
    ['bash --rcfile env.sh train.sh', { kind: 'file', index: 2 }],
    ['bash -lc "python train.py"', { kind: 'command', index: 1 }],
    ['bash -c -e "python train.py" name', { kind: 'command', index: 2 }],
    ['bash -eo pipefail -c "python train.py"', { kind: 'command', index: 3 }],
    ['bash -c "$CMD"', { kind: 'command', index: undefined }],
    ['bash -c', { kind: 'command', index: undefined }],
    ['bash -s arg', undefined],
    ['bash', undefined],
    ['bash "$SCRIPT"', undefined],
    ['bash - < x.sh', undefined],
  ];
  for (const [line, expected] of cases) assert.deepEqual(shellRun(words(line)), expected, line);
  // The callers that follow script files see what they saw before: the file's index, 'command', or nothing.
  assert.equal(shellOperand(words('bash -eo pipefail train.sh')), 2);
  assert.equal(shellOperand(words('bash -c "$CMD"')), 'command');
  assert.equal(shellOperand(words('bash "$X" -c')), undefined);
  assert.equal(shellOperand(words('bash -c "echo" run.sh')), 'command');
});

test('work commands: a script file given to bash with options, a -c string that runs a training program', () => {
  const work = (line: string) => isWorkCommand(parseScript(line).commands.at(-1)!);
  assert.equal(work('bash -eo pipefail scripts/train.sh'), true);
  assert.equal(work('bash -lc "python train.py --epochs 3"'), true);
  assert.equal(work('sh -c "cd src && torchrun --nproc_per_node 8 train.py"'), true);
  assert.equal(work('bash -c "echo done" run.sh'), false);
  assert.equal(work('bash -c "nvidia-smi; python -c \'import torch\'"'), false);
  assert.equal(work('bash --rcfile env.sh'), false);
  assert.equal(work('bash -c "$CMD"'), false);
});
