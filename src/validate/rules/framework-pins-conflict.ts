import type { Finding } from '../../base/finding.js';
import { COMPANION_TABLES, companionLine } from '../catalogs/framework-pins.js';
import { installsOf, itemFinding, placeOf } from '../python/job-pip.js';
import { pinnedVersion, releaseOf } from '../python/pep440.js';
import type { PipItem } from '../python/pip-installs.js';
import type { Rule } from '../rule.js';

/**
 * Framework packages pinned to releases that cannot go together in one `pip install` (its files included): torch
 * with torchvision/torchaudio of another line, tensorflow with keras or tensorflow-text of another line, jaxlib
 * newer than jax. pip stops with ResolutionImpossible. Reported at the companion's pin, naming the framework's.
 */
export const frameworkPinsConflict: Rule = {
  id: 'framework-pins-conflict',
  summary: 'framework packages pinned to releases that cannot be installed together (torch 2.3 with torchvision 0.15)',
  check(context) {
    const findings: Finding[] = [];
    for (const install of installsOf(context)) {
      const pins = new Map<string, { item: PipItem; version: string }>();
      for (const item of install.items) {
        const version = item.name && !item.marker ? pinnedVersion(item.specifiers) : undefined;
        if (item.name && version && !pins.has(item.name)) pins.set(item.name, { item, version });
      }
      for (const table of COMPANION_TABLES) {
        const framework = pins.get(table.framework);
        const companion = pins.get(table.companion);
        if (!framework || !companion) continue;
        const required = companionLine(table, line(framework.version));
        if (required === undefined || fits(companion.version, required)) continue;
        findings.push(
          itemFinding(companion.item, {
            rule: 'framework-pins-conflict',
            severity: 'error',
            message:
              `${table.companion}==${companion.version} cannot be installed with ` +
              `${table.framework}==${framework.version} (${placeOf(framework.item)}): ` +
              `${table.framework} ${line(framework.version)} goes with ${table.companion} ` +
              `${required.startsWith('>=') ? required : `${required}.x`}`,
            hint: `pin ${table.companion} to the ${required} line, or leave its version to pip`,
          }),
        );
      }
      const jax = pins.get('jax');
      const jaxlib = pins.get('jaxlib');
      if (jax && jaxlib && newer(jaxlib.version, jax.version))
        findings.push(
          itemFinding(jaxlib.item, {
            rule: 'framework-pins-conflict',
            severity: 'error',
            message:
              `jaxlib==${jaxlib.version} is newer than jax==${jax.version} ` +
              `(${placeOf(jax.item)}); every jax requires a jaxlib no newer than itself`,
            hint: `pin jaxlib==${jax.version.replace(/\+.*/, '')} (or the same version as jax)`,
          }),
        );
    }
    return findings;
  },
};

/** `2.3.1+cu121` -> `2.3`. */
function line(version: string): string {
  return (releaseOf(version) ?? []).slice(0, 2).join('.');
}

function fits(version: string, required: string): boolean {
  if (required.startsWith('>=')) return (releaseOf(version)?.[0] ?? 0) >= Number(required.slice(2));
  return line(version) === required;
}

function newer(a: string, b: string): boolean {
  const left = releaseOf(a) ?? [];
  const right = releaseOf(b) ?? [];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return false;
}
