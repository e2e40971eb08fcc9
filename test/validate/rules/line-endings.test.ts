import { ruleTable } from '../rule-table.js';

ruleTable('line-endings', [
  {
    name: 'a script file with Unix line endings',
    job: 'name: lf\nrun: bash run.sh\n',
    files: { 'run.sh': 'echo a\necho b\n' },
    expect: [],
  },
  {
    name: 'a script file with Windows line endings, at its first such line',
    job: 'name: crlf\nrun: bash run.sh\n',
    files: { 'run.sh': '#!/bin/bash\necho a\r\necho b\r\n' },
    expect: ['error run.sh:2'],
    says: /Windows line endings \(2 lines/,
  },
  {
    name: 'a script file with a byte-order mark',
    job: 'name: bom\nrun: bash run.sh\n',
    files: { 'run.sh': '\uFEFFecho a\n' },
    expect: ['error run.sh:1:1'],
    says: /byte-order mark/,
  },
  {
    name: 'a job file with Windows line endings is fine (YAML reads them)',
    job: 'name: crlf-yaml\r\nrun: |\r\n  echo a\r\n  echo b\r\n',
    expect: [],
  },
]);
