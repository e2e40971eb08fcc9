import { ruleTable } from '../rule-table.js';

const TRAIN = 'import sys\nprint(sys.argv)\n';

ruleTable('unmatched-glob', [
  {
    name: 'a pattern on the run line that matches nothing in a shipped folder',
    job: 'name: glob\nrun: python3 train.py --data data/*.csv\n',
    files: { 'train.py': TRAIN, 'data/train.parquet': 'x' },
    expect: ['warning job.yaml:2:30'],
    says: /data\/\*\.csv matches nothing in the shipped workdir.*pattern itself/,
  },
  {
    name: "a 'for' loop over a pattern that matches nothing runs once with the pattern",
    job: 'name: glob\nrun: |\n  for f in data/*.npy; do\n    python3 train.py "$f"\n  done\n',
    files: { 'train.py': TRAIN, 'data/readme.md': 'x' },
    expect: ['warning job.yaml:3:12'],
    says: /'for' loops once/,
  },
  {
    name: 'an editable install of the workdir, or a look at a folder, does not fill it',
    job: 'name: glob\nsetup: pip install -e .\nrun: ls -la data; python3 train.py --data data/*.csv\n',
    files: { 'train.py': TRAIN, 'data/train.parquet': 'x', 'setup.py': 'from setuptools import setup\nsetup()\n' },
    expect: ['warning job.yaml:3:43'],
  },
  {
    name: 'files the ignore rules leave home are named',
    job: 'name: glob\nrun: cat data/*.csv\n',
    files: { 'data/train.csv': 'a,b\n', 'data/readme.md': 'x', '.dlrunignore': '*.csv\n' },
    expect: ['warning job.yaml:2:10'],
    says: /data\/train\.csv here is left home/,
  },
  {
    name: 'in a script file the job runs, at its own line',
    job: 'name: glob\nsetup: pip install numpy\nrun: bash scripts/train.sh\n',
    files: {
      'scripts/train.sh':
        '#!/bin/bash\nset -e\nfor shard in shards/part-*.npy; do\n  python3 train.py "$shard"\ndone\n',
      'shards/part-0.bin': 'x',
      'train.py': TRAIN,
    },
    expect: ['warning scripts/train.sh:3:14'],
  },
  {
    name: 'patterns that match, quoted patterns, and patterns passed as option values are fine',
    job: [
      'name: fine',
      'run: |',
      '  python3 train.py --data data/*.csv',
      '  python3 train.py --data "data/*.json" --files=data/*.json --include data/*.json',
      '  for f in data/[a-z]*.csv; do python3 train.py "$f"; done',
      '  find data -name *.json',
      '  ls data/*.json || true',
      '',
    ].join('\n'),
    files: { 'train.py': TRAIN, 'data/train.csv': 'a\n' },
    expect: [],
  },
  {
    name: 'after a program of the job that may write the files, nothing is judged',
    job: 'name: fine\nrun: |\n  python3 prepare.py\n  python3 train.py --data data/*.npy\n',
    files: { 'train.py': TRAIN, 'prepare.py': TRAIN, 'data/raw.csv': 'a\n' },
    expect: [],
  },
  {
    name: 'a folder a download or mkdir fills, and the outputs folder, are not judged',
    job: [
      'name: fine',
      'setup: |',
      '  pip install -r requirements.txt',
      '  wget -q -P data https://example.com/train.csv',
      '  mkdir -p cache',
      'run: |',
      '  python3 train.py --data data/*.csv --cache cache/*.pt --resume outputs/*.ckpt',
      '',
    ].join('\n'),
    files: {
      'train.py': TRAIN,
      'requirements.txt': 'numpy\n',
      'data/readme.md': 'x',
      'cache/readme.md': 'x',
      'outputs/readme.md': 'x',
    },
    expect: [],
  },
  {
    name: 'a script file that fetches the data runs before the pattern',
    job: 'name: fine\nrun: |\n  bash scripts/fetch.sh\n  python3 train.py --data data/*.csv\n',
    files: { 'train.py': TRAIN, 'scripts/fetch.sh': 'python3 fetch.py\n', 'fetch.py': TRAIN, 'data/readme.md': 'x' },
    expect: [],
  },
  {
    name: 'nullglob, failglob or set -f, a guarded loop, an unknown or unshipped folder are not judged',
    job: [
      'name: fine',
      'run: |',
      '  for f in data/*.npy; do',
      '    [ -e "$f" ] || continue',
      '    python3 train.py "$f"',
      '  done',
      '  python3 train.py --data raw/*.csv "$DATA"/*.csv ../data/*.csv',
      '',
    ].join('\n'),
    files: { 'train.py': TRAIN, 'data/readme.md': 'x' },
    expect: [],
  },
  {
    name: 'a job that sets shopt -s nullglob is not judged',
    job: 'name: fine\nrun: |\n  shopt -s nullglob\n  for f in data/*.npy; do python3 train.py "$f"; done\n',
    files: { 'train.py': TRAIN, 'data/readme.md': 'x' },
    expect: [],
  },
  {
    name: 'a function body runs where it is called, maybe after the files were made',
    job: [
      'name: fine',
      'run: |',
      '  train_all() {',
      '    for f in data/*.npy; do python3 train.py "$f"; done',
      '  }',
      '  python3 prepare.py',
      '  train_all',
      '',
    ].join('\n'),
    files: { 'train.py': TRAIN, 'prepare.py': TRAIN, 'data/readme.md': 'x' },
    expect: [],
  },
  {
    name: 'after a cd, what a command makes may be anywhere',
    job: 'name: fine\nsetup: |\n  cd data\n  touch train.csv\nrun: python3 train.py --data data/*.csv\n',
    files: { 'train.py': TRAIN, 'data/readme.md': 'x' },
    expect: [],
  },
]);
