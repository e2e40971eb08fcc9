import { UsageError } from '../base/errors.js';
import { BACKEND_ALIASES, BACKEND_NAMES, backendNamed, type BackendName } from '../spec/backend-names.js';
import { didYouMean } from '../util/did-you-mean.js';
import { stringFlag, type CommandInput } from './command.js';

/** The `--backend` flag, checked (an alias such as `gcp` gives its backend); an unknown name is a usage error. */
export function backendFlag(input: CommandInput): BackendName | undefined {
  const value = stringFlag(input, 'backend');
  if (value === undefined) return undefined;
  const named = backendNamed(value);
  if (named !== undefined) return named;
  const close = didYouMean(value, [...BACKEND_NAMES, ...Object.keys(BACKEND_ALIASES)]);
  throw new UsageError(
    `unknown backend '${value}'${close ? `; did you mean '${close}'?` : ''} (backends: ${BACKEND_NAMES.join(', ')})`,
  );
}
