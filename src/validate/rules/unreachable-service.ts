import type { Finding } from '../../base/finding.js';
import { findingAt } from '../../base/finding.js';
import { runsHere, scriptFinding, type Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';

/**
 * An address on the user's own network: a `.local` (mDNS), `.lan` or `.home.arpa` host name, or a 192.168.x.x
 * address, the ranges home and office routers hand out. A rented machine is on the provider's network and does not
 * reach them (10.x and 172.16-31.x are left alone: they are what a cloud's own private networks use).
 */
const LAN_ADDRESS = /\b[a-z][a-z]*:\/\/(\w[\w.-]*\.(local|lan|home\.arpa)|192\.168\.\d{1,3}\.\d{1,3})(?=[:/\s"']|$)/i;

/** A service on the machine itself: reachable only when the job starts it. */
const LOCALHOST = /\b[a-z][a-z]*:\/\/(localhost|127\.0\.0\.1|0\.0\.0\.0)(:\d+)?(?=[/\s"']|$)/i;

/** Commands that start a service that outlives them (beyond a command put in the background with `&`). */
const STARTS_SERVICE = new RegExp(
  [
    '\\bdocker(-compose)?\\s+(run|start|up)\\b',
    '\\bdocker\\s+compose\\s+up',
    '\\bservice\\s+\\S+\\s+start',
    '\\bsystemctl\\s+(start|restart)',
    '\\bray\\s+start',
    'redis-server|mongod|pg_ctl|--daemon|--detach|daemonize',
  ].join('|'),
);

/**
 * Services the machine cannot reach: an address on the user's LAN, or a server on localhost that nothing in the
 * job starts (an MLflow or W&B server that runs on the laptop, not on the rented machine). A warning: a VPN or the
 * Python code itself may provide them.
 */
export const unreachableService: Rule = {
  id: 'unreachable-service',
  summary: 'an address on your own network (.local, 192.168.x.x) or a localhost service the job never starts',
  check(context) {
    if (context.targets.every((target) => runsHere(context, target))) return [];
    const findings: Finding[] = [];
    const startsSomething = context.scripts.some(startsService);
    const problem = (text: string): string | undefined => {
      const lan = LAN_ADDRESS.exec(text);
      if (lan) return `${lan[0]} is an address on your own network; a rented machine does not reach it`;
      const local = LOCALHOST.exec(text);
      if (local && !startsSomething)
        return `${local[0]} is the machine itself, and nothing in the job starts a service there`;
      return undefined;
    };
    const hint =
      'use an address the machine can reach (a hosted service, a public or VPC address), or start it in setup';
    for (const script of context.scripts) {
      for (const command of script.parsed.commands) {
        for (const word of [...command.words, ...command.assignments.flatMap((a) => (a.value ? [a.value] : []))]) {
          const message = problem(word.raw);
          if (!message) continue;
          findings.push(
            scriptFinding(script, word.position, { rule: 'unreachable-service', severity: 'warning', message, hint }),
          );
        }
      }
    }
    for (const [name, value] of Object.entries(context.job.env ?? {})) {
      const message = problem(value);
      if (message)
        findings.push(
          findingAt(context.job, `env.${name}`, {
            rule: 'unreachable-service',
            severity: 'warning',
            message: `env.${name}: ${message}`,
            hint,
          }),
        );
    }
    return findings;
  },
};

/** Whether a script starts anything that keeps running: a command put in the background, or a service starter. */
function startsService(script: ScriptInput): boolean {
  return (
    script.parsed.commands.some((command) => command.background) ||
    script.parsed.commands.some((command) => STARTS_SERVICE.test(command.words.map((word) => word.raw).join(' ')))
  );
}
