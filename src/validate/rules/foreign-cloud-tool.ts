import type { Finding } from '../../base/finding.js';
import { effectiveCommand, operands } from '../command-words.js';
import { isLookup } from '../work-commands.js';
import { backendValidation, type CloudName, runsHere, scriptFinding, type Rule } from '../rule.js';

/** Each cloud's command-line tools, and what gives them credentials when the machine does not. */
const CLOUDS: Readonly<Record<CloudName, { tools: readonly string[]; keys: RegExp; fix: string }>> = {
  aws: {
    tools: ['aws', 's5cmd'],
    keys: new RegExp(
      [
        '\\bAWS_(ACCESS_KEY_ID|PROFILE|SHARED_CREDENTIALS_FILE|WEB_IDENTITY_TOKEN_FILE|CONTAINER_CREDENTIALS\\w*)\\b',
        'aws\\s+configure\\s+set',
        '--no-sign-request',
      ].join('|'),
    ),
    fix:
      'list AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY under secrets:, ' +
      'or add --no-sign-request for a public bucket',
  },
  gcp: {
    tools: ['gsutil', 'gcloud', 'bq'],
    keys: new RegExp(
      [
        '\\b(GOOGLE_APPLICATION_CREDENTIALS|CLOUDSDK_AUTH_\\w+|GOOGLE_OAUTH_ACCESS_TOKEN|BOTO_CONFIG)\\b',
        'activate-service-account|--key-file|--cred-file',
      ].join('|'),
    ),
    fix: 'ship a service-account key and set GOOGLE_APPLICATION_CREDENTIALS (its content under secrets:)',
  },
  azure: {
    tools: ['az', 'azcopy'],
    keys: /\b(AZURE_\w+|AZCOPY_\w+)\b|--service-principal|--identity|\?sv=|\bsig=/,
    fix: 'list the service principal (AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_TENANT_ID) under secrets:',
  },
};

const CLOUD_WORDS: Readonly<Record<CloudName, string>> = { aws: 'AWS', gcp: 'Google Cloud', azure: 'Azure' };

/**
 * Another cloud's tools on the job's machine with no credentials for that cloud: `gsutil cp gs://...` on EC2 or
 * Rescale, `aws s3 cp` on Vertex AI or Rescale. The machine's own role or service account is for its own cloud
 * (a backend's `ambientClouds`); for another, the job must bring keys (env or secrets, a key file, a login the
 * script does). A warning: a public bucket needs none, and the keys may come in a way the validator cannot see.
 */
export const foreignCloudTool: Rule = {
  id: 'foreign-cloud-tool',
  summary: "another cloud's tools (gsutil on EC2, aws s3 on Vertex AI) with no credentials for that cloud",
  check(context) {
    const { job, targets } = context;
    if (context.portable || targets.some((target) => runsHere(context, target))) return [];
    const given = [
      ...Object.keys(job.env ?? {}),
      ...(job.secrets ?? []),
      ...context.scripts.map((script) => script.text),
    ].join('\n');
    const findings: Finding[] = [];
    for (const cloud of Object.keys(CLOUDS) as CloudName[]) {
      const { tools, keys, fix } = CLOUDS[cloud];
      const without = targets.filter(
        (target) => !(backendValidation(context, target).ambientClouds ?? []).includes(cloud),
      );
      if (!without.length || keys.test(given)) continue;
      for (const script of context.scripts) {
        for (const command of script.parsed.commands) {
          const effective = effectiveCommand(command);
          if (!effective || !tools.includes(effective.name) || isLookup(command)) continue;
          // `aws --version`, `gcloud --help`, `gcloud config set ...` need no account.
          const first = operands(effective.args)[0]?.literal;
          if (first === undefined || first === 'config' || first === 'help' || first === 'version') continue;
          findings.push(
            scriptFinding(script, effective.nameWord.position, {
              rule: 'foreign-cloud-tool',
              severity: 'warning',
              message:
                `${effective.name} needs ${CLOUD_WORDS[cloud]} credentials, and the job gives none: ` +
                `a ${without.join(' or ')} machine has no ${CLOUD_WORDS[cloud]} account of its own`,
              hint: fix,
            }),
          );
          break;
        }
      }
    }
    return findings;
  },
};
