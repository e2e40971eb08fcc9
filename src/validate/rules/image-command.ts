import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { installedCommands } from '../installed-commands.js';
import { imageSeverity, jobImages, onImage } from '../job-images.js';
import { installsOf, itemFinding } from '../python/job-pip.js';
import { scriptFinding, type Rule } from '../rule.js';

/** Which package manager each command is. */
const MANAGERS: Readonly<Record<string, 'apt' | 'dnf' | 'yum' | 'apk'>> = {
  'apt-get': 'apt',
  apt: 'apt',
  dnf: 'dnf',
  yum: 'yum',
  microdnf: 'dnf',
  apk: 'apk',
};
/** dnf systems keep `yum` as a name for dnf. */
const ALSO_RUNS: Readonly<Record<string, readonly string[]>> = { dnf: ['yum'] };

/**
 * Commands the image does not have, from what the image is (docs/catalogs.md, images): `sudo` in a container that
 * runs as root without it (python:3.12-slim: "sudo: command not found"), `apt-get` on a dnf/yum system, `yum` on
 * Debian or Ubuntu. A script that tries several package managers (a portable one), or installs sudo, is not judged.
 */
export const imageCommand: Rule = {
  id: 'image-command',
  summary: 'a command the image does not have: sudo in a root container without it, apt-get on dnf, yum on Debian',
  check(context) {
    const images = jobImages(context);
    if (images.length === 0) return [];
    const findings: Finding[] = [];
    const managersUsed = new Set<string>();
    for (const script of context.scripts)
      for (const command of script.parsed.commands) {
        const name = effectiveCommand(command)?.name;
        if (name && MANAGERS[name]) managersUsed.add(MANAGERS[name]);
      }
    const portable = managersUsed.size > 1;
    const installed = installedCommands(context.scripts, context.workdir);
    const sudoInstalled = installed.has('sudo');
    const lacking = (command: string) =>
      installed.has(command) ? undefined : images.find(({ image }) => image.facts.missingCommands?.includes(command));
    for (const script of context.scripts) {
      for (const command of script.parsed.commands) {
        if (command.nested) continue;
        const effective = effectiveCommand(command);
        if (!effective) continue;
        const sudoWord = command.words.find((word) => word.literal === 'sudo');
        if (effective.wrappers.includes('sudo') && sudoWord && !sudoInstalled) {
          const without = images.find(({ image }) => image.facts.sudo === false && image.facts.user === 'root');
          if (without)
            findings.push(
              scriptFinding(script, sudoWord.position, {
                rule: 'image-command',
                severity: imageSeverity(context),
                message: `sudo is not installed ${onImage(without.target, without.image)}, which runs as root already`,
                hint: `drop 'sudo': the command runs as root`,
              }),
            );
        }
        const without = lacking(effective.name);
        if (without) {
          findings.push(
            scriptFinding(script, effective.nameWord.position, {
              rule: 'image-command',
              severity: imageSeverity(context),
              message: `${effective.name} is not installed ${onImage(without.target, without.image)}`,
              hint: `install it first in setup (apt-get update && apt-get install -y ${effective.name})`,
            }),
          );
          continue;
        }
        const manager = MANAGERS[effective.name];
        if (!manager || portable) continue;
        const wrong = images.find(
          ({ image }) =>
            image.facts.packageManager !== undefined &&
            image.facts.packageManager !== manager &&
            !(ALSO_RUNS[image.facts.packageManager] ?? []).includes(effective.name),
        );
        if (!wrong) continue;
        const has = wrong.image.facts.packageManager!;
        const install = has === 'apt' ? 'apt-get install -y' : `${has} install${has === 'apk' ? '' : ' -y'}`;
        findings.push(
          scriptFinding(script, effective.nameWord.position, {
            rule: 'image-command',
            severity: imageSeverity(context),
            message:
              `${effective.name} does not exist ${onImage(wrong.target, wrong.image)}: ` +
              `its package manager is ${has}`,
            hint: `use ${install} (package names may differ)`,
          }),
        );
      }
    }
    // pip clones `git+https://...` requirements with git.
    const noGit = lacking('git');
    if (noGit)
      for (const install of installsOf(context))
        for (const item of install.items) {
          if (!/^git\+/i.test(item.url ?? '')) continue;
          findings.push(
            itemFinding(item, {
              rule: 'image-command',
              severity: imageSeverity(context),
              message:
                `pip needs git to install '${item.text}', ` +
                `and git is not installed ${onImage(noGit.target, noGit.image)}`,
              hint: 'install git first in setup (apt-get update && apt-get install -y git)',
            }),
          );
        }
    return findings;
  },
};
