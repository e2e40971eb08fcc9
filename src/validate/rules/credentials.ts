import type { Finding } from '../../base/finding.js';
import type { Rule } from '../rule.js';

/** Credentials recognisable by their shape (the providers document these prefixes). */
const SHAPES: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'an AWS access key id', pattern: /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/ },
  { name: 'an AWS secret access key', pattern: /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+]{40}\b/i },
  { name: 'a private key', pattern: /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/ },
  { name: 'a GitHub token', pattern: /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{50,}\b/ },
  { name: 'a Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{30,}\b/ },
  { name: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'a Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/ },
  { name: 'an OpenAI API key', pattern: /\bsk-(proj-)?[A-Za-z0-9_-]{32,}\b/ },
  { name: 'a Google service account key', pattern: /"private_key_id"\s*:\s*"[0-9a-f]{40}"/ },
  { name: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { name: 'a W&B API key', pattern: /\bwandb\s+login\s+(--?[\w-]+\s+)*[0-9a-f]{40}\b/ },
  // `https://user:s3cret@host/...`: a password written into a URL (a `$VARIABLE` there is fine).
  { name: 'a password in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@$]+:[^\s/@$]{6,}@/i },
];
/** `WANDB_API_KEY=abc...`, `export HF_TOKEN=...`, `password: ...` written as a literal value. */
const NAMED_SECRET =
  /\b([A-Z0-9_]*(API_KEY|TOKEN|SECRET|PASSWORD|PASSWD|ACCESS_KEY)[A-Z0-9_]*)\s*[=:]\s*["']?([^\s"'$]{12,})/;

/**
 * Credentials written into the job: they end up readable on the machine, in its user data or startup script, in
 * provider consoles and in your repository. Name the variable under `secrets:` (its value is read from your shell
 * when you submit, and never stored), or let the machine's own role (an instance profile, a service account) grant
 * access.
 */
export const credentials: Rule = {
  id: 'credentials',
  summary: 'cloud keys, private keys or tokens written into the job or its scripts',
  check({ job, scripts }) {
    const findings: Finding[] = [];
    const texts: { file: string; text: string; firstLine: number }[] = [];
    const seenFiles = new Set<string>();
    for (const script of scripts) {
      if (script.origin === 'file' && !seenFiles.has(script.file)) {
        seenFiles.add(script.file);
        texts.push({ file: script.file, text: script.text, firstLine: 1 });
      }
    }
    for (const [name, value] of Object.entries(job.env ?? {})) {
      const position = job.source.positions[`env.${name}`];
      texts.push({ file: job.source.file, text: `${name}=${value}`, firstLine: position?.line ?? 1 });
    }
    for (const origin of ['setup', 'run'] as const) {
      const text = job[origin];
      const source = job.source.scripts[origin];
      if (text && source) texts.push({ file: job.source.file, text, firstLine: source.line });
    }
    for (const { file, text, firstLine } of texts) {
      text.split('\n').forEach((line, index) => {
        const shape = SHAPES.find((candidate) => candidate.pattern.test(line));
        const named = shape ? undefined : NAMED_SECRET.exec(line);
        // A token mixes letters and digits; a path, a file name or a word is configuration, not a secret.
        const looksSecret =
          named !== null &&
          named !== undefined &&
          /[0-9]/.test(named[3]!) &&
          /[A-Za-z]/.test(named[3]!) &&
          !/[/.]/.test(named[3]!);
        if (!shape && !looksSecret) return;
        const what = shape?.name ?? `a value for ${named![1]}`;
        const variable = named?.[1] ?? 'API_TOKEN';
        findings.push({
          rule: 'credentials',
          severity: 'error',
          file,
          line: firstLine + index,
          column: null,
          message: `${what} is written here; it will be readable on the machine and in the provider's console`,
          hint:
            `remove it, list ${variable} under secrets: ` +
            '(its value is read from your shell or .env at submit time and never stored), ' +
            'or give the machine a role that grants the access',
        });
      });
    }
    return findings;
  },
};
