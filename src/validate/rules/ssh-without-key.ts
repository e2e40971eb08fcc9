import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { runsHere, scriptFinding, type Rule } from '../rule.js';
import { isLookup } from '../work-commands.js';

/** An SSH address: `git@github.com:org/repo.git`, `ssh://host/...`, `user@host:path`. */
const SSH_URL = /^(git\+)?ssh:\/\/|^[\w.-]+@[\w.-]+:(?!\/\/)/;

/** Commands that reach a host over SSH when given such an address. */
const SSH_COMMANDS = new Set(['git', 'pip', 'pip3', 'uv', 'poetry', 'rsync', 'scp', 'sftp', 'ssh']);

/** What in a job sets up SSH for the machine: a key written or added, a known host, an SSH command of its own. */
const SETS_UP_SSH = new RegExp(
  [
    'ssh-keyscan|ssh-add|ssh-agent|GIT_SSH(_COMMAND)?|\\.ssh/|known_hosts',
    'StrictHostKeyChecking|insteadOf|IdentityFile',
    '\\b(ssh|scp)\\b[^\\n]*\\s-i\\s',
  ].join('|'),
);

/**
 * Git, pip or rsync over SSH (`git clone git@github.com:org/repo.git`) on a rented machine that has no SSH key and
 * does not know the host: your ~/.ssh stays home (it is never shipped), GitHub and the like want a key even for
 * public repositories over SSH, and with no terminal the host-key question fails ("Host key verification failed").
 * A job that sets SSH up itself (a deploy key from secrets, ssh-keyscan, GIT_SSH_COMMAND) or names a key in its
 * secrets is left alone.
 */
export const sshWithoutKey: Rule = {
  id: 'ssh-without-key',
  summary: 'git/pip/rsync/scp over SSH on a rented machine that has no SSH key (git clone git@github.com:...)',
  check(context) {
    const { job } = context;
    if (context.targets.every((target) => runsHere(context, target))) return [];
    const names = [...Object.keys(job.env ?? {}), ...(job.secrets ?? [])];
    if (names.some((name) => /SSH|DEPLOY_KEY/.test(name))) return [];
    if (context.scripts.some((script) => SETS_UP_SSH.test(script.text))) return [];
    const findings: Finding[] = [];
    for (const script of context.scripts) {
      for (const command of script.parsed.commands) {
        const effective = effectiveCommand(command);
        if (!effective || !SSH_COMMANDS.has(effective.name) || isLookup(command)) continue;
        const address = effective.args.find((arg) => SSH_URL.test(arg.literal ?? arg.raw));
        // Only an address with a user (`git@github.com:`, `lab@server:`): a bare host may be a node of the job's
        // own cluster, which some backends connect by SSH.
        if (!address) continue;
        findings.push(
          scriptFinding(script, address.position, {
            rule: 'ssh-without-key',
            severity: context.portable ? 'warning' : 'error',
            message:
              `'${address.literal ?? address.raw}' is reached over SSH, and the ` +
              'machine has no SSH key (your ~/.ssh stays home) and no terminal to accept the host key',
            hint:
              'use the https:// address (with a token from secrets: for a private repository), ' +
              'or write a deploy key from secrets: to ~/.ssh and run ssh-keyscan for the host',
          }),
        );
      }
    }
    return findings;
  },
};
