import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'vitest';
import { defer } from '../../support/cleanup.js';
import { writeJob } from '../../support/job-files.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { startMachineSimulator } from '../../standins/ec2-machine-simulator.js';
import { motoForThisFile, skipOrFailWithoutMoto } from '../../standins/moto-server.js';
import { ec2Env, ec2JobYaml } from '../../support/ec2-cli.js';

const moto = motoForThisFile();

test('a job submitted to EC2 runs on a (simulated) machine and succeeds: log, phases, outputs, bill', {
  timeout: 180_000,
}, async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const server = moto(t)!;
  const simulator = await startMachineSimulator(server.endpoint);
  defer(t, () => simulator.stop());
  const home = tempDir(t);
  const { jobPath } = writeJob(
    tempDir(t),
    ec2JobYaml('10m', [
      'name: hello-ec2',
      'setup: echo preparing',
      'run: |',
      '  echo "hello from rank $DLRUN_NODE_RANK of $DLRUN_NUM_NODES"',
      '  echo trained > "$DLRUN_OUTPUT_DIR/model.txt"',
    ]),
  );
  const env = ec2Env(server.endpoint);
  const submitted = await runCli(['submit', jobPath, '--wait', '--json'], { cwd: home, home, env });
  assert.equal(submitted.code, 0, submitted.stderr);
  const record = JSON.parse(submitted.stdout) as {
    job_id: string;
    state: string;
    bill: { total_usd: number; line_items: unknown[] };
    phases: Record<string, number>;
  };
  assert.equal(record.state, 'succeeded');
  assert.ok(record.bill.total_usd > 0, `a bill with a figure: ${JSON.stringify(record.bill)}`);
  const logs = await runCli(['logs', record.job_id], { cwd: home, home, env });
  assert.match(logs.stdout, /hello from rank 0 of 1/);
  const pulled = await runCli(['pull', record.job_id, '--to', path.join(home, 'out')], { cwd: home, home, env });
  assert.equal(pulled.code, 0, pulled.stderr);
  const [machine] = simulator.machines();
  assert.ok(machine, 'one machine booted');
  assert.match(machine.shutdownCalls()[0] ?? '', /^-h \+\d+$/, 'the stop timer first');
  assert.ok(
    machine.shutdownCalls().some((call) => /now/.test(call)),
    'then a shutdown at the end',
  );
});
