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
    name: 'training piped into tee without pipefail',
    job: 'name: tee\nrun: |\n  set -e\n  python train.py --epochs 3 | tee "$DLRUN_OUTPUT_DIR/log.txt"\n',
    files: FILES,
    expect: ['warning job.yaml:4:3'],
    says: /pipefail/,
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
]);
