import type { Finding } from '../../base/finding.js';
import { findingAt } from '../../base/finding.js';
import type { Rule } from '../rule.js';

/**
 * What the job asks of a backend that the backend cannot do, from its capabilities: more nodes than it launches,
 * spot capacity it does not have. An error for a backend the job is meant for; for a portable job (one that names
 * no backend) a warning, since it may well be meant for another.
 */
export const backendCapability: Rule = {
  id: 'backend-capability',
  summary: 'a job that asks a backend for what it cannot do (more nodes, spot capacity)',
  check({ job, targets, portable, capabilities }) {
    const findings: Finding[] = [];
    const severity = portable ? 'warning' : 'error';
    for (const target of targets) {
      const capability = capabilities[target];
      if (!capability) continue;
      if (job.resources.nodes > 1) {
        const multiNode = capability.multiNode;
        if (!multiNode.supported) {
          findings.push(
            findingAt(job, 'resources.nodes', {
              rule: 'backend-capability',
              severity,
              message: `${target} cannot run a ${job.resources.nodes}-node job: ${multiNode.reason}`,
            }),
          );
        } else if (job.resources.nodes > multiNode.maxNodes) {
          findings.push(
            findingAt(job, 'resources.nodes', {
              rule: 'backend-capability',
              severity,
              message:
                `${target} launches at most ${multiNode.maxNodes} nodes for one job; ` +
                `this one asks for ${job.resources.nodes}`,
            }),
          );
        }
      }
      if (job.resources.spot && !capability.spot.supported) {
        findings.push(
          findingAt(job, 'resources.spot', {
            rule: 'backend-capability',
            severity: 'warning',
            message: `${target} has no spot capacity (${capability.spot.reason}); spot is ignored there`,
          }),
        );
      }
    }
    return findings;
  },
};
