/**
 * The scripts an EC2 launch runs: the user data stub (sent with RunInstances) and the bootstrap (staged in S3, fetched
 * by the stub), rendered from templates/bootstrap/ with the job's values as single-quoted variables at the top.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DlrunError } from '../../src/base/errors.js';
import { packageRoot } from '../../src/util/package-root.js';
import type { Ec2BootstrapInput, Ec2StubInput } from './ec2-bootstrap-input.js';
import { checkBootstrapInput, wholeUnits } from './ec2-check-bootstrap-input.js';
import { shellArray, shellQuote } from './ec2-shell-quote.js';

/**
 * EC2 takes at most 16 KB of user data, counted before base64:
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html
 */
export const USER_DATA_LIMIT_BYTES = 16_384;

/** The line of each template that the renderer replaces with the job's values. */
const INPUTS_LINE = '#@DLRUN_INPUTS@';

function template(name: string): string {
  return readFileSync(path.join(packageRoot(), 'templates', 'bootstrap', name), 'utf8');
}

function withInputs(name: string, assignments: readonly string[]): string {
  const lines = template(name).split('\n');
  const at = lines.indexOf(INPUTS_LINE);
  if (at < 0 || lines.lastIndexOf(INPUTS_LINE) !== at) {
    throw new DlrunError(`templates/bootstrap/${name} must hold the line ${INPUTS_LINE} exactly once`, {
      audience: 'internal',
    });
  }
  lines.splice(at, 1, ...assignments);
  return lines.join('\n');
}

/**
 * The user data: the machine's stop timer, a shutdown whenever it ends, and the fetch (then the deletion) of this
 * machine's bootstrap. Refused when even gzipped it would not fit EC2's 16 KB (a launch of many machines holds two
 * URLs for each).
 */
export function renderStub(input: Ec2StubInput): string {
  const minutes =
    input.shutdownAfterMinutes === null ? '' : String(wholeUnits(input.shutdownAfterMinutes, 'shutdownAfterMinutes'));
  if (input.bootstraps.length === 0)
    throw new DlrunError('the user data needs a bootstrap URL for each machine', { audience: 'internal' });
  const stub = withInputs('ec2-user-data.sh', [
    `job_id=${shellQuote(input.jobId, 'the job id')}`,
    `bootstrap_get_urls=${shellArray(
      input.bootstraps.map((urls) => urls.get),
      'a bootstrap URL',
    )}`,
    `bootstrap_delete_urls=${shellArray(
      input.bootstraps.map((urls) => urls.delete),
      'a bootstrap URL',
    )}`,
    `shutdown_after_minutes=${shellQuote(minutes)}`,
  ]);
  encodeUserData(stub, input.jobId);
  return stub;
}

/** The bootstrap that the stub fetches: every value it needs, then the script, with the job wrapper embedded. */
export function renderBootstrap(input: Ec2BootstrapInput): string {
  checkBootstrapInput(input);
  const environment = Object.entries(input.env);
  const { urls } = input;
  return withInputs('ec2-bootstrap.sh', [
    `job_id=${shellQuote(input.jobId, 'the job id')}`,
    `node_count=${shellQuote(String(input.nodes))}`,
    `rank=${shellQuote(String(input.rank))}`,
    `master_address=${shellQuote(input.masterAddress ?? '', 'the master address')}`,
    `master_port=${shellQuote(String(input.masterPort))}`,
    `gpus_per_node=${shellQuote(String(input.gpusPerNode))}`,
    `tensorflow=${shellQuote(input.tensorflow ? 'yes' : '')}`,
    `outputs_folder=${shellQuote(input.outputs, 'outputs')}`,
    `workdir_url=${shellQuote(input.workdirUrl, 'the workdir URL')}`,
    `stop_after_seconds=${shellQuote(
      input.stopAfterSeconds === null ? '' : String(wholeUnits(input.stopAfterSeconds, 'stopAfterSeconds')),
    )}`,
    `stop_reason=${shellQuote(input.stopReason ?? '', 'the stop reason')}`,
    `log_interval_seconds=${shellQuote(String(wholeUnits(input.logIntervalSeconds, 'logIntervalSeconds')))}`,
    `setup_script=${shellQuote(input.setup ?? '', 'setup')}`,
    `run_script=${shellQuote(input.run, 'run')}`,
    `wrapper_script=${shellQuote(template('job-wrapper.sh'))}`,
    `env_names=${shellArray(environment.map(([name]) => name))}`,
    `env_values=${shellArray(
      environment.map(([, value]) => value),
      'a value of env:',
    )}`,
    `log_url=${shellQuote(urls.log, 'the log URL')}`,
    `markers_url=${shellQuote(urls.markers, 'the markers URL')}`,
    `result_url=${shellQuote(urls.result, 'the result URL')}`,
    `outputs_url=${shellQuote(urls.outputs ?? '', 'the outputs URL')}`,
    `secrets_get_url=${shellQuote(urls.secretsGet ?? '', 'the secrets URL')}`,
    `secrets_delete_url=${shellQuote(urls.secretsDelete ?? '', 'the secrets URL')}`,
    `address_put_url=${shellQuote(urls.address ?? '', 'the address URL')}`,
    `address_get_urls=${shellArray(input.addressUrls, 'an address URL')}`,
  ]);
}

/**
 * RunInstances' `UserData`: base64, which @aws-sdk/client-ec2 v3 does not do for the caller. A stub past 16 KB is
 * gzipped (cloud-init unpacks gzip), and refused past that.
 */
export function encodeUserData(stub: string, jobId?: string): string {
  if (!stub.startsWith('#!')) {
    throw new DlrunError('user data must start with #!, or cloud-init does not run it', { audience: 'internal' });
  }
  const raw = Buffer.from(stub, 'utf8');
  if (raw.length <= USER_DATA_LIMIT_BYTES) return raw.toString('base64');
  const compressed = gzipSync(raw, { level: 9 });
  if (compressed.length > USER_DATA_LIMIT_BYTES) {
    throw new DlrunError(
      `the user data${jobId ? ` of job ${jobId}` : ''} is ${compressed.length} bytes even gzipped; ` +
        `EC2 takes at most ${USER_DATA_LIMIT_BYTES}`,
      { audience: 'internal' },
    );
  }
  return compressed.toString('base64');
}
