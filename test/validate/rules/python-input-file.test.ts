import { ruleTable } from '../rule-table.js';

const READER = [
  'import pandas as pd',
  'import torch',
  '',
  'def main():',
  '    frame = pd.read_csv("data/train.csv")',
  '    weights = torch.load("weights/init.pt")',
  '    print(len(frame), weights)',
  '',
  'if __name__ == "__main__":',
  '    main()',
  '',
].join('\n');
const LFS = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2146\nsize 1048576\n';

ruleTable('python-input-file', [
  {
    name: 'files shipped with the workdir, and files in the outputs folder',
    job: 'name: ok\nrun: python train.py\n',
    files: {
      'train.py': `${READER}import numpy as np\nnp.load("outputs/resume.npy")\n`,
      'data/train.csv': 'a,b\n1,2\n',
      'weights/init.pt': 'not a pointer',
    },
    expect: [],
  },
  {
    name: 'a data file that .gitignore leaves home',
    job: 'name: ignored\nrun: python train.py\n',
    files: {
      'train.py': READER,
      '.gitignore': 'data/\n',
      'data/train.csv': 'a,b\n1,2\n',
      'weights/init.pt': 'x',
    },
    expect: ['error train.py:5:13'],
    says: /data\/train\.csv, which \.gitignore leaves home/,
  },
  {
    name: 'a checkpoint that is a Git LFS pointer',
    job: 'name: lfs\nrun: python train.py\n',
    files: { 'train.py': READER, 'data/train.csv': 'a\n', 'weights/init.pt': LFS },
    expect: ['error train.py:6:15'],
    says: /Git LFS pointer/,
  },
  {
    name: 'made by the job first: downloaded, unpacked, pulled with git lfs, or written by another script',
    job: [
      'name: made',
      'setup: |',
      '  mkdir -p data && curl -fsSL -o data/train.csv https://example.com/train.csv',
      '  git lfs pull',
      'run: python train.py',
      '',
    ].join('\n'),
    files: { 'train.py': READER, '.gitignore': 'data/\n', 'data/train.csv': 'a\n', 'weights/init.pt': LFS },
    expect: [],
  },
  {
    name: 'a preparation script run before it may write the file',
    job: 'name: prepared\nrun: |\n  python prepare.py\n  python train.py\n',
    files: {
      'prepare.py': 'import sys\nprint(sys.argv)\n',
      'train.py': READER,
      '.gitignore': 'data/\n',
      'data/train.csv': 'a\n',
      'weights/init.pt': 'x',
    },
    expect: [],
  },
  {
    name: 'a path the script also writes or tests, or reads only in a branch, is not judged',
    job: 'name: written\nrun: python train.py\n',
    files: {
      'train.py': [
        'import os',
        'import pandas as pd',
        'if os.path.exists("cache/features.csv"):',
        '    pd.read_csv("cache/features.csv")',
        'pd.DataFrame().to_csv("cache/other.csv")',
        'pd.read_csv("cache/other.csv")',
        '',
      ].join('\n'),
      '.gitignore': 'cache/\n',
      'cache/features.csv': 'a\n',
      'cache/other.csv': 'a\n',
    },
    expect: [],
  },
]);
