import type { Finding } from '../../base/finding.js';
import { isOtherIndex, installsOf, itemFinding, jobHasUnseenIndex } from '../python/job-pip.js';
import { localLabel } from '../python/pep440.js';
import type { PipInstall, PipItem } from '../python/pip-installs.js';
import type { Rule } from '../rule.js';

/** Projects whose local builds (`+cu121`, `+cpu`, `+rocm6.0`) PyTorch's own index publishes, one index per label. */
const PYTORCH_INDEX = new Set(['torch', 'torchvision', 'torchaudio', 'torchtext', 'torchdata', 'triton']);

/** Labels of framework builds: +cu121, +cpu, +rocm6.0, +xpu, jaxlib's +cuda12.cudnn89, PyG's +pt23cu121. */
const BUILD_LABEL = /^(?:cu\d+|cpu|cpu\.cxx11\.abi|rocm[\d.]+|xpu|cuda\d*(?:\.cudnn\d+)?|pt\d+(?:cu\d+|cpu))$/;

/**
 * A pin to a local version (`torch==2.3.1+cu121`) where pip looks only on PyPI, which never holds local versions:
 * "No matching distribution found" after the machine started. Also such a pin looked for on the PyTorch index of
 * another build (`+cu121` on `.../whl/cu118`). Any other index, `-f`, or index settings dlrun cannot see keep it quiet.
 */
export const localVersionIndex: Rule = {
  id: 'local-version-index',
  summary: 'a local build pin (torch==2.3.1+cu121) with no index that provides it',
  check(context) {
    const findings: Finding[] = [];
    if (jobHasUnseenIndex(context)) return findings;
    for (const install of installsOf(context)) {
      if (install.unseenIndex || install.findLinks.length > 0) continue;
      for (const item of install.items) {
        const pin = item.specifiers.find((spec) => spec.operator === '==' || spec.operator === '===');
        const label = pin ? localLabel(pin.version) : undefined;
        // Only the labels of CUDA/ROCm/CPU builds: other local labels may come from a private index dlrun cannot see.
        if (!pin || !label || !item.name || !BUILD_LABEL.test(label)) continue;
        const problem = missingIndex(install, item, label);
        if (problem) findings.push(itemFinding(item, { rule: 'local-version-index', severity: 'error', ...problem }));
      }
    }
    return findings;
  },
};

function missingIndex(
  install: PipInstall,
  item: PipItem,
  label: string,
): { message: string; hint: string } | undefined {
  const others = install.indexes.filter(isOtherIndex);
  const wanted = PYTORCH_INDEX.has(item.name!) ? `https://download.pytorch.org/whl/${label}` : undefined;
  if (others.length === 0)
    return {
      message:
        `${item.text.trim()} is a local build (+${label}), ` +
        `which PyPI never holds, and pip is given no other index`,
      hint: wanted
        ? `add '--extra-index-url ${wanted}' (on the pip line or as a line of the requirements file)`
        : 'add the index that publishes this build (--extra-index-url URL or -f URL), or drop the +label',
    };
  // Every index is one of PyTorch's per-build indexes, none of them this build's.
  const pytorch = others.map((url) => /^https?:\/\/download\.pytorch\.org\/whl\/([a-z0-9.]+)\/?$/i.exec(url)?.[1]);
  if (wanted && pytorch.every((found) => found !== undefined && found.toLowerCase() !== label))
    return {
      message:
        `${item.text.trim()} is a +${label} build, but pip only looks on ${others.join(', ')}, ` +
        `which holds ${pytorch.map((found) => `+${found}`).join(', ')} builds`,
      hint: `use ${wanted}, or pin the +${pytorch[0]} build`,
    };
  return undefined;
}
