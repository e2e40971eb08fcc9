import { ruleTable } from '../rule-table.js';

ruleTable('editable-not-buildable', [
  {
    name: 'projects pip can build',
    job: [
      'name: pkg',
      'setup: |',
      '  pip install -e .[train]',
      '  pip install ./libs/tok',
      '  pip install -e vendor/legacy',
      '  git clone https://github.com/org/extra.git && pip install -e extra',
      'run: echo',
      '',
    ].join('\n'),
    files: { 'pyproject.toml': '', 'libs/tok/setup.py': '', 'vendor/legacy/setup.cfg': '' },
    expect: [],
  },
  {
    name: '-e . in a workdir with no project file',
    job: 'name: pkg\nsetup: |\n  pip install -r requirements.txt\n  pip install -e .\nrun: python train.py\n',
    files: { 'requirements.txt': 'numpy\n', 'train.py': '' },
    expect: ['error job.yaml:4'],
    says: /no pyproject\.toml, setup\.py or setup\.cfg/,
  },
  {
    name: '-e ./src in a requirements file',
    job: 'name: pkg\nsetup: pip install -r requirements.txt\nrun: echo\n',
    files: { 'requirements.txt': 'numpy\n-e ./src\n', 'src/model.py': '' },
    expect: ['error requirements.txt:2'],
  },
  {
    name: 'a setup.py that .dlrunignore leaves home',
    job: 'name: pkg\nsetup: pip install -e .\nrun: echo\n',
    files: { 'setup.py': '', '.dlrunignore': 'setup.py\n' },
    expect: ['error job.yaml:2'],
    says: /not shipped/,
  },
  {
    name: 'a non-editable install of a folder with no project file',
    job: 'name: pkg\nsetup: |\n  pip install --upgrade pip\n  pip install ".[train]"\nrun: echo\n',
    files: { 'train.py': '' },
    expect: ['error job.yaml:4'],
  },
  {
    name: "-e . in a conda environment file's pip section: the environment file's folder",
    job: 'name: env\nsetup: |\n  conda env create -f environment.yml\n  conda env create -f envs/dev.yml\nrun: echo\n',
    files: {
      'pyproject.toml': '[project]\nname = "x"\n',
      'environment.yml': 'dependencies:\n  - pip:\n    - -e .\n',
      'envs/dev.yml': 'dependencies:\n  - pip\n  - pip:\n    - --editable .\n',
    },
    expect: ['error envs/dev.yml:4'],
  },
]);
