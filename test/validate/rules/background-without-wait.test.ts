import { ruleTable } from '../rule-table.js';

ruleTable('background-without-wait', [
  {
    name: 'background work waited for',
    job: 'name: ok\nrun: |\n  python3 -c pass &\n  python3 -c pass &\n  wait\n',
    expect: [],
  },
  {
    name: 'a monitor left running in setup is fine (setup may start services)',
    job: 'name: ok\nsetup: nvidia-smi dmon > gpu.log &\nrun: echo\n',
    expect: [],
  },
  {
    name: 'training started in the background and never waited for: the run ends at once',
    job: 'name: bad\nrun: |\n  python3 -c pass &\n  echo started\n',
    expect: ['error job.yaml:3:3'],
    says: /add 'wait'/,
  },
]);
