import { ruleTable } from '../rule-table.js';

const FILES = { 'train.py': 'pass\n', 'eval.py': 'pass\n' };

ruleTable('hidden-failure', [
  {
    name: 'pipefail before the pipe, tools piped, failures handled',
    job: [
      'name: ok',
      'run: |',
      '  set -euo pipefail',
      '  python train.py 2>&1 | tee "$DLRUN_OUTPUT_DIR/train.log"',
      '  python3 -c "import torch" | cat',
      '  python eval.py || { echo "evaluation failed" >&2; exit 1; }',
      '  nvidia-smi || true',
      '',
    ].join('\n'),
    files: FILES,
    expect: [],
  },
  {
    name: 'PIPESTATUS read after the pipe',
    job: 'name: ok\nrun: |\n  python train.py | tee log.txt\n  exit "${PIPESTATUS[0]}"\n',
    files: FILES,
    expect: [],
  },
  {
    name: "the inline run has pipefail (dlrun runs it with 'bash -eo pipefail')",
    job: 'name: tee\nrun: python train.py --epochs 3 | tee "$DLRUN_OUTPUT_DIR/log.txt"\n',
    files: FILES,
    expect: [],
  },
  {
    name: 'a script file run with bash starts without pipefail',
    job: 'name: tee\nrun: bash train.sh\n',
    files: { ...FILES, 'train.sh': 'set -e\npython train.py --epochs 3 | tee "$DLRUN_OUTPUT_DIR/log.txt"\n' },
    expect: ['warning train.sh:2:1'],
    says: /pipefail/,
  },
  {
    name: 'set +o pipefail turns it off in the inline run',
    job: 'name: tee\nrun: |\n  set +o pipefail\n  python train.py | tee log.txt\n',
    files: FILES,
    expect: ['warning job.yaml:4:3'],
  },
  {
    name: "under set -e, a failure on the left of '&&' with more after the list",
    job: 'name: and\nrun: |\n  python train.py && echo "trained"\n  cp -r runs "$DLRUN_OUTPUT_DIR/"\n',
    files: FILES,
    expect: ['warning job.yaml:3:3'],
    says: /set -e does not stop/,
  },
  {
    name: "'&&' as the last list, handled with '|| exit', or in a condition",
    job: [
      'name: and',
      'run: |',
      '  python train.py && echo "trained" || exit 1',
      '  if python train.py && python eval.py; then echo ok; fi',
      '  python train.py && python eval.py',
      '',
    ].join('\n'),
    files: FILES,
    expect: [],
  },
  {
    name: 'a launcher followed by || true',
    job: 'name: or-true\nrun: |\n  torchrun --nproc_per_node 2 train.py || true\n  python eval.py\n',
    files: FILES,
    expect: ['warning job.yaml:3:3'],
  },
  {
    name: 'a script file with its own shell does not inherit the caller pipefail',
    job: 'name: file\nrun: |\n  set -o pipefail\n  bash train.sh\n',
    files: { ...FILES, 'train.sh': 'python train.py | tee train.log\n' },
    expect: ['warning train.sh:1:1'],
  },
  {
    name: 'a bash -lc string that runs the training, piped in a script file without pipefail',
    job: 'name: tee\nrun: bash run.sh\n',
    files: { ...FILES, 'run.sh': 'set -e\nbash -lc "python train.py --epochs 3" | tee train.log\n' },
    expect: ['warning run.sh:2:1'],
  },
  {
    name: 'bash -c with a script name after the string runs the string, not the file ($0)',
    job: 'name: tee\nrun: bash run.sh\n',
    files: { ...FILES, 'run.sh': 'bash -c "echo start" train.sh | tee log.txt\n', 'train.sh': 'python train.py\n' },
    expect: [],
  },
  {
    name: "options given on bash's command line count for the file: bash -eo pipefail train.sh",
    job: 'name: tee\nrun: |\n  bash -eo pipefail run.sh\n  bash -e run2.sh\n',
    files: {
      ...FILES,
      'run.sh': 'python train.py | tee train.log\n',
      'run2.sh': 'python train.py | tee train.log\n',
    },
    expect: ['warning run2.sh:1:1'],
  },
]);
