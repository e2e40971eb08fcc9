import { DlrunError } from '../../src/base/errors.js';
import type { Ec2BootstrapInput } from './ec2-bootstrap-input.js';

/** What bash accepts as a variable name (and `env` as one to set). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function refuse(problem: string): never {
  // dlrun builds these inputs itself: a bad one is a bug in dlrun, never something for the user to fix.
  throw new DlrunError(`the EC2 bootstrap cannot be rendered: ${problem}`, { audience: 'internal' });
}

/** A positive amount rounded up to whole units, so that a limit never shrinks (90.5 minutes -> 91). */
export function wholeUnits(amount: number, what: string): number {
  if (!Number.isFinite(amount) || amount <= 0) refuse(`${what} must be a positive number, not ${amount}`);
  return Math.ceil(amount);
}

function isWhole(value: number, least: number): boolean {
  return Number.isInteger(value) && value >= least;
}

/** The promises the bootstrap script relies on, checked before anything is rendered. */
export function checkBootstrapInput(input: Ec2BootstrapInput): void {
  const { nodes, rank, urls } = input;
  if (!isWhole(nodes, 1)) refuse(`nodes must be a whole number from 1, not ${nodes}`);
  if (!isWhole(rank, 0) || rank >= nodes) refuse(`rank ${rank} is not a node of a job of ${nodes}`);
  // Node 0 reads its own address as the master's; any other node must be told it.
  if (rank === 0 && input.masterAddress !== undefined) refuse('node 0 reads its own address');
  if (rank > 0 && !input.masterAddress) refuse(`node ${rank} needs node 0's address`);
  if (!isWhole(input.masterPort, 1) || input.masterPort > 65_535)
    refuse(`masterPort ${input.masterPort} is not a port`);
  if (!isWhole(input.gpusPerNode, 0)) refuse(`gpusPerNode must be a whole number, not ${input.gpusPerNode}`);
  if (!input.outputs || input.outputs.startsWith('/') || input.outputs.split('/').includes('..')) {
    refuse(`outputs '${input.outputs}' must be a folder under the workdir`);
  }
  for (const name of Object.keys(input.env)) {
    if (!VARIABLE_NAME.test(name)) refuse(`'${name}' in env is not a variable name`);
  }
  if (!input.workdirUrl) refuse('the workdir URL is missing');
  if (!urls.log || !urls.markers || !urls.result) refuse(`node ${rank} lacks its log, markers or result URL`);
  if ((urls.secretsGet === null) !== (urls.secretsDelete === null))
    refuse(`node ${rank} needs both secrets URLs, or neither`);
  const rendezvous = input.tensorflow && nodes > 1;
  if (rendezvous && (input.addressUrls.length !== nodes || !urls.address)) {
    refuse(`TensorFlow on ${nodes} nodes needs an address URL per node and one to publish each node's own`);
  }
}
