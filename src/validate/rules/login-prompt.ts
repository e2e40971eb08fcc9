import type { Finding } from '../../base/finding.js';
import { effectiveCommand, operands, type EffectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import { isLookup } from '../work-commands.js';
import type { SimpleCommand } from '../shell/script-model.js';

/** A login or set-up wizard: when it asks, and what answers it in advance. */
interface Wizard {
  /** The command and its subcommand words, as the user types them (`huggingface-cli login`). */
  readonly words: readonly string[];
  /** Options that give the answer (`--token`); a word starting with one counts (`--token=$HF_TOKEN`). */
  readonly answeredBy: readonly string[];
  /** Variables that answer it when the job has them (`WANDB_API_KEY` for `wandb login`). */
  readonly variables?: readonly string[];
  /** When any operand after the words answers it (`wandb login KEY`). */
  readonly operandAnswers?: boolean;
  /** Subcommands after the words that do not ask (`aws configure set`). */
  readonly quietAfter?: readonly string[];
  readonly asks: string;
  readonly fix: string;
}

/**
 * Logins and wizards that ask on a terminal (a token, a password, a browser sign-in, a questionnaire) beyond the
 * `[Y/n]` confirmations of interactive-prompt: a job has no terminal, so they wait or fail after the machine started.
 */
const WIZARDS: readonly Wizard[] = [
  {
    words: ['huggingface-cli', 'login'],
    answeredBy: ['--token'],
    asks: 'a Hugging Face token',
    fix: 'huggingface-cli login --token "$HF_TOKEN" (HF_TOKEN under secrets:), or only set HF_TOKEN',
  },
  {
    words: ['hf', 'auth', 'login'],
    answeredBy: ['--token'],
    asks: 'a Hugging Face token',
    fix: 'hf auth login --token "$HF_TOKEN" (HF_TOKEN under secrets:), or only set HF_TOKEN',
  },
  {
    words: ['wandb', 'login'],
    answeredBy: ['--anonymously', '--host', '--cloud'],
    // WANDB_MODE (offline, disabled): the job may not mean to reach W&B at all; left alone.
    variables: ['WANDB_API_KEY', 'WANDB_MODE'],
    operandAnswers: true,
    asks: 'a W&B API key',
    fix: 'list WANDB_API_KEY under secrets: (wandb reads it; no login needed)',
  },
  {
    words: ['gcloud', 'auth', 'login'],
    answeredBy: ['--cred-file'],
    asks: 'a browser sign-in',
    fix: "gcloud auth activate-service-account --key-file=KEY.json, or the machine's own service account",
  },
  {
    words: ['gcloud', 'auth', 'application-default', 'login'],
    answeredBy: [],
    asks: 'a browser sign-in',
    fix: "set GOOGLE_APPLICATION_CREDENTIALS to a key file, or use the machine's own service account",
  },
  {
    words: ['aws', 'configure'],
    answeredBy: [],
    quietAfter: ['set', 'get', 'list', 'list-profiles', 'import', 'export-credentials', 'add-model'],
    asks: 'access keys and a region',
    fix: 'list AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY under secrets:, or give the machine a role',
  },
  {
    words: ['aws', 'sso', 'login'],
    answeredBy: [],
    asks: 'a browser sign-in',
    fix: 'list AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY under secrets:, or give the machine a role',
  },
  {
    words: ['docker', 'login'],
    answeredBy: ['-p', '--password', '--password-stdin'],
    asks: 'a user name and password',
    fix: 'echo "$REGISTRY_TOKEN" | docker login -u USER --password-stdin REGISTRY (the token under secrets:)',
  },
  {
    words: ['gh', 'auth', 'login'],
    answeredBy: ['--with-token'],
    asks: 'a browser sign-in',
    fix: 'list GH_TOKEN under secrets: (gh reads it; no login needed)',
  },
  {
    words: ['az', 'login'],
    answeredBy: ['--service-principal', '--identity', '-p', '--password', '--federated-token'],
    asks: 'a browser or device-code sign-in',
    fix: 'az login --service-principal with the secret under secrets:, or --identity',
  },
  {
    words: ['accelerate', 'config'],
    answeredBy: ['-h', '--help'],
    quietAfter: ['default', 'update'],
    asks: 'a questionnaire about the machine',
    fix:
      'accelerate config default, or pass the settings to accelerate launch ' +
      '(--num_processes, --mixed_precision ...)',
  },
];

export const loginPrompt: Rule = {
  id: 'login-prompt',
  summary: 'a login or set-up wizard that asks for a token, password or sign-in the job never gives',
  check({ scripts, job }) {
    const findings: Finding[] = [];
    const known = new Set([...Object.keys(job.env ?? {}), ...(job.secrets ?? [])]);
    // A variable the scripts set or mention in any way (`export X=...`, `read X`), or a file of variables they
    // load (`set -a; . ./.env`, `export $(cat .env)`), may answer a login: only a name never seen is missing.
    const loadsVariables = scripts.some((script) => /\bset\s+-a\b|export\s+\$\(|\.env\b/.test(script.text));
    for (const script of scripts) for (const name of script.text.match(/[A-Z][A-Z0-9_]+/g) ?? []) known.add(name);
    for (const script of scripts) {
      script.parsed.commands.forEach((command, index) => {
        const effective = effectiveCommand(command);
        if (!effective || isLookup(command)) return;
        const wizard = WIZARDS.find((candidate) => matches(candidate, effective));
        if (!wizard || answered(wizard, effective, known) || inputGiven(command, script.parsed.commands[index - 1]))
          return;
        if (loadsVariables && wizard.variables) return;
        const typed = wizard.words.join(' ');
        findings.push(
          scriptFinding(script, effective.nameWord.position, {
            rule: 'login-prompt',
            severity: 'error',
            message:
              `'${typed}' asks for ${wizard.asks}, and a job has no terminal to give it: ` +
              'it waits or fails after the machine started',
            hint: wizard.fix,
          }),
        );
      });
    }
    return findings;
  },
};

function matches(wizard: Wizard, command: EffectiveCommand): boolean {
  if (command.name !== wizard.words[0]) return false;
  const rest = operands(command.args, ['--profile', '--region', '--project', '--configuration', '--account']);
  return wizard.words.slice(1).every((word, index) => rest[index]?.literal === word);
}

function answered(wizard: Wizard, command: EffectiveCommand, known: ReadonlySet<string>): boolean {
  // As written when it holds a variable: `--token="$HF_TOKEN"` still names the option.
  const args = command.args.map((arg) => arg.literal ?? arg.raw);
  if (args.some((arg) => wizard.answeredBy.some((option) => arg === option || arg.startsWith(`${option}=`))))
    return true;
  if (wizard.variables?.some((name) => known.has(name))) return true;
  const after = operands(command.args, ['--profile', '--region', '--project', '--configuration', '--account']).slice(
    wizard.words.length - 1,
  );
  if (wizard.operandAnswers && after.length > 0) return true;
  const next = after[0]?.literal;
  return next !== undefined && (wizard.quietAfter ?? []).includes(next);
}

/** An answer fed on standard input: `echo "$T" | cmd`, `cmd < file`, `cmd <<< "$T"`, a heredoc. */
function inputGiven(command: SimpleCommand, previous: SimpleCommand | undefined): boolean {
  if (previous?.pipesInto) return true;
  return command.redirects.some((redirect) => redirect.operator.startsWith('<') && redirect.operator !== '<>');
}
