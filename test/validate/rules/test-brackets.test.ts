import { ruleTable } from '../rule-table.js';

ruleTable('test-brackets', [
  {
    name: 'spaced brackets',
    job: 'name: ok\nrun: |\n  if [ -f x ]; then echo; fi\n  [[ -n "$HOME" ]] && echo\n',
    expect: [],
  },
  {
    name: 'no space before ]',
    job: 'name: bad\nrun: |\n  if [ -f x]; then echo; fi\n',
    expect: ['error job.yaml:3:11'],
    says: /needs a space before/,
  },
  {
    name: 'no space before ]] in a [[ test',
    job: 'name: bad\nrun: |\n  [[ -n "$HOME"]] && echo\n',
    expect: ['error job.yaml:3:9'],
    says: /space before '\]\]'/,
  },
  {
    name: 'no space after [',
    job: 'name: bad\nrun: |\n  if [-f x ]; then echo; fi\n',
    expect: ['error job.yaml:3:6'],
    says: /needs a space after/,
  },
]);
