import { ruleTable } from '../rule-table.js';

ruleTable('unreachable-service', [
  {
    name: 'hosted services, VPC addresses, and a local server the job starts',
    job: [
      'name: ok',
      'env:',
      '  MLFLOW_TRACKING_URI: https://mlflow.example.com',
      '  DATA_URL: http://10.0.3.12:8000/data.tar',
      'run: |',
      '  mlflow server --port 5000 &',
      '  MLFLOW_PID=$!',
      '  curl -sf http://localhost:5000/health || true',
      '  kill "$MLFLOW_PID"',
      'backend: ec2',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'a NAS on the home network',
    job: 'name: nas\nrun: curl -fsSLO http://192.168.1.20:8080/datasets/cifar10.tar\nbackend: vertex\n',
    expect: ['warning job.yaml:2:18'],
    says: /your own network/,
  },
  {
    name: 'an mDNS host name in env',
    job: 'name: mdns\nenv:\n  MLFLOW_TRACKING_URI: http://workstation.local:5000\nrun: echo\nbackend: ec2\n',
    expect: ['warning job.yaml:3:24'],
  },
  {
    name: 'a tracking server on localhost that nothing starts',
    job: 'name: lh\nrun: |\n  export MLFLOW_TRACKING_URI=http://127.0.0.1:5000\n  python3 -c pass\nbackend: ec2\n',
    expect: ['warning job.yaml:3:10'],
    says: /nothing in the job starts/,
  },
  {
    name: 'a job that runs on this machine reaches its own network',
    job: 'name: here\nbackend: local\nrun: curl -fsSLO http://nas.local/data.tar || true\n',
    expect: [],
  },
]);
