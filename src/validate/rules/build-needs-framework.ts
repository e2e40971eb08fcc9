import type { Finding } from '../../base/finding.js';
import { effectiveCommand, literals } from '../command-words.js';
import { installsOf, isOtherIndex, itemFinding } from '../python/job-pip.js';
import type { PipInstall, PipItem } from '../python/pip-installs.js';
import { jobImages } from '../job-images.js';
import { runsHere, type Rule, type ValidationContext } from '../rule.js';

/**
 * Packages whose build (setup.py) imports torch without declaring it as a build requirement. pip builds them in an
 * isolated environment with no torch in it ("No module named 'torch'", e.g. Dao-AILab/flash-attention#246), unless
 * torch is installed by an earlier command and this one passes `--no-build-isolation`.
 */
const NEEDS_TORCH = new Set([
  'flash-attn',
  'mamba-ssm',
  'causal-conv1d',
  'torch-scatter',
  'torch-sparse',
  'torch-cluster',
  'torch-spline-conv',
]);
/** Projects installed from their Git repositories whose setup.py imports torch the same way. */
const NEEDS_TORCH_REPOSITORIES =
  /github\.com\/(?:facebookresearch\/(?:detectron2|pytorch3d)|NVIDIA\/apex|Dao-AILab\/flash-attention)/i;
/** PyG's extension packages come as wheels from its own find-links page; from PyPI they are built. */
const PYG = new Set(['torch-scatter', 'torch-sparse', 'torch-cluster', 'torch-spline-conv']);

export const buildNeedsFramework: Rule = {
  id: 'build-needs-framework',
  summary: 'a package whose build needs torch installed first (flash-attn, torch-scatter, apex ...) built without it',
  check(context) {
    if (/PIP_NO_BUILD_ISOLATION|UV_NO_BUILD_ISOLATION/.test(JSON.stringify(context.job.env ?? {}))) return [];
    if (context.scripts.some((script) => /PIP_NO_BUILD_ISOLATION|UV_NO_BUILD_ISOLATION/.test(script.text))) return [];
    const findings: Finding[] = [];
    const installs = installsOf(context);
    for (const install of installs) {
      for (const item of install.items) {
        if (item.constraint || !builtFromSource(install, item)) continue;
        const isolated = ![...install.flags].some((flag) => flag.startsWith('--no-build-isolation'));
        const earlier = torchBefore(context, installs, install);
        if (!isolated && earlier) continue;
        const name = item.name ?? item.text;
        findings.push(
          itemFinding(item, {
            rule: 'build-needs-framework',
            severity: 'error',
            message: isolated
              ? `pip builds ${name} in an isolated environment without torch, and ` +
                `its build imports torch: it fails with "No module named 'torch'"`
              : `${name} is built with --no-build-isolation, but torch is not installed before this command`,
            hint: `install torch in an earlier command, then: pip install --no-build-isolation ${item.text}`,
          }),
        );
      }
    }
    return findings;
  },
};

function builtFromSource(install: PipInstall, item: PipItem): boolean {
  const location = item.url ?? item.path ?? '';
  if (/\.whl(?:$|[#?])/i.test(location)) return false;
  if (item.kind !== 'requirement' || item.url) return NEEDS_TORCH_REPOSITORIES.test(location);
  if (!item.name || !NEEDS_TORCH.has(item.name)) return false;
  // Wheels may come from an index or page dlrun cannot see.
  if (PYG.has(item.name) && (install.findLinks.length > 0 || install.unseenIndex || install.indexes.some(isOtherIndex)))
    return false;
  return true;
}

/** Whether torch is there before an install runs: an earlier pip or conda install of it. */
function torchBefore(context: ValidationContext, installs: readonly PipInstall[], install: PipInstall): boolean {
  // This machine's Python (a local job) may have torch already: dlrun cannot tell.
  if (context.targets.some((target) => runsHere(context, target))) return true;
  // An image with PyTorch on every backend the job is for (the Vertex AI PyTorch container, pytorch/pytorch).
  const images = jobImages(context);
  if (
    images.length > 0 &&
    images.length === context.targets.length &&
    images.every(({ image }) => image.facts.frameworks?.pytorch)
  )
    return true;
  if (
    installs.some(
      (other) => other.order < install.order && other.items.some((item) => item.name === 'torch' && !item.constraint),
    )
  )
    return true;
  const scripts = context.scripts.slice(0, context.scripts.indexOf(install.script) + 1);
  return scripts.some((script) =>
    script.parsed.commands.some((command) => {
      if (script === install.script && command.position.line >= install.command.position.line) return false;
      const effective = effectiveCommand(command);
      if (!effective || !/^(conda|mamba|micromamba)$/.test(effective.name)) return false;
      return literals(effective.args).some((arg) => arg !== undefined && /^(pytorch|torch)\b/.test(arg));
    }),
  );
}
