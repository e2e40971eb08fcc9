import { ruleTable } from '../rule-table.js';

const SETUP = 'setup: |\n  python3 -m venv .venv\n  source .venv/bin/activate\n  pip install -r requirements.txt\n';
const FILES = { 'requirements.txt': 'numpy\n', 'train.py': 'pass\n' };

ruleTable('venv-not-active', [
  {
    name: 'run activates the virtualenv too',
    job: `name: ok\n${SETUP}run: |\n  source .venv/bin/activate\n  python train.py\n`,
    files: FILES,
    expect: [],
  },
  {
    name: "run calls the virtualenv's python by its path",
    job: `name: ok\n${SETUP}run: .venv/bin/python train.py\n`,
    files: FILES,
    expect: [],
  },
  {
    name: 'setup installs without activating: no virtualenv to lose',
    job: 'name: ok\nsetup: pip install -r requirements.txt\nrun: python train.py\n',
    files: FILES,
    expect: [],
  },
  {
    name: 'run forgets to activate',
    job: `name: lost\n${SETUP}run: |\n  echo start\n  python train.py\n`,
    files: FILES,
    expect: ['error job.yaml:8:3'],
    says: /source \.venv\/bin\/activate/,
  },
  {
    name: 'run forgets it in the script file it runs',
    job: `name: lost\n${SETUP}run: bash train.sh\n`,
    files: { ...FILES, 'train.sh': 'set -e\ntorchrun --nproc_per_node 1 train.py\n' },
    expect: ['error train.sh:2:1'],
  },
  {
    name: "an image's own environment activated in setup (its PATH has it anyway)",
    job:
      'name: ok\nsetup: |\n  source /opt/conda/bin/activate\n' +
      '  pip install -r requirements.txt\nrun: python train.py\n',
    files: FILES,
    expect: [],
  },
  {
    name: 'a virtualenv made by uv venv',
    job:
      'name: uv\nsetup: |\n  uv venv\n  . .venv/bin/activate\n' +
      '  pip install -r requirements.txt\nrun: python train.py\n',
    files: FILES,
    expect: ['error job.yaml:6:6'],
  },
]);
