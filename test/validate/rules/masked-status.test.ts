import { ruleTable } from '../rule-table.js';

ruleTable('masked-status', [
  {
    name: 'assigned first, or a quick look-up that cannot fail the job',
    job: [
      'name: ok',
      'run: |',
      '  BEST=$(python pick.py)',
      '  export BEST',
      '  export NPROC=$(nproc)',
      '  export TORCH_VERSION=$(python -c "import torch; print(torch.__version__)")',
      '',
    ].join('\n'),
    files: { 'pick.py': 'print("a")\n' },
    expect: [],
  },
  {
    name: "export of a program's output",
    job: 'name: masked\nrun: |\n  export BEST_CKPT=$(python pick.py --metric val_loss)\n  python3 -c pass\n',
    files: { 'pick.py': 'print("a")\n' },
    expect: ['warning job.yaml:3:10'],
    says: /returns export's status/,
  },
  {
    name: 'local in a function of a script file',
    job: 'name: masked\nrun: bash run.sh\n',
    files: {
      'run.sh': 'prepare() {\n  local shards=$(python prepare.py)\n  echo "$shards"\n}\nprepare\n',
      'prepare.py': '',
    },
    expect: ['warning run.sh:2:9'],
  },
]);
