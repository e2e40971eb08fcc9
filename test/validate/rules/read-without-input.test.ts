import { ruleTable } from '../rule-table.js';

ruleTable('read-without-input', [
  {
    name: 'read given input, in a condition, or handled',
    job: [
      'name: ok',
      'run: |',
      '  while read -r line; do echo "$line"; done < data/list.txt',
      '  read -r first < data/list.txt',
      '  read -r count <<< "$(wc -l < data/list.txt)"',
      '  wc -l < data/list.txt | read -r lines',
      '  read -r -t 5 answer || answer=yes',
      '  IFS=, read -r a b <<EOF',
      '  1,2',
      '  EOF',
      '',
    ].join('\n'),
    files: { 'data/list.txt': 'a\n' },
    expect: [],
  },
  {
    name: 'a question for a person in the inline run (set -e)',
    job: 'name: ask\nrun: |\n  read -p "Delete old checkpoints? [y/N] " answer\n  echo "$answer"\n',
    expect: ['error job.yaml:3:3'],
    says: /input is empty/,
  },
  {
    name: 'in a script file without set -e the variable stays empty',
    job: 'name: ask\nrun: bash ask.sh\n',
    files: { 'ask.sh': 'echo "dataset name?"\nread name\necho "$name"\n' },
    expect: ['warning ask.sh:2:1'],
  },
]);
