import { ruleTable } from '../rule-table.js';

ruleTable('tilde-not-expanded', [
  {
    name: 'tildes bash expands, $HOME in quotes, and text printed',
    job: [
      'name: ok',
      'run: |',
      '  CACHE=~/cache',
      '  mkdir -p ~/.cache/huggingface "$HOME/data"',
      '  python3 -c pass --cache ~/cache',
      '  echo "results in ~/results"',
      '  rm -rf "~"',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'a quoted tilde given to cp',
    job: 'name: q\nrun: |\n  mkdir -p outputs\n  cp "~/.cache/model.pt" outputs/\n',
    expect: ['error job.yaml:4:6'],
    says: /not expanded/,
  },
  {
    name: 'after = in an option, and in a quoted assignment: the program may expand it',
    job: 'name: q\nrun: |\n  python3 -c pass --data=~/datasets\n  DATA_DIR="~/datasets"\n',
    expect: ['warning job.yaml:3:19', 'warning job.yaml:4:3'],
  },
]);
