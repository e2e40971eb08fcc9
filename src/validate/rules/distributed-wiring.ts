import type { Finding } from '../../base/finding.js';
import { findingAt } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { launcherCall, literalCount, type LauncherCall, type LauncherOption } from '../launcher-options.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import { variableUses } from '../script-variables.js';
import type { SimpleCommand, Word } from '../shell/script-model.js';

/** Rendezvous backends that hand out node ranks themselves (torchrun then ignores --node_rank). */
const DYNAMIC_RENDEZVOUS = new Set(['c10d', 'etcd', 'etcd-v2']);

/**
 * A multi-node job (resources.nodes > 1) whose launcher is wired by hand: a node rank, a master address or a node
 * count written out, where every node runs the same command. Every node then claims the same rank, or looks for the
 * master where it is not, and the rendezvous waits until the job's max_runtime, billed on every node. dlrun gives
 * each node DLRUN_NODE_RANK, DLRUN_MASTER_ADDR, DLRUN_MASTER_PORT and DLRUN_NUM_NODES for this. Commands inside a
 * condition are left alone: they may run on one node only (`if [ "$DLRUN_NODE_RANK" = 0 ]`).
 */
export const distributedWiring: Rule = {
  id: 'distributed-wiring',
  summary: 'a multi-node job whose ranks, master address or node count are written by hand',
  check(context) {
    const nodes = context.job.resources.nodes;
    if (nodes <= 1) return singleNodeFindings(context.scripts);
    const findings: Finding[] = [];
    let usesMaster = false;
    for (const script of context.scripts)
      for (const command of script.parsed.commands) {
        if (variableUses(command).some((use) => use.name === 'DLRUN_MASTER_ADDR')) usesMaster = true;
        const call = command.nested ? undefined : launcherCall(command);
        if (call) findings.push(...launcherFindings(script, call, nodes));
      }
    // MASTER_ADDR for torch's env:// initialisation, written out: only when nothing passes dlrun's address instead.
    if (usesMaster) return findings;
    const masterInEnv = context.job.env?.MASTER_ADDR;
    if (masterInEnv !== undefined && !String(masterInEnv).includes('$'))
      findings.push(
        findingAt(context.job, 'env.MASTER_ADDR', {
          rule: 'distributed-wiring',
          severity: 'error',
          message: masterMessage(String(masterInEnv), nodes),
          hint: 'remove it from env: and set MASTER_ADDR="$DLRUN_MASTER_ADDR" in run',
        }),
      );
    for (const script of context.scripts)
      for (const command of script.parsed.commands) {
        if (command.nested) continue;
        for (const [word, value] of masterAssignments(command))
          findings.push(
            scriptFinding(script, word.position, {
              rule: 'distributed-wiring',
              severity: 'error',
              message: masterMessage(value, nodes),
              hint: 'export MASTER_ADDR="$DLRUN_MASTER_ADDR" (and MASTER_PORT="$DLRUN_MASTER_PORT")',
            }),
          );
      }
    return findings;
  },
};

/** A one-node job told of more nodes: the rendezvous waits for nodes that never come. */
function singleNodeFindings(scripts: readonly ScriptInput[]): Finding[] {
  const findings: Finding[] = [];
  for (const script of scripts)
    for (const command of script.parsed.commands) {
      const call = command.nested ? undefined : launcherCall(command);
      if (!call || call.launcher === 'deepspeed') continue;
      const key = call.launcher === 'accelerate' ? 'num_machines' : 'nnodes';
      const count = literalCount(call.options.get(key));
      if (count !== undefined && count > 1)
        findings.push(
          scriptFinding(script, call.options.get(key)!.word.position, {
            rule: 'distributed-wiring',
            severity: 'error',
            message:
              `${call.launcher} waits for ${count} nodes, but the job runs on one (resources.nodes is 1): ` +
              'the rendezvous waits for the others until the job hits its limit',
            hint: `set resources.nodes: ${count} in job.yaml, or use --${key} "$DLRUN_NUM_NODES"`,
          }),
        );
    }
  return findings;
}

function launcherFindings(script: ScriptInput, call: LauncherCall, nodes: number): Finding[] {
  const findings: Finding[] = [];
  const { launcher, options } = call;
  const report = (option: LauncherOption, message: string, hint: string): void => {
    findings.push(
      scriptFinding(script, option.word.position, { rule: 'distributed-wiring', severity: 'error', message, hint }),
    );
  };
  const on = `on a ${nodes}-node job`;
  const rank = launcher === 'accelerate' ? options.get('machine_rank') : options.get('node_rank');
  const rendezvous = options.get('rdzv_backend')?.value;
  const ranksGiven = launcher === 'torchrun' && rendezvous !== undefined && DYNAMIC_RENDEZVOUS.has(rendezvous);
  if (rank?.value !== undefined && !ranksGiven)
    report(
      rank,
      `${launcher} is given the node rank ${rank.value} ${on}: every node runs this command and claims rank ` +
        `${rank.value}, so the nodes never assemble and the job waits until its limit`,
      `use ${launcher === 'accelerate' ? '--machine_rank' : '--node_rank'} "$DLRUN_NODE_RANK"`,
    );
  for (const key of launcher === 'accelerate' ? ['main_process_ip'] : ['master_addr', 'rdzv_endpoint']) {
    const address = options.get(key);
    if (address?.value === undefined) continue;
    report(
      address,
      `${launcher} is given the master address ${address.value} ${on}: ` +
        'the other nodes look for node 0 there and wait until the job hits its limit',
      key === 'rdzv_endpoint'
        ? 'use --rdzv_endpoint "$DLRUN_MASTER_ADDR:$DLRUN_MASTER_PORT"'
        : `use --${key} "$DLRUN_MASTER_ADDR"`,
    );
  }
  const countKey = launcher === 'accelerate' ? 'num_machines' : launcher === 'deepspeed' ? 'num_nodes' : 'nnodes';
  const count = literalCount(options.get(countKey));
  if (count !== undefined && count !== nodes)
    report(
      options.get(countKey)!,
      `${launcher} is told of ${count} node${count === 1 ? '' : 's'}, but the job runs on ${nodes} ` +
        '(resources.nodes): the nodes never form one group',
      `use --${countKey} "$DLRUN_NUM_NODES"`,
    );
  return findings;
}

function masterMessage(value: string, nodes: number): string {
  return (
    `MASTER_ADDR is set to ${value} on a ${nodes}-node job: every node looks for the master there, ` +
    'where only node 0 can be, and the job waits until its limit'
  );
}

/** `MASTER_ADDR=10.0.0.1`, `export MASTER_ADDR=localhost`: a master address written out. */
function masterAssignments(command: SimpleCommand): [Word, string][] {
  const found: [Word, string][] = [];
  for (const assignment of command.assignments)
    if (assignment.name === 'MASTER_ADDR' && assignment.value?.literal)
      found.push([assignment.value, assignment.value.literal]);
  const effective = effectiveCommand(command);
  if (effective?.name === 'export')
    for (const word of effective.args) {
      const match = /^MASTER_ADDR=(.+)$/.exec(word.literal ?? '');
      if (match) found.push([word, match[1]!]);
    }
  return found;
}
