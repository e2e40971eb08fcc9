import { ruleTable } from '../rule-table.js';

ruleTable('foreign-cloud-tool', [
  {
    name: "each cloud's tools on its own machines",
    job: 'name: ok\nrun: |\n  aws s3 cp s3://team/data.tar .\n  tar -xf data.tar\nbackend: ec2\n',
    expect: [],
  },
  {
    name: 'gsutil on Vertex AI, with its service account',
    job: 'name: ok\nrun: gsutil -m cp -r gs://team/data .\nbackend: vertex\n',
    expect: [],
  },
  {
    name: 'keys given as secrets, a public bucket, a version check',
    job: [
      'name: ok',
      'secrets: [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY]',
      'run: |',
      '  aws s3 cp s3://team/data.tar .',
      '  gsutil --version',
      'backend: vertex',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'gsutil on EC2 with no Google credentials',
    job:
      'name: gs\nsetup: |\n  pip install gsutil\n' +
      '  gsutil -m cp -r gs://team/imagenet data/\nrun: echo\nbackend: ec2\n',
    expect: ['warning job.yaml:4:3'],
    says: /Google Cloud credentials/,
  },
  {
    name: 'aws s3 on Rescale with no AWS keys',
    job: 'name: s3\nrun: |\n  aws s3 sync s3://team/ckpt ckpt\n  aws s3 sync ckpt s3://team/out\nbackend: rescale\n',
    expect: ['warning job.yaml:3:3'],
  },
  {
    name: 'a service-account key activated by the script',
    job: [
      'name: gs',
      'run: |',
      '  gcloud auth activate-service-account --key-file=sa.json',
      '  gsutil cp gs://team/x .',
      'backend: ec2',
      '',
    ].join('\n'),
    expect: [],
  },
]);
