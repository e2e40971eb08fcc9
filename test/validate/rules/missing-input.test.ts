import { ruleTable } from '../rule-table.js';

ruleTable('missing-input', [
  {
    name: 'every input shipped',
    job: 'name: ok\nsetup: pip install -r requirements.txt\nrun: |\n  source env.sh\n  cd src\n  python3 train.py < ../config.txt\n',
    files: {
      'requirements.txt': 'numpy\n',
      'env.sh': 'export A=1\n',
      'src/train.py': 'print(1)\n',
      'config.txt': 'x\n',
    },
    expect: [],
  },
  {
    name: 'a missing training script',
    job: 'name: missing\nrun: python3 trian.py\n',
    files: { 'train.py': '' },
    expect: ['error job.yaml:2:14'],
    says: /script 'trian\.py' is not in the workdir/,
  },
  {
    name: 'a missing requirements file',
    job: 'name: missing\nsetup: pip install -r requirement.txt\nrun: echo\n',
    expect: ['error job.yaml:2:23'],
  },
  {
    name: 'a missing sourced file',
    job: 'name: missing\nrun: |\n  source setup_env.sh\n',
    expect: ['error job.yaml:3:10'],
  },
  {
    name: 'a missing cd target',
    job: 'name: missing\nrun: |\n  cd experiments\n  python3 train.py\n',
    expect: ['error job.yaml:3:6'],
  },
  {
    name: 'torchrun and accelerate scripts',
    job: 'name: launch\nrun: |\n  torchrun --nproc_per_node 8 --master_port 1234 main.py\n  accelerate launch --num_processes 2 finetune.py\n',
    expect: ['error job.yaml:3:50', 'error job.yaml:4:39'],
  },
  {
    name: 'a file .dlrunignore leaves home',
    job: 'name: ignored\nrun: python3 data/make.py\n',
    files: { 'data/make.py': 'print(1)\n', '.dlrunignore': 'data/\n' },
    expect: ['error job.yaml:2:14'],
    says: /stays home: \.dlrunignore leaves it out/,
  },
  {
    name: 'files the job creates first are not inputs',
    job: 'name: created\nsetup: |\n  python3 -m venv .venv\n  mkdir -p configs\n  echo "lr: 1" > configs/train.yaml\n  git clone https://github.com/example/tools.git\n  wget https://example.com/get.sh\nrun: |\n  source .venv/bin/activate\n  bash get.sh\n  cd tools\n  python3 setup.py\n  cat < configs/train.yaml\n',
    expect: [],
  },
  {
    name: 'after unpacking an archive, a missing input is only a warning',
    job: 'name: unpacked\nsetup: tar -xzf code.tar.gz\nrun: python3 train.py\n',
    files: { 'code.tar.gz': 'x' },
    expect: ['warning job.yaml:3:14'],
  },
  { name: 'the outputs folder exists before setup', job: 'name: outputs\nrun: cd outputs\n', expect: [] },
  {
    name: 'paths with variables, globs and absolute paths are not checked here',
    job: 'name: dynamic\nrun: |\n  python3 "$SCRIPT"\n  cat data/*.csv > /dev/null\n  python3 /opt/app/train.py\n',
    expect: [],
  },
]);
