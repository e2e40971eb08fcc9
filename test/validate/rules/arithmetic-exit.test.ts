import { ruleTable } from '../rule-table.js';

ruleTable('arithmetic-exit', [
  {
    name: 'safe counters, tests, and a file without set -e',
    job: [
      'name: ok',
      'run: |',
      '  count=0',
      '  for f in *.csv; do',
      '    (( ++count ))',
      '    total=$((total + 1))',
      '  done',
      '  tries=0',
      '  while ((tries++ < 3)); do sleep 1; done',
      '  n=0',
      '  ((n++)) || true',
      '  ((count > 0)) && echo "found $count"',
      '  bash count.sh',
      '',
    ].join('\n'),
    files: { 'count.sh': 'i=0\n((i++))\necho "$i"\n' },
    expect: [],
  },
  {
    name: 'a post-increment from 0 in a loop of the inline run (bash -e)',
    job: 'name: count\nrun: |\n  count=0\n  for f in data/*.csv; do\n    ((count++))\n  done\n  echo "$count"\n',
    expect: ['error job.yaml:5:5'],
    says: /status 1/,
  },
  {
    name: 'let from 0, in a script file with set -e',
    job: 'name: let\nrun: bash steps.sh\n',
    files: { 'steps.sh': 'set -euo pipefail\nstep=0\nlet step++\necho "$step"\n' },
    expect: ['error steps.sh:3:1'],
  },
  {
    name: 'the second increment is from 1',
    job: 'name: twice\nrun: |\n  i=0\n  ((i++)) || true\n  ((i++))\n',
    expect: [],
  },
]);
