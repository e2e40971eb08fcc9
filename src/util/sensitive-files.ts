/**
 * Files and folders that hold secrets: dlrun keeps them home when it ships a workdir, unless `.dlrunignore`
 * re-includes them explicitly with a `!pattern` rule (a `.gitignore` never can: it was written for git, not to say
 * what may leave this machine). One list, used by `listWorkdir`, so every backend, the dry run and the validator agree.
 *
 * Names are matched, ignoring case, against the last part of a path (`*` stands for any run of characters but `/`);
 * a name with a `/` is matched against the last parts (`.config/gcloud` is that folder at any depth). A kind applies
 * to files (and links) or to folders, never both: a Python virtualenv folder named `.env/` is not a secrets file.
 */
interface SensitiveKind {
  readonly names: readonly string[];
  /** Names the patterns match that are not secret (templates people commit on purpose). */
  readonly except?: readonly string[];
  readonly folder: boolean;
  /** Why it stays home, as a user reads it after the path: ".env (secrets)". */
  readonly why: string;
}

const KINDS: readonly SensitiveKind[] = [
  // dotenv files hold API keys and passwords by design; their committed templates hold none.
  {
    names: ['.env', '.env.*'],
    except: ['.env.example', '.env.sample', '.env.template', '.env.dist'],
    folder: false,
    why: 'secrets',
  },
  // direnv's file exports variables, most often the same keys a .env holds.
  { names: ['.envrc'], folder: false, why: 'secrets' },
  // SSH private keys under their default names (their .pub halves are public and are shipped).
  {
    names: ['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ecdsa_sk', 'id_ed25519_sk'],
    folder: false,
    why: 'a private key',
  },
  // PEM files and key stores hold private keys (a .pem may be only a certificate, but nothing tells them
  // apart by name).
  { names: ['*.pem', '*.key', '*.p12', '*.pfx', '*.ppk', '*.jks', '*.keystore'], folder: false, why: 'a private key' },
  // Passwords for hosts (curl, git, pip and wandb read .netrc), PostgreSQL, git's credential store.
  { names: ['.netrc', '_netrc', '.pgpass', '.git-credentials'], folder: false, why: 'passwords' },
  // Package index tokens: .pypirc holds upload passwords, .npmrc often an auth token; a training job needs neither
  // to install packages from the public indexes.
  { names: ['.pypirc', '.npmrc'], folder: false, why: 'package index tokens' },
  // Cloud and cluster credentials in their default folders (of .docker/ only config.json: the folder often holds a
  // project's Dockerfiles).
  { names: ['.aws', '.ssh', '.gnupg', '.kube', '.azure', '.config/gcloud'], folder: true, why: 'credentials' },
  {
    names: [
      '.docker/config.json',
      '.s3cfg',
      '.boto',
      'credentials',
      'credentials.json',
      'application_default_credentials.json',
    ],
    folder: false,
    why: 'credentials',
  },
  // Google service-account keys and OAuth client secrets under the names their consoles suggest; Kaggle's API key;
  // Hugging Face's token file.
  {
    names: [
      'client_secret*.json',
      'service-account*.json',
      'service_account*.json',
      'serviceAccountKey*.json',
      '*-sa-key.json',
      'kaggle.json',
      'huggingface/token',
    ],
    folder: false,
    why: 'credentials',
  },
];

/** A sensitive path found in a workdir. */
export interface SensitivePath {
  /** Workdir-relative, with '/' separators; a folder ends in '/'. */
  readonly path: string;
  /** Why it is sensitive: "secrets", "a private key", "credentials"... */
  readonly why: string;
}

// Case does not matter: `KEY.PEM` holds a key as well, and on macOS `.ENV` is `.env`.
const compiled = KINDS.map((kind) => ({
  ...kind,
  patterns: kind.names.map(toRegExp),
  exceptions: new Set((kind.except ?? []).map((name) => name.toLowerCase())),
}));

/**
 * Why a path (workdir-relative, '/' separators, no trailing '/') holds secrets, or undefined when it does not. A
 * symbolic link is matched as a file and as a folder: a link named `.ssh` stays home whatever it points at.
 */
export function sensitiveReason(relative: string, type: 'file' | 'folder' | 'link'): string | undefined {
  const base = relative.slice(relative.lastIndexOf('/') + 1);
  for (const kind of compiled) {
    if (type !== 'link' && kind.folder !== (type === 'folder')) continue;
    if (kind.exceptions.has(base.toLowerCase())) continue;
    if (kind.patterns.some((pattern) => pattern.test(relative))) return kind.why;
  }
  return undefined;
}

/** The `!pattern` line that re-includes a sensitive path in `.dlrunignore`. */
export function reincludeRule(sensitive: SensitivePath): string {
  return `!${sensitive.path}`;
}

/** `*.pem` -> a regular expression matching the last parts of a path ('*' never crosses a '/'). */
function toRegExp(name: string): RegExp {
  const body = name
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`(^|/)${body}$`, 'i');
}
