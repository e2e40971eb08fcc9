import { ruleTable } from '../rule-table.js';

ruleTable('sensitive-files', [
  {
    name: 'a workdir with no secrets',
    job: 'name: ok\nrun: python train.py\n',
    files: { 'train.py': 'print(1)\n', '.env.example': 'TOKEN=\n' },
    expect: [],
  },
  {
    name: 'a .env kept home is a note on the workdir line, never on the file (its line would be printed)',
    job: 'name: ok\nworkdir: .\nrun: python train.py\n',
    files: { 'train.py': 'print(1)\n', '.env': 'TOKEN=hunter2\n' },
    expect: ['info job.yaml:2:10'],
    says: /\.env stays home: it holds secrets.*!\.env/,
  },
  {
    name: 'with workdir left to its default, the note is on the first line',
    job: 'name: ok\nrun: python train.py\n',
    files: { 'train.py': 'print(1)\n', 'deploy/id_ed25519': 'key\n', 'deploy/id_ed25519.pub': 'public\n' },
    expect: ['info job.yaml:1'],
    says: /deploy\/id_ed25519 stays home: it holds a private key/,
  },
  {
    name: 'a !rule in .dlrunignore that ships a secret is a warning at that line',
    job: 'name: ok\nrun: python train.py\n',
    files: { 'train.py': 'print(1)\n', '.env': 'TOKEN=hunter2\n', '.dlrunignore': 'data/\n!.env\n' },
    expect: ['warning .dlrunignore:2:1'],
    says: /'!\.env' ships \.env, which holds secrets/,
  },
  {
    name: 'a !rule in .gitignore ships nothing: still kept home',
    job: 'name: ok\nrun: python train.py\n',
    files: { 'train.py': 'print(1)\n', '.env': 'TOKEN=hunter2\n', '.gitignore': '!.env\n' },
    expect: ['info job.yaml:1'],
  },
  {
    name: 'a secret the ignore file leaves out anyway is not reported again',
    job: 'name: ok\nrun: python train.py\n',
    files: { 'train.py': 'print(1)\n', '.env': 'TOKEN=hunter2\n', '.dlrunignore': '.env\n' },
    expect: [],
  },
]);
