import { ruleTable } from '../rule-table.js';

ruleTable('local-path', [
  { name: 'relative paths', job: 'name: ok\nrun: python3 -c pass --data data/train.csv\n', expect: [] },
  {
    name: 'a macOS home path for a cloud job',
    job: 'name: mac\nrun: python3 -c pass --data /Users/ana/data/train.csv\n',
    backend: 'ec2',
    expect: ['error job.yaml:2:29'],
    says: /path on this computer/,
  },
  {
    name: 'a Windows path',
    job: 'name: win\nrun: python3 -c pass --data C:\\\\data\\\\train.csv\n',
    expect: ['error job.yaml:2:29'],
  },
  {
    name: 'a laptop path in env',
    job: 'name: env\nenv:\n  DATA: /Users/ana/data\nrun: echo "$DATA"\n',
    backend: 'vertex',
    expect: ['error job.yaml:3:9'],
  },
  {
    name: 'a job for the local backend only may use them',
    job: 'name: local\nbackend: local\nrun: ls /Users/ana/data || true\n',
    expect: [],
  },
  {
    name: 'a portable job may run anywhere, so it is an error there too',
    job: 'name: portable\nrun: ls /Users/ana/data\n',
    expect: ['error job.yaml:2:9'],
  },
  {
    name: 'a Windows network share and a lowercase drive, as written',
    job:
      "name: win\nrun: |\n  cp '\\\\nas01\\datasets\\imagenet.tar' data/\n" +
      '  python3 -c pass --data c:\\data\\train\n',
    backend: 'ec2',
    expect: ['error job.yaml:3:6', 'error job.yaml:4:26'],
  },
  {
    name: 'Git Bash and Cygwin drive paths',
    job: 'name: gitbash\nrun: |\n  ls /c/Users/ana/data\n  ls /cygdrive/d/datasets\n',
    backend: 'vertex',
    expect: ['error job.yaml:3:6', 'error job.yaml:4:6'],
  },
  {
    name: 'escapes given to text tools are no share',
    job: "name: text\nrun: |\n  printf '\\\\tname\\\\tsize\\\\n'\n  sed 's:x:\\\\n:' notes.txt > /dev/null || true\n",
    backend: 'ec2',
    expect: [],
  },
]);
