import { ruleTable } from '../rule-table.js';

const FILES = { 'train.py': 'pass\n' };

ruleTable('unchecked-cd', [
  {
    name: 'cd under set -e (the inline run), cd || exit, cd && rm on one line, full paths',
    job: [
      'name: ok',
      'run: |',
      '  cd /tmp/scratch',
      '  rm -rf *',
      '  cd /tmp/cache || exit 1',
      '  rm -rf ./*',
      '  cd /tmp/other && rm -rf *.ckpt',
      '  cd /tmp/x || { echo "no /tmp/x" >&2; exit 1; }',
      '  rm -rf build',
      '  if cd /tmp/y; then rm -rf *; fi',
      '  python train.py',
      '',
    ].join('\n'),
    files: FILES,
    expect: [],
  },
  {
    name: 'a script file run with bash (no set -e): cd; rm -rf *',
    job: 'name: clean\nrun: bash clean.sh\n',
    files: { ...FILES, 'clean.sh': '#!/bin/bash\ncd /scratch/cache\nrm -rf *\npython train.py\n' },
    expect: ['error clean.sh:3:1'],
    says: /line 2/,
  },
  {
    name: 'cd x; rm on the same line, after set +e',
    job: 'name: clean\nrun: |\n  set +e\n  cd outputs; rm -rf ./*\n  python train.py\n',
    files: FILES,
    expect: ['error job.yaml:4:15'],
  },
  {
    name: "set -e does not stop for a failure on the left of '&&': the rm on the next line runs",
    job: 'name: clean\nrun: |\n  cd /scratch/tmp && echo "cleaning"\n  rm -rf *\n  python train.py\n',
    files: FILES,
    expect: ['error job.yaml:4:3'],
    says: /left of '&&'/,
  },
  {
    name: "'|| echo' does not stop the script",
    job: 'name: clean\nrun: |\n  cd checkpoints || echo "no checkpoints"\n  find . -name "*.pt" -delete\n',
    files: FILES,
    expect: ['error job.yaml:4:3'],
  },
  {
    name: 'git clean after an unchecked cd in a script file',
    job: 'name: clean\nrun: bash prep.sh\n',
    files: { ...FILES, 'prep.sh': 'cd third_party/apex\ngit clean -xdf\npip install -v .\n' },
    expect: ['error prep.sh:2:1'],
  },
  {
    name: 'cd to a variable nothing sets goes home (or stays), even with &&',
    job: 'name: clean\nrun: |\n  cd $SCRATCH_DIR && rm -rf *\n  python train.py\n',
    files: FILES,
    expect: ['warning job.yaml:3:22'],
    says: /home folder/,
  },
  {
    name: 'cd to a variable that is set, with a default, or under set -u',
    job: [
      'name: ok',
      'env:',
      '  SCRATCH: /tmp/scratch',
      'run: |',
      '  cd "$SCRATCH" && rm -rf ./*',
      '  cd "${CACHE:-/tmp/cache}" && rm -rf ./*',
      '  OUT=/tmp/out',
      '  mkdir -p "$OUT"; cd "$OUT" && rm -rf *',
      '  python train.py',
      '',
    ].join('\n'),
    files: FILES,
    expect: [],
  },
  {
    name: 'a cd inside a subshell or a function body does not move the rest of the script',
    job: 'name: ok\nrun: bash build.sh\n',
    files: {
      ...FILES,
      'build.sh': [
        'set -e',
        'clean() { cd /tmp/build || return 1; rm -rf *; }',
        '(cd /tmp/src && make)',
        'rm -f *.o',
        'DIR=$(cd "$(dirname "$0")"; pwd)',
        'rm -rf ./tmp',
        '',
      ].join('\n'),
    },
    expect: [],
  },
  {
    name: 'plain deletions (not recursive, no glob) and absolute targets stay silent',
    job: 'name: ok\nrun: bash c.sh\n',
    files: { ...FILES, 'c.sh': 'cd /data\nrm stale.lock\nrm -rf /data/tmp/*\nrm -rf "$HOME/.cache/x"\n' },
    expect: [],
  },
]);
