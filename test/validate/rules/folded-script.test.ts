import { ruleTable } from '../rule-table.js';

ruleTable('folded-script', [
  {
    name: "a long command folded with '>', its options a line each",
    job: [
      'name: ok',
      'run: >',
      '  python3 -c pass',
      '  --epochs 10',
      '  --lr 3e-4',
      '  data/train.csv',
      'setup: >-',
      '  pip install -r requirements.txt &&',
      '  python3 -c pass',
      '',
    ].join('\n'),
    files: { 'requirements.txt': 'numpy\n', 'data/train.csv': 'x\n' },
    expect: [],
  },
  {
    name: "'>' keeps the line breaks around blank and more-indented lines",
    job: 'name: ok\nrun: >\n  echo start\n\n  python3 -c pass\n    echo deeper\n',
    expect: [],
  },
  {
    name: "commands one a line under '>' become one command",
    job: 'name: folded\nsetup: >\n  pip install -r requirements.txt\n  python3 -c pass\nrun: echo\n',
    files: { 'requirements.txt': 'numpy\n' },
    expect: ['error job.yaml:4'],
    says: /setup: \|/,
  },
  {
    name: 'a plain value over two lines',
    job: 'name: plain\nrun: mkdir -p out\n  python3 -c pass\n',
    expect: ['error job.yaml:3'],
  },
  {
    name: 'a comment line in a folded block swallows the commands after it',
    job: 'name: comment\nrun: >\n  echo start\n  # train\n  python3 -c pass\n',
    expect: ['error job.yaml:5'],
  },
  {
    name: 'package names one a line after an install, some named like commands',
    job:
      'name: ok\nsetup: >\n  apt-get install -y\n  git\n  python3\n' +
      'run: >\n  pip install --upgrade\n  pip\n  wandb\n',
    expect: [],
  },
  {
    name: 'a command with its options after an install is no package',
    job: 'name: pkgs\nsetup: >\n  pip install --upgrade pip\n  pip install -r requirements.txt\nrun: echo\n',
    files: { 'requirements.txt': 'numpy\n' },
    expect: ['error job.yaml:4'],
  },
  {
    name: 'a folded line of variables or a launcher runs the next line as its command',
    job: [
      'name: ok',
      'setup: >',
      '  CUDA_VISIBLE_DEVICES=0,1 OMP_NUM_THREADS=4',
      '  python3 -c pass',
      'run: >',
      '  mpirun -np 4 --bind-to none',
      '  python3 -c pass',
      '',
    ].join('\n'),
    expect: [],
  },
]);
