import { ruleTable } from '../rule-table.js';

const script = '#!/bin/bash\nset -e\nif [[ -f data.csv ]]; then\n  echo ok\nfi\n';

ruleTable('sh-not-bash', [
  {
    name: 'bash runs the bash script',
    job: 'name: b\nrun: bash train.sh\nbackend: ec2\n',
    files: { 'train.sh': script },
    expect: [],
  },
  {
    name: 'a POSIX script run by sh',
    job: 'name: b\nrun: sh train.sh\nbackend: ec2\n',
    files: {
      'train.sh':
        '#!/bin/sh\nset -e\nif [ -f data.csv ]; then\n  echo "ok ${X:-1}, source data: x=(1)"\nfi\n' +
        'cat <<EOF\n[[ not code ]]\nEOF\n',
    },
    expect: [],
  },
  {
    name: 'Amazon Linux: /bin/sh is bash',
    job: [
      'name: b',
      'run: sh train.sh',
      'backend: ec2',
      'backends:',
      '  ec2:',
      '    image: ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      '',
    ].join('\n'),
    files: { 'train.sh': script },
    expect: [],
  },
  {
    name: '[[ in a script run by sh on Ubuntu',
    job: 'name: b\nrun: sh train.sh\nbackend: ec2\n',
    files: { 'train.sh': script },
    expect: ['error train.sh:3'],
    says: /dash on ec2/,
  },
  {
    name: 'arrays under #!/bin/sh, run by its path',
    job: 'name: b\nrun: ./run.sh\nbackend: ec2\n',
    files: { 'run.sh': '#!/bin/sh\nARGS=(--epochs 3)\npython3 train.py "${ARGS[@]}"\n', 'train.py': '' },
    executable: ['run.sh'],
    expect: ['error run.sh:2'],
    says: /#!\/usr\/bin\/env bash/,
  },
  {
    name: 'source in a script run by sh',
    job: 'name: b\nrun: sh scripts/go.sh\nbackend: ec2\n',
    files: { 'scripts/go.sh': 'source env.sh\npython3 train.py\n', 'env.sh': 'X=1\n', 'train.py': '' },
    expect: ['error scripts/go.sh:1'],
  },
]);
