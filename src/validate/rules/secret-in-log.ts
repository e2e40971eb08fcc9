import type { Finding } from '../../base/finding.js';
import type { JobSpec } from '../../spec/job-spec.js';
import { effectiveCommand, operands } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { SimpleCommand, Word } from '../shell/script-model.js';

/** Names that hold a secret by convention, beyond those the job lists under `secrets:`. */
const SECRET_NAME = /(^|_)(TOKEN|API_KEY|APIKEY|SECRET|SECRET_KEY|SECRET_ACCESS_KEY|PASSWORD|PASSWD|PRIVATE_KEY)$/;

/**
 * A secret printed where it is kept: the job's log (stored by the provider and by `dlrun logs`) or the outputs
 * folder (collected and pulled home). `echo $WANDB_API_KEY`, `printenv HF_TOKEN`, a dump of every variable
 * (`env`, `printenv`) in a job with secrets, `set -x` (which prints each command with its variables expanded) ahead
 * of a command that uses one. Written to a file elsewhere (`echo "$HF_TOKEN" > ~/.cache/huggingface/token`) or
 * piped into a login, it is not printed. A warning: the job runs, but the secret leaks.
 */
export const secretInLog: Rule = {
  id: 'secret-in-log',
  summary: 'a secret echoed, dumped or traced (set -x) into the log, or written into the outputs',
  check({ job, scripts }) {
    const findings: Finding[] = [];
    const isSecret = (name: string): boolean => (job.secrets ?? []).includes(name) || SECRET_NAME.test(name);
    for (const script of scripts) {
      let tracing: SimpleCommand | undefined;
      let tracedReported = false;
      for (const command of script.parsed.commands) {
        const words = command.words.map((word) => word.literal ?? '');
        if (words[0] === 'set') {
          const trace = words.slice(1).find((word) => /^[-+][a-zA-Z]*x/.test(word) || word === 'xtrace');
          const on = trace === 'xtrace' ? words[words.indexOf('xtrace') - 1] === '-o' : trace?.startsWith('-');
          if (trace !== undefined) tracing = on ? command : undefined;
          if (trace !== undefined) tracedReported = false;
          continue;
        }
        const effective = effectiveCommand(command);
        if (!effective) continue;
        const used = secretsIn(command.words, isSecret);
        if (tracing && used && !tracedReported) {
          tracedReported = true;
          findings.push(
            scriptFinding(script, tracing.position, {
              rule: 'secret-in-log',
              severity: 'warning',
              message:
                `set -x prints every command with its variables expanded: $${used} (line ${command.position.line} ` +
                "of this script) ends up in the job's log in clear",
              hint: "turn tracing off around it: 'set +x' before, 'set -x' after",
            }),
          );
        }
        const leak = printed(effective.name, effective.args, command, job, isSecret);
        if (leak)
          findings.push(
            scriptFinding(script, effective.nameWord.position, {
              rule: 'secret-in-log',
              severity: 'warning',
              message: leak,
              hint: 'print whether it is set instead: [ -n "$VAR" ] && echo "VAR is set"',
            }),
          );
      }
    }
    return findings;
  },
};

/** The first secret variable a command's words expand, plainly (not its length, a slice or a test of it). */
function secretsIn(words: readonly Word[], isSecret: (name: string) => boolean): string | undefined {
  for (const word of words)
    for (const part of word.parts)
      if (
        part.kind === 'variable' &&
        isSecret(part.use.name) &&
        (part.use.operator === undefined || part.use.operator === ':-' || part.use.operator === '-')
      )
        return part.use.name;
  return undefined;
}

/** What a command prints of the secrets, and where to: undefined when nothing is printed where it is kept. */
function printed(
  name: string,
  args: readonly Word[],
  command: SimpleCommand,
  job: JobSpec,
  isSecret: (name: string) => boolean,
): string | undefined {
  if (command.pipesInto) return undefined;
  const into = destination(command, job);
  if (into === 'file') return undefined;
  if (name === 'echo' || name === 'printf') {
    const secret = secretsIn(args, isSecret);
    return secret && `${name} prints $${secret} into ${into}, where it is kept in clear`;
  }
  if (name === 'printenv' || name === 'env') {
    const named = operands(args).map((arg) => arg.literal ?? '');
    if (name === 'printenv' && named.some(isSecret))
      return `printenv prints ${named.find(isSecret)} into ${into}, where it is kept in clear`;
    // A dump of every variable: the secrets the job was given among them.
    if (named.length === 0 && args.length === 0 && (job.secrets ?? []).length > 0)
      return `'${name}' prints every variable, the secrets (${job.secrets!.join(', ')}) among them, into ${into}`;
  }
  return undefined;
}

/** Where a command's standard output goes: the job's log, the outputs folder (collected), or some other file. */
function destination(command: SimpleCommand, job: JobSpec): "the job's log" | 'the outputs folder' | 'file' {
  const out = command.redirects.find(
    (redirect) => /^(\d*>>?|&>>?|>\|)$/.test(redirect.operator) && !/^2/.test(redirect.operator),
  );
  if (!out?.target) return "the job's log";
  const raw = out.target.raw;
  if (/^\/dev\/(stdout|stderr|tty)$/.test(raw) || raw === '&2' || raw === '&1') return "the job's log";
  const outputs = (job.outputs ?? 'outputs/').replace(/^\.\//, '').replace(/\/$/, '');
  if (raw.includes('DLRUN_OUTPUT_DIR') || raw.replace(/^["']?\.?\/?/, '').startsWith(`${outputs}/`))
    return 'the outputs folder';
  return 'file';
}
