import { ruleTable } from '../rule-table.js';

ruleTable('sudo-leaves-venv', [
  {
    name: 'sudo for system packages, pip in the virtualenv without it',
    job: [
      'name: ok',
      'setup: |',
      '  sudo apt-get install -y ffmpeg',
      '  python3 -m venv .venv',
      '  source .venv/bin/activate',
      '  pip install numpy',
      '  sudo apt-get install -y libsndfile1',
      'run: echo',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'sudo pip after activating a virtualenv',
    job: 'name: s\nsetup: |\n  python3 -m venv env\n  . env/bin/activate\n  sudo pip install numpy\nrun: echo\n',
    expect: ['error job.yaml:5:8'],
    says: /sudo resets PATH/,
  },
  {
    name: 'sudo -E python after conda activate',
    job: [
      'name: s',
      'run: |',
      '  eval "$(conda shell.bash hook)"',
      '  conda activate train',
      '  sudo -E python3 -c pass',
      '',
    ].join('\n'),
    expect: ['error job.yaml:5:11'],
  },
  {
    name: 'sudo env PATH="$PATH" keeps the environment',
    job: 'name: s\nsetup: |\n  source .venv/bin/activate\n  sudo env PATH="$PATH" pip install numpy\nrun: echo\n',
    expect: [],
  },
]);
