import { ruleTable } from '../rule-table.js';

ruleTable('typographic-characters', [
  {
    name: 'typographic quotes inside ordinary quotes are text',
    job: 'name: fine\nrun: echo "it’s “fine”"\n',
    expect: [],
  },
  {
    name: 'typographic double quotes around an argument',
    job: 'name: smart\nrun: |\n  echo --name “baseline”\n',
    expect: ['error job.yaml:3:15'],
    says: /typographic opening quote/,
  },
  {
    name: 'an en dash for an option',
    job: 'name: dash\nsetup: echo\nrun: |\n  ls –la\n',
    expect: ['error job.yaml:4:6'],
    says: /en dash/,
  },
  {
    name: 'a dash standing alone in what echo prints is punctuation, also behind sudo or timeout',
    job: [
      'name: prose',
      'run: |',
      '  echo Done — see logs',
      '  sudo echo Done — see logs',
      '  timeout 5 printf "%s\\n" ok –',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'a dash for an option behind sudo is still found',
    job: 'name: dash\nrun: |\n  sudo ls –la\n',
    expect: ['error job.yaml:3:11'],
    says: /en dash/,
  },
  {
    name: 'a non-breaking space inside a command',
    job: 'name: nbsp\nrun: |\n  echo\u00A0hello\n',
    expect: ['error job.yaml:3:7'],
    says: /non-breaking space/,
  },
]);
