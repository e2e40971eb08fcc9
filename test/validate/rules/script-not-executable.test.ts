import { ruleTable } from '../rule-table.js';

ruleTable('script-not-executable', [
  {
    name: 'an executable script',
    job: 'name: ok\nrun: ./run.sh\n',
    files: { 'run.sh': '#!/bin/bash\necho hi\n' },
    executable: ['run.sh'],
    expect: [],
  },
  {
    name: 'run with bash, the mode does not matter',
    job: 'name: ok\nrun: bash run.sh\n',
    files: { 'run.sh': 'echo hi\n' },
    expect: [],
  },
  {
    name: 'a script without its executable bit',
    job: 'name: bad\nrun: ./scripts/run.sh\n',
    files: { 'scripts/run.sh': '#!/bin/bash\necho hi\n' },
    expect: ['error job.yaml:2:6'],
    says: /chmod \+x scripts\/run\.sh/,
  },
]);
