import { endpointSentence } from '../core/foreign-endpoints.js';
import type { SubmitPlan } from '../core/submit-job.js';
import { quote } from '../cost/quote.js';
import { reincludeRule } from '../util/sensitive-files.js';
import { formatUsd } from './format.js';
import { describePricesUsed } from './render-prices.js';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** The one-line price summary submit prints before launching. */
export function priceLine(details: SubmitPlan): string {
  const { price, plan } = details;
  const stops = plan.stopAfter.reason ? `stops at ${plan.stopAfter.reason}` : 'no time limit';
  const worst = Number.isFinite(details.worstCaseUsd)
    ? `at most ${formatUsd(details.worstCaseUsd)}`
    : 'no upper bound on cost';
  return (
    `${plan.backend}: ${price.machine} at $${price.rate_per_hour_usd}/h (${price.price_source}); ` +
    `${stops}: ${worst}${details.prices ? `; prices: ${describePricesUsed(details.prices)}` : ''}`
  );
}

/**
 * What is shipped and what stays home, as submit and its dry run report it: one line, then one for the files with
 * secrets kept home, one per file with secrets `.dlrunignore` ships all the same, one for files that are not
 * regular files (never shipped).
 */
export function shippingLine(details: SubmitPlan, shownWorkdir: string): string {
  const { manifest } = details;
  const leftOut = manifest.leftOut.length
    ? `; left home${manifest.ignoreFile ? ` (${manifest.ignoreFile})` : ''}: ${someOf(manifest.leftOut)}`
    : '';
  const lines = [
    `shipping ${manifest.files.length} file${manifest.files.length === 1 ? '' : 's'} ` +
      `(${formatBytes(manifest.bytes)}) from ${shownWorkdir}${leftOut}`,
  ];
  const kept = manifest.keptHome;
  if (kept.length === 1)
    lines.push(
      `kept home: ${kept[0]!.path} (${kept[0]!.why}; re-include with ${reincludeRule(kept[0]!)} in .dlrunignore)`,
    );
  else if (kept.length > 1)
    lines.push(
      `kept home: ${someOf(kept.map((item) => `${item.path} (${item.why})`))}; ` +
        're-include one with !PATH in .dlrunignore',
    );
  for (const shipped of manifest.reincluded)
    lines.push(
      `warning: shipping ${shipped.path} (${shipped.why}) ` +
        `because .dlrunignore line ${shipped.line} re-includes it (${shipped.rule})`,
    );
  if (manifest.notShipped.length)
    lines.push(
      'not shipped (not regular files): ' +
        someOf(manifest.notShipped.map((special) => `${special.path} (${special.kind})`)),
    );
  return lines.join('\n');
}

/** One line per endpoint that is not the provider's own, as submit and --dry-run print them. */
export function endpointLines(details: SubmitPlan): string[] {
  return details.endpoints.map((endpoint) => `note: ${endpointSentence(endpoint)}`);
}

/** The first 8 of a list, and how many more. */
function someOf(items: readonly string[]): string {
  return `${items.slice(0, 8).join(', ')}${items.length > 8 ? `, and ${items.length - 8} more` : ''}`;
}

/**
 * `submit --dry-run`: the plan, what would be shipped, the exact
 * provider requests and the startup script; nothing was created.
 */
export function renderDryRun(details: SubmitPlan, shownWorkdir: string): string {
  const { plan } = details;
  const sections = [
    `dry run: job ${plan.jobId} on ${plan.backend} (nothing was created)`,
    priceLine(details),
    ...endpointLines(details),
    shippingLine(details, shownWorkdir),
    '',
    'requests:',
    ...plan.requests.map(
      (request) => `- ${request.operation}: ${request.description}\n${indent(JSON.stringify(request.body, null, 2))}`,
    ),
  ];
  if (plan.startupScript) sections.push('', 'startup script:', indent(plan.startupScript));
  return sections.join('\n');
}

export function dryRunJson(details: SubmitPlan): Record<string, unknown> {
  const { plan } = details;
  const runtime = plan.stopAfter.seconds ?? 3600;
  return {
    dry_run: true,
    job_id: plan.jobId,
    backend: plan.backend,
    findings: details.findings,
    quote: quote(plan.backend, details.price, runtime, undefined, details.prices),
    worst_case_usd: Number.isFinite(details.worstCaseUsd) ? details.worstCaseUsd : null,
    stop_after_s: plan.stopAfter.seconds,
    shipped: {
      files: details.manifest.files.length,
      bytes: details.manifest.bytes,
      left_out: details.manifest.leftOut,
      kept_home: details.manifest.keptHome,
      reincluded: details.manifest.reincluded,
      not_shipped: details.manifest.notShipped,
    },
    endpoints: details.endpoints,
    requests: plan.requests,
    startup_script: plan.startupScript ?? null,
  };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
