import { findingAt, type Finding } from '../../../src/base/finding.js';
import { closeAwsRegions, ec2PricedRegions, isAwsRegion, suggestAwsRegion } from '../../../src/cost/catalogs/index.js';
import type { Rule } from '../../../src/validate/rule.js';
import { regionOf } from '../aws-region.js';

/**
 * An EC2 region dlrun cannot run a job in: a name that is no AWS region (`us-est-1`), or one dlrun has no EC2 prices
 * for, which submit and quote refuse (a job must be priced before it starts). The region is `backends.ec2.region`,
 * else this machine's AWS settings (AWS_REGION, AWS_DEFAULT_REGION, the profile), else us-east-1, as submit resolves
 * it. Read from the catalogs (src/cost/catalogs) and this machine's settings, with no provider call.
 */
export const ec2Region: Rule = {
  id: 'ec2-region',
  summary: 'an EC2 region that is no AWS region, or one dlrun has no EC2 prices for (submit would refuse it)',
  check({ job, portable, machine }) {
    const written = job.backends?.ec2?.region;
    const fromMachine = written === undefined ? configuredRegion(machine.settings) : undefined;
    const region = written ?? fromMachine?.region ?? 'us-east-1';
    const priced = ec2PricedRegions();
    if (priced.includes(region)) return [];
    const field =
      written !== undefined ? 'backends.ec2.region' : job.source.positions['backends.ec2'] ? 'backends.ec2' : 'backend';
    const fix = `set backends.ec2.region: ${priced.join(' or ')}`;
    const finding = (details: Pick<Finding, 'message'> & Partial<Pick<Finding, 'suggestion' | 'hint'>>): Finding[] => [
      // A region from this machine's settings, for a job that names no backend, may never be used: a warning then.
      findingAt(job, field, { rule: 'ec2-region', severity: portable ? 'warning' : 'error', ...details }),
    ];
    const said = fromMachine ? `${fromMachine.from} says '${region}', which` : `'${region}'`;
    if (!isAwsRegion(region)) {
      const meant = suggestAwsRegion(region);
      const close = closeAwsRegions(region);
      return finding({
        message: `${said} is not an AWS region`,
        ...(meant ? { suggestion: meant } : {}),
        hint: !meant && close.length ? `did you mean ${close.join(' or ')}? ${fix}` : fix,
      });
    }
    const unpriced = fromMachine
      ? `${fromMachine.from} says ${region}, and dlrun has no EC2 prices for that region`
      : `dlrun has no EC2 prices for ${region}`;
    return finding({
      message: `${unpriced}, so submit and quote refuse the job (it has them for ${priced.join(', ')})`,
      hint: `${fix}; docs/catalogs.md says how prices for a region are added`,
    });
  },
};

/** The region AWS tools would use here without a region in the job file, and where it is set. */
function configuredRegion(
  settings: Readonly<Record<string, string | undefined>>,
): { readonly region: string; readonly from: string } | undefined {
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const region = settings[name];
    if (region) return { region, from: name };
  }
  const region = regionOf(undefined, settings);
  return region ? { region, from: `the AWS profile ${settings.AWS_PROFILE ?? 'default'}` } : undefined;
}
