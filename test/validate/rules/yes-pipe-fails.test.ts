import { ruleTable } from '../rule-table.js';

ruleTable('yes-pipe-fails', [
  {
    name: 'answers by option, yes in a condition or handled, a file without pipefail',
    job: [
      'name: ok',
      'setup: |',
      '  conda create -y -n train python=3.11',
      '  yes | conda install -n train numpy || true',
      '  if yes | pip uninstall torch; then echo removed; fi',
      '  bash install.sh',
      'run: echo',
      '',
    ].join('\n'),
    files: { 'install.sh': 'yes | conda install numpy\n' },
    expect: [],
  },
  {
    name: "yes | conda create in the inline setup ('bash -eo pipefail')",
    job: 'name: yes\nsetup: |\n  yes | conda create -n train python=3.11\nrun: echo\n',
    expect: ['error job.yaml:3:3'],
    says: /SIGPIPE/,
  },
  {
    name: 'a script file that sets pipefail and -e itself',
    job: 'name: yes\nsetup: bash install.sh\nrun: echo\n',
    files: { 'install.sh': 'set -euo pipefail\nyes | pip uninstall torch\n' },
    expect: ['error install.sh:2:1'],
  },
]);
