import { ruleTable } from '../rule-table.js';

const job = 'name: reqs\nsetup: pip install -r requirements.txt\nrun: echo done\n';

ruleTable('framework-pins-conflict', [
  {
    name: 'matching lines',
    job,
    files: {
      'requirements.txt': [
        'torch==2.3.1+cu121',
        'torchvision==0.18.1+cu121',
        'torchaudio==2.3.1+cu121',
        'jax==0.4.30',
        'jaxlib==0.4.30',
        '--extra-index-url https://download.pytorch.org/whl/cu121',
        '',
      ].join('\n'),
    },
    expect: [],
  },
  {
    name: 'tensorflow with its keras',
    job,
    files: { 'requirements.txt': 'tensorflow==2.15.1\nkeras==2.15.0\n' },
    expect: [],
  },
  {
    name: 'ranges and separate installs are not judged',
    job: 'name: reqs\nsetup: |\n  pip install torch==2.3.1\n  pip install "torchvision>=0.15"\nrun: echo\n',
    expect: [],
  },
  {
    name: 'torchvision of another line',
    job,
    files: { 'requirements.txt': 'torch==2.3.1\ntorchvision==0.15.2\n' },
    expect: ['error requirements.txt:2'],
    says: /torch 2\.3 goes with torchvision 0\.18\.x/,
  },
  {
    name: 'torchaudio 0.x with torch 2',
    job: 'name: reqs\nsetup: pip install torch==2.1.2 torchaudio==0.13.1\nrun: echo\n',
    expect: ['error job.yaml:2'],
  },
  {
    name: 'keras 3 with tensorflow 2.15',
    job,
    files: { 'requirements.txt': 'tensorflow==2.15.0\nkeras==3.3.3\n' },
    expect: ['error requirements.txt:2'],
  },
  {
    name: 'jaxlib newer than jax',
    job,
    files: { 'requirements.txt': 'jax==0.4.20\njaxlib==0.4.30\n' },
    expect: ['error requirements.txt:2'],
  },
  {
    name: "pins that cannot go together in a pyproject.toml's dependencies and the extra installed",
    job: 'name: pkg\nsetup: pip install ".[vision]"\nrun: echo\n',
    files: {
      'pyproject.toml':
        '[project]\nname = "pkg"\ndependencies = ["torch==2.3.1"]\n' +
        '[project.optional-dependencies]\nvision = ["torchvision==0.15.2"]\n',
    },
    expect: ['error pyproject.toml:5'],
  },
]);
