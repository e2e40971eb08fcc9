import type { BackendName } from '../spec/backend-names.js';
import { backendValidation, type JobImage, runsHere, type ValidationContext } from './rule.js';

/** The image of each target backend that can tell it (a job that runs here has this machine, not an image). */
export function jobImages(context: ValidationContext): { target: BackendName; image: JobImage }[] {
  return context.targets.flatMap((target) => {
    if (runsHere(context, target)) return [];
    const image = backendValidation(context, target).image?.(context.job, context.machine);
    return image ? [{ target, image }] : [];
  });
}

/** "on ec2 (the Ubuntu 24.04 AMI)": where a finding is true, for its message. */
export function onImage(target: BackendName, image: JobImage): string {
  return `on ${target} (${image.facts.name}${image.field ? `, from ${image.field}` : ''})`;
}

/**
 * How sure an image finding is: an error for a job meant for the backend, a warning for a portable job, which may
 * never run on that image (it goes where `--backend` sends it, on this machine by default).
 */
export function imageSeverity(context: Pick<ValidationContext, 'portable'>): 'error' | 'warning' {
  return context.portable ? 'warning' : 'error';
}
